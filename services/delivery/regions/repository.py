"""All SQL for the region read model."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.regions.models import Region


async def upsert(session: AsyncSession, region_id: uuid.UUID, timezone: str) -> None:
    stmt = insert(Region).values(id=region_id, timezone=timezone)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[Region.id], set_={"timezone": timezone})
    )


async def get(session: AsyncSession, region_id: uuid.UUID) -> Region | None:
    return await session.get(Region, region_id)
