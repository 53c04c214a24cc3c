"""Sign-in, refresh-token rotation, sign-out and the access token's claims."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from joserfc import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.auth import ratelimit
from services.identity.auth.keys import signing_key
from services.identity.auth.models import AuthSession, RefreshToken
from services.identity.auth.repository import AuthRepository
from services.identity.problems import INVALID_CREDENTIALS
from services.identity.users.models import User
from services.identity.users.passwords import hash_password, needs_rehash, verify_password
from services.identity.users.repository import UserRepository
from services.identity.users.schemas import normalise_login
from shared.auth import Principal
from shared.auth.tokens import ALGORITHM, InvalidToken, revoked_session_key
from shared.db import utcnow
from shared.errors import AppError, NotFound
from shared.redis import get_redis
from shared.settings import get_settings


@dataclass
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: uuid.UUID


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def access_claims(session: AsyncSession, user: User, session_id: uuid.UUID) -> dict:
    settings = get_settings()
    now = int(time.time())
    memberships = await UserRepository(session).memberships_with_orgs(user.id)
    return {
        "iss": settings.jwt_issuer,
        "sub": str(user.id),
        "sid": str(session_id),
        "iat": now,
        # issued at, in ms: revocation markers are compared with it (shared/auth/tokens.py)
        "ims": time.time_ns() // 1_000_000,
        "exp": now + settings.access_token_minutes * 60,
        "typ": "access",
        "adm": user.platform_admin,
        "mem": [
            {
                "org": str(org.id),
                "kind": org.kind,
                "region": str(org.region_id),
                "roles": list(m.roles),
                "status": org.status,
            }
            for m, org in memberships
        ],
    }


def sign(claims: dict) -> str:
    key = signing_key()
    return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}, claims, key)


async def _issue(session: AsyncSession, user: User, auth_session: AuthSession) -> IssuedTokens:
    settings = get_settings()
    refresh = secrets.token_urlsafe(32)
    now = utcnow()
    AuthRepository(session).add(
        RefreshToken(
            session_id=auth_session.id,
            token_hash=hash_token(refresh),
            issued_at=now,
            expires_at=auth_session.expires_at,
        )
    )
    auth_session.last_used_at = now
    claims = await access_claims(session, user, auth_session.id)
    return IssuedTokens(sign(claims), refresh, settings.access_token_minutes * 60, auth_session.id)


class InvalidCredentials(AppError):
    code = INVALID_CREDENTIALS


async def login(
    session: AsyncSession, login: str, password: str, *, user_agent: str | None, ip: str | None
) -> IssuedTokens:
    try:
        login = normalise_login(login)
    except ValueError:
        login = login.strip().lower()
    await ratelimit.ensure_not_locked(login)
    user = await UserRepository(session).get_by_login(login)
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        if user is None:
            verify_password(None, password)
        await ratelimit.record_failure(login)
        raise InvalidCredentials()
    await ratelimit.clear_failures(login)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return await open_session(session, user, user_agent=user_agent, ip=ip)


async def open_session(
    session: AsyncSession, user: User, *, user_agent: str | None, ip: str | None
) -> IssuedTokens:
    """A new signed-in session of a user whose credentials were checked (by `login`), or of
    a demo account the local demo loader made (gateway/seed.py: no password hash to check)."""
    now = utcnow()
    auth_session = AuthSession(
        user_id=user.id,
        user_agent=(user_agent or "")[:300] or None,
        ip_address=ip,
        last_used_at=now,
        expires_at=now + timedelta(days=get_settings().refresh_token_days),
    )
    AuthRepository(session).add(auth_session)
    await session.flush()
    return await _issue(session, user, auth_session)


async def refresh(session: AsyncSession, refresh_token: str) -> IssuedTokens:
    """Rotate: the token is spent and a new one issued. Presenting a spent token again means
    it was stolen or replayed, so the whole session is revoked."""
    repo = AuthRepository(session)
    token = await repo.refresh_token_for_update(hash_token(refresh_token))
    if token is None:
        raise InvalidToken("Unknown refresh token")
    auth_session = await repo.get_session(token.session_id)
    now = utcnow()
    if auth_session is None or auth_session.revoked_at is not None:
        raise InvalidToken("This session has been signed out")
    if token.used_at is not None:
        await revoke(session, auth_session, reason="refresh_token_reuse")
        # The revocation must persist although the request fails.
        raise InvalidToken(
            "This refresh token was already used; the session is now revoked", keep_changes=True
        )
    if token.expires_at <= now or auth_session.expires_at <= now:
        raise InvalidToken("The refresh token has expired")
    user = await UserRepository(session).get(auth_session.user_id)
    if user is None or not user.is_active:
        raise InvalidToken("The user is disabled")
    token.used_at = now
    return await _issue(session, user, auth_session)


async def revoke(session: AsyncSession, auth_session: AuthSession, *, reason: str) -> None:
    await AuthRepository(session).revoke_session(auth_session.id, reason)
    # Access tokens of this session stop working now, not at their expiry.
    await get_redis().set(
        revoked_session_key(auth_session.id), "1", ex=get_settings().access_token_minutes * 60 + 60
    )


async def logout(session: AsyncSession, principal: Principal) -> None:
    if principal.session_id is None:
        return
    auth_session = await AuthRepository(session).get_session(principal.session_id)
    if auth_session is not None:
        await revoke(session, auth_session, reason="logout")


async def list_sessions(session: AsyncSession, principal: Principal) -> list[AuthSession]:
    return await AuthRepository(session).sessions_of(principal.user_id)


async def revoke_own_session(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID
) -> None:
    auth_session = await AuthRepository(session).get_session(session_id)
    if auth_session is None or auth_session.user_id != principal.user_id:
        raise NotFound("No such session")
    await revoke(session, auth_session, reason="revoked_by_user")
