"""An asyncio Redis client per event loop."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from shared.settings import get_settings

_clients: dict[int, Redis] = {}


def get_redis() -> Redis:
    loop_id = id(asyncio.get_running_loop())
    client = _clients.get(loop_id)
    if client is None:
        client = Redis.from_url(
            get_settings().redis_url,
            socket_timeout=3,
            socket_connect_timeout=3,
            decode_responses=True,
        )
        _clients[loop_id] = client
    return client


async def close_redis() -> None:
    for client in list(_clients.values()):
        try:
            await client.aclose()
        except RuntimeError:
            pass
    _clients.clear()
