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
