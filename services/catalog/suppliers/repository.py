from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.suppliers.models import CatalogSupplier


class SupplierRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, org_id: uuid.UUID, *, lock: bool = False) -> CatalogSupplier | None:
        stmt = select(CatalogSupplier).where(CatalogSupplier.org_id == org_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalars().first()

    async def by_ids(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, CatalogSupplier]:
        if not ids:
            return {}
        stmt = select(CatalogSupplier).where(CatalogSupplier.org_id.in_(set(ids)))
        return {s.org_id: s for s in (await self.session.execute(stmt)).scalars().all()}

    def add(self, supplier: CatalogSupplier) -> None:
        self.session.add(supplier)
