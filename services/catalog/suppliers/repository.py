from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
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

    async def ensure(
        self, org_id: uuid.UUID, region_id: uuid.UUID, *, lock: bool = False
    ) -> CatalogSupplier:
        """The supplier's row, inserted if missing. A request and an event handler may both
        start it at once: ON CONFLICT lets the second one find the first one's row."""
        await self.session.execute(
            insert(CatalogSupplier)
            .values(org_id=org_id, region_id=region_id)
            .on_conflict_do_nothing(index_elements=[CatalogSupplier.org_id])
        )
        stmt = (
            select(CatalogSupplier)
            .where(CatalogSupplier.org_id == org_id)
            .execution_options(populate_existing=True)
        )
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalars().one()
