"""FastAPI dependencies: the current principal, and role checks declared on the route."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.principal import Principal
from shared.auth.tokens import InvalidToken, get_verifier, refusal, revocation_keys
from shared.errors import Forbidden, Unauthenticated
from shared.redis import get_redis

bearer = HTTPBearer(auto_error=False, description="Access token from POST /v1/identity/auth/login")


async def principal_from_request(request: Request) -> Principal | None:
    """Verify the bearer token once per request (cached on request.state), and refuse it when
    it was revoked or made stale since it was issued (shared/auth/tokens.py)."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    header = request.headers.get("authorization", "")
    principal: Principal | None = None
    if header.lower().startswith("bearer "):
        principal = await get_verifier().principal(header[7:].strip())
        # one round trip: the session's sign-out and the user's and organisations' markers
        values = await get_redis().mget(revocation_keys(principal))
        reason = refusal(principal, [v.decode() if isinstance(v, bytes) else v for v in values])
        if reason is not None:
            raise InvalidToken(reason)
    request.state.principal = principal
    return principal


async def get_optional_principal(
    request: Request,
    _: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Principal | None:
    return await principal_from_request(request)


async def get_principal(
    request: Request,
    _: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Principal:
    principal = await principal_from_request(request)
    if principal is None:
        raise Unauthenticated("Send an access token: Authorization: Bearer <token>")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal)]


def require_member(kinds: Iterable[str] | None = None, roles: Iterable[str] | None = None):
    """A route dependency: the caller belongs to an active organisation of these kinds/roles."""
    kinds = tuple(kinds) if kinds is not None else None
    roles = tuple(roles) if roles is not None else None

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.platform_admin or principal.memberships_where(kinds, roles):
            return principal
        raise Forbidden("Your organisation or role does not allow this")

    return dependency


def require_platform_admin():
    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.platform_admin:
            raise Forbidden("Only a platform administrator can do this")
        return principal

    return dependency
