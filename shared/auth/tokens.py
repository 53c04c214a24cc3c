"""Verifying access tokens against identity's JWKS (cached, refetched on an unknown key id)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import structlog
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from shared.auth.principal import Membership, Principal
from shared.errors import AppError, DependencyUnavailable
from shared.settings import get_settings

log = structlog.get_logger(__name__)

ALGORITHM = "ES256"


class InvalidToken(AppError):
    code = "invalid-token"


VERIFIED_CACHE_SIZE = 4096


class TokenVerifier:
    def __init__(self, jwks_url: str, *, cache_seconds: int = 300, issuer: str = "") -> None:
        self.jwks_url = jwks_url
        self.cache_seconds = cache_seconds
        self._verified: dict[str, dict[str, Any]] = {}
        self.issuer = issuer
        self.transport: httpx.AsyncBaseTransport | None = None
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._last_forced = 0.0

    async def _fetch(self) -> KeySet:
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=5) as client:
                response = await client.get(self.jwks_url)
                response.raise_for_status()
        except httpx.HTTPError as exc:
            log.warning("jwks.fetch_failed", url=self.jwks_url, error=str(exc))
            if self._keys is not None:
                return self._keys
            raise DependencyUnavailable("The token keys cannot be fetched right now") from exc
        self._keys = KeySet.import_key_set(response.json())
        self._fetched_at = time.monotonic()
        return self._keys

    async def keys(self, *, force: bool = False) -> KeySet:
        now = time.monotonic()
        stale = self._keys is None or now - self._fetched_at > self.cache_seconds
        # An unknown key id forces a refetch, at most every 10 s (a rotated key).
        if stale or (force and now - self._last_forced > 10):
            if force:
                self._last_forced = now
            return await self._fetch()
        assert self._keys is not None
        return self._keys

    async def verify(self, token: str) -> dict[str, Any]:
        """The token's claims. A signature already checked is not checked again (a bounded
        cache by token: RS256 verification is the costliest step of an authenticated
        request); expiry and issuer are checked on every call, revocation by the caller."""
        cached = self._verified.get(token)
        if cached is not None:
            try:
                self._registry().validate(cached)
            except (ValueError, JoseError) as exc:
                self._verified.pop(token, None)
                raise InvalidToken("The access token is invalid or has expired") from exc
            return cached
        claims = await self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.pop(next(iter(self._verified)))  # the oldest
        self._verified[token] = claims
        return claims

    def _registry(self) -> Any:
        return jwt.JWTClaimsRegistry(
            exp={"essential": True},
            iss={"essential": True, "value": self.issuer},
        )

    async def _verify(self, token: str) -> dict[str, Any]:
        try:
            keys = await self.keys()
            try:
                decoded = jwt.decode(token, keys, algorithms=[ALGORITHM])
            except (ValueError, JoseError) as exc:
                if "kid" in str(exc).lower() or "key" in str(exc).lower():
                    decoded = jwt.decode(token, await self.keys(force=True), algorithms=[ALGORITHM])
                else:
                    raise
            claims = decoded.claims
            self._registry().validate(claims)
        except (ValueError, JoseError) as exc:
            raise InvalidToken("The access token is invalid or has expired") from exc
        if claims.get("typ") != "access":
            raise InvalidToken("This is not an access token")
        return claims

    async def principal(self, token: str) -> Principal:
        claims = await self.verify(token)
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    issued = claims.get("ims")
    if not isinstance(issued, int):
        issued = int(claims["iat"]) * 1000 if isinstance(claims.get("iat"), int) else None
    return Principal(
        user_id=uuid.UUID(claims["sub"]),
        issued_at_ms=issued,
        session_id=uuid.UUID(claims["sid"]) if claims.get("sid") else None,
        platform_admin=bool(claims.get("adm")),
        memberships=[
            Membership(
                org_id=m["org"],
                org_kind=m["kind"],
                region_id=m["region"],
                roles=m["roles"],
                org_status=m.get("status", "active"),
            )
            for m in claims.get("mem", [])
        ],
    )


_verifier: TokenVerifier | None = None


def get_verifier() -> TokenVerifier:
    global _verifier
    if _verifier is None:
        settings = get_settings()
        _verifier = TokenVerifier(
            settings.jwks_url, cache_seconds=settings.jwks_cache_seconds, issuer=settings.jwt_issuer
        )
    return _verifier


def reset_verifier() -> None:
    global _verifier
    _verifier = None


def revoked_session_key(session_id: uuid.UUID | str) -> str:
    return f"auth:revoked-session:{session_id}"


# ---------------------------------------------------------------- revocation
#
# A change of who may do what (a member removed, roles changed, an organisation approved,
# suspended or reinstated) must hold in every service at once, not when the 15-minute
# access token expires. Identity writes a marker "tokens issued before T are stale" per user
# and per organisation, after the change commits; every service's request reads the markers
# of the caller (one Redis MGET with the session check) and refuses an older token with 401
# `invalid-token`, so the client refreshes and gets claims that say what is true now.
# Markers live as long as an access token can (then every older token has expired anyway).


def stale_user_key(user_id: uuid.UUID | str) -> str:
    return f"auth:stale-before:user:{user_id}"


def stale_org_key(org_id: uuid.UUID | str) -> str:
    return f"auth:stale-before:org:{org_id}"


def revocation_keys(principal: Principal) -> list[str]:
    keys = [revoked_session_key(principal.session_id)] if principal.session_id else []
    keys.append(stale_user_key(principal.user_id))
    keys.extend(stale_org_key(m.org_id) for m in principal.memberships)
    return keys


def refusal(principal: Principal, values: list[str | None]) -> str | None:
    """Why the token of `principal` no longer counts, given the values of its keys."""
    if principal.session_id:
        if values[0]:
            return "This session has been signed out"
        values = values[1:]
    issued = principal.issued_at_ms or 0
    for value in values:
        if value and value.isdigit() and int(value) > issued:
            return (
                "Your memberships or your organisation's status changed since this token was "
                "issued: refresh it (POST /v1/identity/auth/refresh)"
            )
    return None


async def mark_tokens_stale(
    *, user_ids: list[uuid.UUID] | None = None, org_ids: list[uuid.UUID] | None = None
) -> None:
    """Make every access token issued until now for these users / organisations' members
    stale (call after the change commits: `shared.db.after_commit`)."""
    from shared.redis import get_redis

    now_ms = time.time_ns() // 1_000_000
    ttl = get_settings().access_token_minutes * 60 + 60
    keys = [stale_user_key(u) for u in user_ids or []] + [stale_org_key(o) for o in org_ids or []]
    if not keys:
        return
    async with get_redis().pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.set(key, str(now_ms), ex=ttl)
        await pipe.execute()
