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


class TokenVerifier:
    def __init__(self, jwks_url: str, *, cache_seconds: int = 300, issuer: str = "") -> None:
        self.jwks_url = jwks_url
        self.cache_seconds = cache_seconds
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
            jwt.JWTClaimsRegistry(
                exp={"essential": True},
                iss={"essential": True, "value": self.issuer},
            ).validate(claims)
        except (ValueError, JoseError) as exc:
            raise InvalidToken("The access token is invalid or has expired") from exc
        if claims.get("typ") != "access":
            raise InvalidToken("This is not an access token")
        return claims

    async def principal(self, token: str) -> Principal:
        claims = await self.verify(token)
        return principal_from_claims(claims)


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    return Principal(
        user_id=uuid.UUID(claims["sub"]),
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
