"""An asyncio Redis client per event loop."""

from __future__ import annotations

import asyncio
import weakref

from redis.asyncio import BlockingConnectionPool, Redis

from shared.settings import get_settings

REDIS_MAX_CONNECTIONS = 100
REDIS_POOL_TIMEOUT_SECONDS = 5

_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Redis] = weakref.WeakKeyDictionary()


def get_redis() -> Redis:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        # A burst of requests waits for a free connection (up to the timeout) instead of
        # failing at the pool's limit: 200 buyers racing must not see a 500.
        pool = BlockingConnectionPool.from_url(
            get_settings().redis_url,
            max_connections=REDIS_MAX_CONNECTIONS,
            timeout=REDIS_POOL_TIMEOUT_SECONDS,
            socket_timeout=3,
            socket_connect_timeout=3,
            decode_responses=True,
        )
        client = Redis.from_pool(pool)  # owns the pool: aclose() closes it
        _clients[loop] = client
    return client


async def close_redis() -> None:
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()
