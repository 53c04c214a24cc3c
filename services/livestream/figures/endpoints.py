from __future__ import annotations

import uuid

from services.livestream.db import kernel
from services.livestream.figures import service
from services.livestream.figures.schemas import GmvBy, GmvFigures, LivePeak, SampleConversion
from shared.auth.dependencies import CurrentPrincipal
from shared.schemas import Timestamp
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-figures"])


@router.get(
    "/figures/gmv",
    response_model=GmvFigures,
    summary="GMV per session, streamer, product or local day (the operator: its region; "
    "a streamer: its own)",
)
async def gmv(
    region_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    by: GmvBy = "day",
    starts: Timestamp | None = None,
    ends: Timestamp | None = None,
):
    return await service.gmv(session, principal, region_id, by, starts, ends)


@router.get(
    "/figures/samples",
    response_model=SampleConversion,
    summary="Sample-to-session conversion: received samples featured in a session",
)
async def samples(region_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.sample_conversion(session, principal, region_id)


@router.get(
    "/figures/live-peak",
    response_model=LivePeak,
    summary="The most sessions live at once in a window (default: the last 30 days)",
)
async def live_peak(
    region_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    starts: Timestamp | None = None,
    ends: Timestamp | None = None,
):
    return await service.live_peak(session, principal, region_id, starts, ends)
