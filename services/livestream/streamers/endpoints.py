from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from services.livestream.db import kernel
from services.livestream.streamers import service
from services.livestream.streamers.schemas import (
    Agency,
    AgencyMemberAdd,
    AgencyWrite,
    Streamer,
    StreamerFigures,
    StreamerProfileWrite,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-streamers"])
STREAMERS_QUERY = list_query(service.STREAMER_SORT_FIELDS, default="display_name", default_limit=50)


@router.put(
    "/streamers/me", response_model=Streamer, summary="My streamer profile (create/replace)"
)
async def put_my_profile(
    body: StreamerProfileWrite, session: SessionDep, principal: CurrentPrincipal
):
    return await service.save_my_profile(session, principal, body)


@router.get("/streamers/me", response_model=Streamer)
async def get_my_profile(session: SessionDep, principal: CurrentPrincipal):
    return await service.my_profile(session, principal)


@router.get("/streamers", response_model=Page[Streamer], summary="Streamers I may see")
async def list_streamers(
    q: Annotated[ListQuery, Depends(STREAMERS_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
):
    """A streamer itself, an agency its members, the region's operator every streamer."""
    rows, next_cursor = await service.list_streamers(session, principal, q)
    return Page[Streamer](items=[Streamer.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/streamers/{streamer_id}", response_model=Streamer)
async def get_streamer(streamer_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_streamer(session, principal, streamer_id)


@router.put(
    "/streamers/{streamer_id}/figures",
    response_model=Streamer,
    summary="Operator: 30-day GMV and sales",
)
async def put_figures(
    streamer_id: uuid.UUID, body: StreamerFigures, session: SessionDep, principal: CurrentPrincipal
):
    return await service.set_figures(session, principal, streamer_id, body)


@router.put("/agencies/me", response_model=Agency, summary="My agency and its service-fee share")
async def put_my_agency(body: AgencyWrite, session: SessionDep, principal: CurrentPrincipal):
    return await service.save_my_agency(session, principal, body)


@router.post("/agencies/me/members", response_model=Streamer, summary="Add a member streamer")
async def add_member(body: AgencyMemberAdd, session: SessionDep, principal: CurrentPrincipal):
    return await service.add_member(session, principal, body)


@router.get("/agencies/{agency_id}", response_model=Agency)
async def get_agency(agency_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_agency(session, principal, agency_id)
