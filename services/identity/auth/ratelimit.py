"""Failed logins counted in Redis; too many within the window lock the login for a while."""

from __future__ import annotations

import hashlib

from services.identity.problems import ACCOUNT_LOCKED
from shared.errors import AppError
from shared.redis import get_redis
from shared.settings import get_settings


def _key(login: str) -> str:
    return "auth:login-failures:" + hashlib.sha256(login.lower().encode()).hexdigest()[:32]


async def ensure_not_locked(login: str) -> None:
    settings = get_settings()
    redis = get_redis()
    failures = int(await redis.get(_key(login)) or 0)
    if failures >= settings.login_max_failures:
        ttl = await redis.ttl(_key(login))
        raise AppError(
            f"Too many failed logins. Try again in {max(ttl, 1)} seconds.",
            code=ACCOUNT_LOCKED,
            headers={"Retry-After": str(max(ttl, 1))},
        )


async def record_failure(login: str) -> None:
    settings = get_settings()
    redis = get_redis()
    key = _key(login)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, settings.login_lockout_minutes * 60)
        await pipe.execute()


async def clear_failures(login: str) -> None:
    await get_redis().delete(_key(login))
