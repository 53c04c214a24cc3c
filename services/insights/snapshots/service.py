"""Snapshots: the dashboard frozen (nightly by the beat, or on demand), read back unchanged."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.figures import service as figures
from services.insights.figures.repository import Filters
from services.insights.figures.rules import Period
from services.insights.problems import SNAPSHOT_EXISTS
from services.insights.readmodel.models import Region
from services.insights.records.service import ensure_county_writer
from services.insights.snapshots.models import Snapshot
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, NotFound
from shared.pagination import ListQuery, paginate_list


async def _freeze(session: AsyncSession, region_id: uuid.UUID, year: int) -> dict[str, Any]:
    figs = await figures.compute(session, Filters(region_id, Period(year)))
    return {"year": year, "figures": [f.as_dict() for f in figs.values()]}


async def take(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, year: int, label: str
) -> Snapshot:
    ensure_county_writer(principal, region_id)
    stmt = (
        insert(Snapshot)
        .values(
            id=uuid.uuid4(),
            region_id=region_id,
            year=year,
            label=label,
            taken_at=utcnow(),
            figures=await _freeze(session, region_id, year),
        )
        .on_conflict_do_nothing()
        .returning(Snapshot.id)
    )
    snapshot_id = await session.scalar(stmt)
    if snapshot_id is None:
        raise Conflict(f"A snapshot named {label!r} exists for {year}", code=SNAPSHOT_EXISTS)
    snapshot = await session.get(Snapshot, snapshot_id)
    assert snapshot is not None
    return snapshot


async def nightly(session: AsyncSession, now: datetime | None = None) -> int:
    """Freeze this year's figures of every known region, once per local day."""
    now = now or utcnow()
    taken = 0
    for region_id, tz in (await session.execute(select(Region.region_id, Region.timezone))).all():
        local = now.astimezone(ZoneInfo(tz or "Asia/Shanghai"))
        result = await session.execute(
            insert(Snapshot)
            .values(
                id=uuid.uuid4(),
                region_id=region_id,
                year=local.year,
                label=f"nightly-{local.date().isoformat()}",
                taken_at=now,
                figures=await _freeze(session, region_id, local.year),
            )
            .on_conflict_do_nothing()
            .returning(Snapshot.id)
        )
        taken += result.first() is not None
    return taken


SNAPSHOT_SORTS = {"taken_at": Snapshot.taken_at}
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
    stmt = select(Snapshot).where(Snapshot.region_id == region_id)
    if year:
        stmt = stmt.where(Snapshot.year == year)
    return await paginate_list(
        session, stmt, query, sort_columns=SNAPSHOT_SORTS, id_column=Snapshot.id
    )


async def get(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, snapshot_id: uuid.UUID
) -> Snapshot:
    figures.ensure_county_reader(principal, region_id)
    snapshot = await session.scalar(
        select(Snapshot).where(Snapshot.id == snapshot_id, Snapshot.region_id == region_id)
    )
    if snapshot is None:
        raise NotFound("No such snapshot")
    return snapshot
