"""All SQL for sample requests and quota bands."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.samples.models import QuotaBands, SampleRequest
from services.livestream.samples.rules import COUNTED_STATES
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the list's documented sort keys and their columns (the id breaks ties)
SORTS = {"requested_at": SampleRequest.requested_at, "decide_by": SampleRequest.decide_by}


class SampleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Any]:
        """The streamer's own requests, the supplier's, and the region's for the operator."""
        return select(SampleRequest).where(
            readable_clause(
                principal,
                SampleRequest.__table__.c.streamer_id,
                region_column=SampleRequest.__table__.c.region_id,
            )
            | readable_clause(principal, SampleRequest.__table__.c.supplier_id, operator_roles=None)
        )

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, sample_id: uuid.UUID, *, lock: bool = False) -> SampleRequest | None:
        return await self.session.get(SampleRequest, sample_id, with_for_update=lock or None)

    async def page(
        self, stmt: Select[Any], query: ListQuery, *, status: str | None = None
    ) -> tuple[list[SampleRequest], str | None]:
        if status:
            stmt = stmt.where(SampleRequest.status == status)
        return await paginate_list(
            self.session, stmt, query, sort_columns=SORTS, id_column=SampleRequest.id
        )

    async def counted_in(self, streamer_id: uuid.UUID, start: datetime, end: datetime) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).where(
                    SampleRequest.streamer_id == streamer_id,
                    SampleRequest.requested_at >= start,
                    SampleRequest.requested_at < end,
                    SampleRequest.status.in_(COUNTED_STATES),
                )
            )
            or 0
        )

    async def due_for_decision(
        self, as_of: datetime, region_id: uuid.UUID | None = None
    ) -> list[SampleRequest]:
        return list(
            await self.session.scalars(
                select(SampleRequest)
                .where(SampleRequest.status == "requested", SampleRequest.decide_by <= as_of)
                .where(true() if region_id is None else SampleRequest.region_id == region_id)
                .with_for_update(skip_locked=True)
            )
        )

    async def due_for_feature(
        self, as_of: datetime, region_id: uuid.UUID | None = None
    ) -> list[SampleRequest]:
        return list(
            await self.session.scalars(
                select(SampleRequest)
                .where(SampleRequest.status == "received", SampleRequest.feature_by <= as_of)
                .where(true() if region_id is None else SampleRequest.region_id == region_id)
                .with_for_update(skip_locked=True)
            )
        )

    async def awaiting_feature(
        self, streamer_id: uuid.UUID, product_ids: list[uuid.UUID]
    ) -> list[SampleRequest]:
        if not product_ids:
            return []
        return list(
            await self.session.scalars(
                select(SampleRequest)
                .where(
                    SampleRequest.streamer_id == streamer_id,
                    SampleRequest.product_id.in_(product_ids),
                    SampleRequest.status.in_(("received", "overdue")),
                )
                .with_for_update()
            )
        )

    async def bands(self, region_id: uuid.UUID) -> QuotaBands | None:
        return await self.session.get(QuotaBands, region_id)

    async def save_bands(
        self, region_id: uuid.UUID, bands: list[list[int]], actor: uuid.UUID
    ) -> None:
        stmt = insert(QuotaBands).values(region_id=region_id, bands=bands, updated_by=actor)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[QuotaBands.region_id], set_={"bands": bands, "updated_by": actor}
            )
        )
