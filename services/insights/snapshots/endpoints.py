from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from services.insights.db import kernel
from services.insights.snapshots import service
from services.insights.snapshots.schemas import Snapshot, SnapshotCreate, SnapshotSummary
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/insights", tags=["insights-snapshots"])
SNAPSHOTS_QUERY = list_query(service.SNAPSHOT_SORT_FIELDS, default="-taken_at")


@router.post(
    "/regions/{region_id}/snapshots",
    response_model=Snapshot,
    status_code=201,
    responses={403: {}, 404: {}, 409: {}},
)
async def take_snapshot(
    region_id: uuid.UUID, body: SnapshotCreate, principal: CurrentPrincipal, session: SessionDep
):
    """Freeze the year's figures now under a name (the beat also freezes them nightly)."""
    return await service.take(session, principal, region_id, body.year, body.label)


@router.get(
    "/regions/{region_id}/snapshots",
    response_model=Page[SnapshotSummary],
    responses={403: {}, 404: {}, 422: {}},
)
async def list_snapshots(
    q: Annotated[ListQuery, Depends(SNAPSHOTS_QUERY)],
    region_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[SnapshotSummary]:
    """The county's snapshots, newest first (`year`: of that year's figures)."""
    rows, next_cursor = await service.listing(session, principal, region_id, year, q)
    return Page[SnapshotSummary](
        items=[SnapshotSummary.model_validate(s) for s in rows], next_cursor=next_cursor
    )


@router.get(
    "/regions/{region_id}/snapshots/{snapshot_id}",
    response_model=Snapshot,
    responses={403: {}, 404: {}},
)
async def get_snapshot(
    region_id: uuid.UUID, snapshot_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
):
    return await service.get(session, principal, region_id, snapshot_id)
