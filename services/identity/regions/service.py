from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.regions.models import Region
from services.identity.regions.repository import RegionRepository
from services.identity.regions.schemas import RegionCreate
from shared.errors import Conflict, NotFound
from shared.events import publish


async def create_region(session: AsyncSession, data: RegionCreate) -> Region:
    repo = RegionRepository(session)
    if await repo.get_by_code(data.code):
        raise Conflict(f"A region with code {data.code!r} already exists")
    region = Region(code=data.code, name=data.name, timezone=data.timezone)
    repo.add(region)
    await session.flush()
    await publish(
        session,
        "identity.region.created",
        {
            "region_id": str(region.id),
            "code": region.code,
            "name": region.name,
            "timezone": region.timezone,
        },
        region_id=region.id,
    )
    return region


async def get_region(session: AsyncSession, region_id: uuid.UUID) -> Region:
    region = await RegionRepository(session).get(region_id)
    if region is None:
        raise NotFound("No such region")
    return region


async def list_regions(session: AsyncSession) -> list[Region]:
    return await RegionRepository(session).list_all()
