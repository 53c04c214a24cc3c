"""Region read model SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount
from services.payments.regions.models import Region


class RegionRepository:
    """Regions are no secret (id and time zone): no `readable` statement here."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, region_id: uuid.UUID, timezone: str) -> None:
        """Insert or refresh a region (concurrent events for the same region race here)."""
        stmt = insert(Region).values(id=region_id, timezone=timezone)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[Region.id], set_={"timezone": timezone})
        )

    async def get(self, region_id: uuid.UUID) -> Region | None:
        return await self.session.get(Region, region_id)

    async def region_of_buyer(self, buyer_org_id: uuid.UUID) -> uuid.UUID | None:
        """The region a buyer orders in (a buyer belongs to one region; its orders say so)."""
        return await self.session.scalar(
            select(OrderAccount.region_id).where(OrderAccount.buyer_org_id == buyer_org_id).limit(1)
        )
