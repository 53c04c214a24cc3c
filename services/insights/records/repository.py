from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.records.models import Evidence, RecordedFigure, RegionSettings
from shared.pagination import ListQuery, paginate_list

RECORD_SORTS = {"on_date": RecordedFigure.on_date, "recorded_at": RecordedFigure.recorded_at}


class RecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def get(self, region_id: uuid.UUID, record_id: uuid.UUID) -> RecordedFigure | None:
        return await self.session.scalar(
            select(RecordedFigure).where(
                RecordedFigure.id == record_id, RecordedFigure.region_id == region_id
            )
        )

    @staticmethod
    def _of_region(region_id: uuid.UUID, first: date | None, last: date | None):
        stmt = select(RecordedFigure).where(RecordedFigure.region_id == region_id)
        if first:
            stmt = stmt.where(RecordedFigure.on_date >= first)
        if last:
            stmt = stmt.where(RecordedFigure.on_date < last)
        return stmt

    async def of_region(
        self, region_id: uuid.UUID, first: date | None = None, last: date | None = None
    ) -> list[RecordedFigure]:
        stmt = self._of_region(region_id, first, last).order_by(RecordedFigure.on_date)
        return list((await self.session.scalars(stmt)).all())

    async def page_of_region(
        self, region_id: uuid.UUID, first: date | None, last: date | None, query: ListQuery
    ) -> tuple[list[RecordedFigure], str | None]:
        return await paginate_list(
            self.session,
            self._of_region(region_id, first, last),
            query,
            sort_columns=RECORD_SORTS,
            id_column=RecordedFigure.id,
        )

    async def evidence_of(self, record_ids: list[uuid.UUID]) -> list[Evidence]:
        if not record_ids:
            return []
        return list(
            (
                await self.session.scalars(
                    select(Evidence)
                    .where(Evidence.record_id.in_(record_ids))
                    .order_by(Evidence.uploaded_at)
                )
            ).all()
        )

    async def evidence(self, region_id: uuid.UUID, evidence_id: uuid.UUID) -> Evidence | None:
        return await self.session.scalar(
            select(Evidence).where(Evidence.id == evidence_id, Evidence.region_id == region_id)
        )

    async def settings(self, region_id: uuid.UUID) -> RegionSettings | None:
        return await self.session.get(RegionSettings, region_id)
