"""All SQL for the region read model."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.regions.models import Region


class RegionRepository:
    """The regions delivery knows (time zones, from identity's events)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, region_id: uuid.UUID, timezone: str) -> None:
        stmt = insert(Region).values(id=region_id, timezone=timezone)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[Region.id], set_={"timezone": timezone})
        )

    async def get(self, region_id: uuid.UUID) -> Region | None:
        return await self.session.get(Region, region_id)
