from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.regions.models import Region


class RegionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, region_id: uuid.UUID) -> Region | None:
        return await self.session.get(Region, region_id)

    async def get_by_code(self, code: str) -> Region | None:
        return (
            await self.session.execute(select(Region).where(Region.code == code))
        ).scalar_one_or_none()

    async def list_all(self) -> list[Region]:
        return list((await self.session.execute(select(Region).order_by(Region.code))).scalars())

    def add(self, region: Region) -> None:
        self.session.add(region)
