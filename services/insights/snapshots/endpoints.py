from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from services.insights.db import kernel
from services.insights.snapshots import service
from shared.auth.dependencies import CurrentPrincipal
from shared.schemas import Schema, WriteSchema
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/insights", tags=["insights-snapshots"])


class SnapshotCreate(WriteSchema):
    year: int = Field(ge=2000, le=2100)
    label: str = Field(min_length=1, max_length=80, examples=["2026年度验收报送"])


class SnapshotSummary(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    year: int
    label: str
    taken_at: datetime


class SnapshotView(SnapshotSummary):
    figures: dict[str, Any]


@router.post(
    "/regions/{region_id}/snapshots",
    response_model=SnapshotView,
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
    response_model=list[SnapshotSummary],
    responses={403: {}, 404: {}},
)
async def list_snapshots(
    region_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
):
    return await service.listing(session, principal, region_id, year)


@router.get(
    "/regions/{region_id}/snapshots/{snapshot_id}",
    response_model=SnapshotView,
    responses={403: {}, 404: {}},
)
async def get_snapshot(
    region_id: uuid.UUID, snapshot_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
):
    return await service.get(session, principal, region_id, snapshot_id)
