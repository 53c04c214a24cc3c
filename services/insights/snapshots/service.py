"""Snapshots: the dashboard frozen (nightly by the beat, or on demand), read back unchanged."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures import service as figures
from services.insights.figures.repository import Filters
from services.insights.figures.rules import Period
from services.insights.problems import SNAPSHOT_EXISTS
from services.insights.records.service import ensure_county_writer
from services.insights.snapshots.models import Snapshot
from services.insights.snapshots.repository import SNAPSHOT_SORTS, SnapshotRepository
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.pagination import ListQuery


async def _freeze(session: AsyncSession, region_id: uuid.UUID, year: int) -> dict[str, Any]:
    figs = await figures.compute(session, Filters(region_id, Period(year)))
    return {"year": year, "figures": [f.as_dict() for f in figs.values()]}


async def take(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, year: int, label: str
) -> Snapshot:
    ensure_county_writer(principal, region_id)
    frozen = await _freeze(session, region_id, year)
    snapshot = await SnapshotRepository(session).add_once(region_id, year, label, utcnow(), frozen)
    if snapshot is None:
        raise Conflict(f"A snapshot named {label!r} exists for {year}", code=SNAPSHOT_EXISTS)
    return snapshot


async def nightly(session: AsyncSession, now: datetime | None = None) -> int:
    """Freeze this year's figures of every known region, once per local day."""
    now = now or utcnow()
    repo = SnapshotRepository(session)
    taken = 0
    for region_id, tz in await repo.regions():
        local = now.astimezone(ZoneInfo(tz or "Asia/Shanghai"))
        frozen = await _freeze(session, region_id, local.year)
        label = f"nightly-{local.date().isoformat()}"
        taken += await repo.add_once(region_id, local.year, label, now, frozen) is not None
    return taken


SNAPSHOT_SORT_FIELDS = tuple(SNAPSHOT_SORTS)


async def listing(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    year: int | None,
    query: ListQuery,
) -> tuple[list[Snapshot], str | None]:
    """The county's snapshots (one a night and the operator's own: they pile up)."""
    figures.ensure_county_reader(principal, region_id)
    return await SnapshotRepository(session).page(region_id, year, query)


async def get(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, snapshot_id: uuid.UUID
) -> Snapshot:
    figures.ensure_county_reader(principal, region_id)
    snapshot = await SnapshotRepository(session).get(region_id, snapshot_id)
    if snapshot is None:
        raise NotFound("No such snapshot")
    return snapshot
