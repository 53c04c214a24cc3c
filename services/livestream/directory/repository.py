"""All SQL for the read models."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.directory.models import Organisation, Product, Region, Supplier


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _upsert(self, model: Any, values: dict[str, Any]) -> None:
        stmt = insert(model).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[model.id], set_={k: v for k, v in values.items() if k != "id"}
            )
        )

    async def upsert_region(self, region_id: uuid.UUID, timezone: str) -> None:
        await self._upsert(Region, {"id": region_id, "timezone": timezone})

    async def upsert_organisation(self, **values: Any) -> None:
        await self._upsert(Organisation, values)

    async def upsert_supplier(self, **values: Any) -> None:
        await self._upsert(Supplier, values)

    async def upsert_product(self, **values: Any) -> None:
        await self._upsert(Product, values)

    async def region(self, region_id: uuid.UUID) -> Region | None:
        return await self.session.get(Region, region_id)

    async def organisation(self, org_id: uuid.UUID) -> Organisation | None:
        return await self.session.get(Organisation, org_id)

    async def supplier(self, supplier_id: uuid.UUID) -> Supplier | None:
        return await self.session.get(Supplier, supplier_id)

    async def product(self, product_id: uuid.UUID) -> Product | None:
        return await self.session.get(Product, product_id)
