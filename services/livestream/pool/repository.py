"""All SQL for pool entries (and the database fallback of pool browsing)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.pool.models import PoolEntry
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the entries list's documented sort keys and their columns (the id breaks ties)
ENTRY_SORTS = {"created_at": PoolEntry.created_at, "name": PoolEntry.name}
# browsing's sorts (offset pages over the search index or its database fallback)
SORTS = {
    "-commission": (PoolEntry.open_rate_bps.desc(), PoolEntry.id),
    "-sales": (PoolEntry.sales_count.desc(), PoolEntry.id),
    "price": (PoolEntry.suggested_retail_fen.asc(), PoolEntry.id),
    "-price": (PoolEntry.suggested_retail_fen.desc(), PoolEntry.id),
}


class PoolRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Any]:
        """The supplier's own entries in any status, the region's for its operator."""
        return select(PoolEntry).where(
            readable_clause(
                principal,
                PoolEntry.__table__.c.supplier_id,
                region_column=PoolEntry.__table__.c.region_id,
            )
        )

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, entry_id: uuid.UUID, *, lock: bool = False) -> PoolEntry | None:
        return await self.session.get(PoolEntry, entry_id, with_for_update=lock or None)

    async def by_product(self, product_id: uuid.UUID, *, lock: bool = False) -> PoolEntry | None:
        stmt = select(PoolEntry).where(PoolEntry.product_id == product_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def of_supplier(self, supplier_id: uuid.UUID) -> list[PoolEntry]:
        return list(
            await self.session.scalars(
                select(PoolEntry).where(PoolEntry.supplier_id == supplier_id).with_for_update()
            )
        )

    async def page(self, stmt: Select[Any], query: ListQuery) -> tuple[list[PoolEntry], str | None]:
        return await paginate_list(
            self.session, stmt, query, sort_columns=ENTRY_SORTS, id_column=PoolEntry.id
        )

    async def browse(
        self,
        *,
        region_id: uuid.UUID,
        q: str | None,
        category: str | None,
        brand: str | None,
        min_price_fen: int | None,
        max_price_fen: int | None,
        min_commission_bps: int | None,
        min_stock: int | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> tuple[list[PoolEntry], int]:
        stmt = select(PoolEntry).where(
            PoolEntry.region_id == region_id, PoolEntry.status == "active"
        )
        if q:
            like = f"%{q.lower()}%"
            stmt = stmt.where(
                or_(
                    PoolEntry.name.ilike(like),
                    PoolEntry.pinyin.ilike(like),
                    PoolEntry.brand.ilike(like),
                    PoolEntry.category.ilike(like),
                )
            )
        if category:
            stmt = stmt.where(PoolEntry.category == category)
        if brand:
            stmt = stmt.where(PoolEntry.brand == brand)
        if min_price_fen is not None:
            stmt = stmt.where(PoolEntry.suggested_retail_fen >= min_price_fen)
        if max_price_fen is not None:
            stmt = stmt.where(PoolEntry.suggested_retail_fen <= max_price_fen)
        if min_commission_bps is not None:
            stmt = stmt.where(PoolEntry.open_rate_bps >= min_commission_bps)
        if min_stock is not None:
            stmt = stmt.where(PoolEntry.stock_at_base >= min_stock)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.scalars(stmt.order_by(*SORTS[sort]).limit(limit).offset(offset))
        return list(rows), int(total or 0)
