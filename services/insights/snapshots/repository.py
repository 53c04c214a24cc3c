from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.readmodel.models import Region
from services.insights.snapshots.models import Snapshot
from shared.pagination import ListQuery, paginate_list

SNAPSHOT_SORTS = {"taken_at": Snapshot.taken_at}


class SnapshotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(
        self, region_id: uuid.UUID, year: int, label: str, taken_at: datetime, figures: Any
    ) -> Snapshot | None:
        """The new snapshot, or None when the region already has one of that year and label
        (a second nightly run of the same day, or an operator's repeated name)."""
        snapshot_id = await self.session.scalar(
            insert(Snapshot)
            .values(
                id=uuid.uuid4(),
                region_id=region_id,
                year=year,
                label=label,
                taken_at=taken_at,
                figures=figures,
            )
            .on_conflict_do_nothing()
            .returning(Snapshot.id)
        )
        return None if snapshot_id is None else await self.session.get(Snapshot, snapshot_id)

    async def regions(self) -> list[tuple[uuid.UUID, str | None]]:
        rows = await self.session.execute(select(Region.region_id, Region.timezone))
        return [(region_id, tz) for region_id, tz in rows.all()]

    async def page(
        self, region_id: uuid.UUID, year: int | None, query: ListQuery
    ) -> tuple[list[Snapshot], str | None]:
        stmt = select(Snapshot).where(Snapshot.region_id == region_id)
        if year:
            stmt = stmt.where(Snapshot.year == year)
        return await paginate_list(
            self.session, stmt, query, sort_columns=SNAPSHOT_SORTS, id_column=Snapshot.id
        )

    async def get(self, region_id: uuid.UUID, snapshot_id: uuid.UUID) -> Snapshot | None:
        return await self.session.scalar(
            select(Snapshot).where(Snapshot.id == snapshot_id, Snapshot.region_id == region_id)
        )
