from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.organisations.models import SupplierOrganisation


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, org_id: uuid.UUID) -> SupplierOrganisation | None:
        stmt = select(SupplierOrganisation).where(SupplierOrganisation.id == org_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add(self, org: SupplierOrganisation) -> None:
        self.session.add(org)

    async def region_timezones(self) -> dict[uuid.UUID, str]:
        """Each region with suppliers, and its time zone."""
        rows = await self.session.execute(
            select(SupplierOrganisation.region_id, SupplierOrganisation.timezone).distinct()
        )
        return {region_id: zone for region_id, zone in rows}

    async def timezone_of_region(self, region_id: uuid.UUID) -> str | None:
        return await self.session.scalar(
            select(SupplierOrganisation.timezone)
            .where(SupplierOrganisation.region_id == region_id)
            .limit(1)
        )
