"""An asyncio Redis client per event loop."""

from __future__ import annotations

import asyncio
import weakref

from redis.asyncio import Redis

from shared.settings import get_settings

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Redis] = weakref.WeakKeyDictionary()


def get_redis() -> Redis:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = Redis.from_url(
            get_settings().redis_url,
            socket_timeout=3,
            socket_connect_timeout=3,
            decode_responses=True,
        )
        _clients[loop] = client
    return client


async def close_redis() -> None:
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()
