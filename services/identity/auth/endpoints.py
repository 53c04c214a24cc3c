from __future__ import annotations

import uuid

from fastapi import Request, Response

from services.identity.auth import service
from services.identity.auth.keys import jwks
from services.identity.auth.schemas import LoginRequest, RefreshRequest, SessionInfo, TokenPair
from services.identity.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/identity", tags=["identity-auth"])


def _pair(tokens: service.IssuedTokens) -> TokenPair:
    return TokenPair(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
        session_id=tokens.session_id,
    )


@router.post("/auth/login", response_model=TokenPair, responses={401: {}, 429: {}})
async def login(body: LoginRequest, request: Request, session: SessionDep) -> TokenPair:
    """Sign in with a mobile number or e-mail and a password. Repeated failures lock the login."""
    tokens = await service.login(
        session,
        body.login,
        body.password,
        user_agent=request.headers.get("user-agent"),
        ip=request.client.host if request.client else None,
    )
    return _pair(tokens)


@router.post("/auth/refresh", response_model=TokenPair, responses={401: {}})
async def refresh(body: RefreshRequest, session: SessionDep) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return _pair(await service.refresh(session, body.refresh_token))


@router.post("/auth/logout", status_code=204)
async def logout(principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Sign this device out: its access and refresh tokens stop working at once."""
    await service.logout(session, principal)
    return Response(status_code=204)


# An array, not a page: one user's own devices, bounded by nature (the newest 100, see
# AuthRepository.sessions_of), shown whole on the "signed-in devices" screen.
@router.get("/me/sessions", response_model=list[SessionInfo])
async def list_sessions(principal: CurrentPrincipal, session: SessionDep) -> list[SessionInfo]:
    sessions = await service.list_sessions(session, principal)
    return [
        SessionInfo.model_validate(s).model_copy(update={"current": s.id == principal.session_id})
        for s in sessions
    ]


@router.delete("/me/sessions/{session_id}", status_code=204)
async def revoke_session(
    session_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
) -> Response:
    await service.revoke_own_session(session, principal, session_id)
    return Response(status_code=204)


@router.get("/.well-known/jwks.json", tags=["identity-auth"])
async def get_jwks() -> dict:
    """Public keys that verify access tokens (cache them; refetch on an unknown `kid`)."""
    return jwks()
