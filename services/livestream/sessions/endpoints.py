from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends

from services.livestream.db import kernel
from services.livestream.sessions import service
from services.livestream.sessions.schemas import (
    CapUpdate,
    LineupItem,
    LineupWrite,
    LiveSession,
    SessionAction,
    SessionCreate,
    Step,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-sessions"])
SESSIONS_QUERY = list_query(service.SESSION_SORT_FIELDS, default="planned_start", default_limit=50)


def out(found: service.SessionView) -> LiveSession:
    return LiveSession.model_validate(
        {
            **{
                c: getattr(found.session, c)
                for c in LiveSession.model_fields
                if hasattr(found.session, c)
            },
            "lineup": [LineupItem.model_validate(i) for i in found.lineup],
            "allowed_actions": found.allowed_actions,
        }
    )


@router.post(
    "/sessions", response_model=LiveSession, status_code=201, summary="Plan a session on a booking"
)
async def create_session(body: SessionCreate, session: SessionDep, principal: CurrentPrincipal):
    return out(await service.create_session(session, principal, body))


@router.get("/sessions", response_model=Page[LiveSession], summary="Sessions I may see")
async def list_sessions(
    q: Annotated[ListQuery, Depends(SESSIONS_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Literal["planned", "live", "ended", "cancelled"] | None = None,
):
    """A streamer its own sessions, the region's operator the base's, each with its lineup."""
    rows, next_cursor = await service.list_sessions(session, principal, status, q)
    return Page[LiveSession](items=[out(s) for s in rows], next_cursor=next_cursor)


@router.get("/sessions/live-count", summary="Operator: sessions live at this moment")
async def live_count(
    region_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, int]:
    return {"live": await service.live_now(session, principal, region_id)}


@router.get("/sessions/{session_id}", response_model=LiveSession)
async def get_session(session_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return out(await service.get_session(session, principal, session_id))


@router.put(
    "/sessions/{session_id}/lineup",
    response_model=LiveSession,
    summary="Replace the lineup (planned only)",
)
async def set_lineup(
    session_id: uuid.UUID, body: LineupWrite, session: SessionDep, principal: CurrentPrincipal
):
    return out(await service.set_lineup(session, principal, session_id, body))


@router.patch(
    "/sessions/{session_id}/lineup/{item_id}",
    response_model=LiveSession,
    summary="Change a stock cap (only down while live)",
)
async def set_cap(
    session_id: uuid.UUID,
    item_id: uuid.UUID,
    body: CapUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
):
    return out(await service.lower_cap(session, principal, session_id, item_id, body.stock_cap))


@router.post(
    "/sessions/{session_id}/{action}", response_model=LiveSession, summary="start, end or cancel"
)
async def act(
    session_id: uuid.UUID,
    action: Literal["start", "end", "cancel"],
    session: SessionDep,
    principal: CurrentPrincipal,
    body: SessionAction | None = None,
):
    return out(
        await service.act(session, principal, session_id, action, body.reason if body else None)
    )


# an array, not a page: one session's few status changes (planned, live, ended/cancelled)
@router.get("/sessions/{session_id}/history", response_model=list[Step])
async def history(session_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.session_history(session, principal, session_id)
