from __future__ import annotations

import uuid

from sqlalchemy import func, select, type_coerce, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.brands.models import PublicBrand
from services.catalog.categories.models import Category, CategoryChange
from services.catalog.products.models import Product


class CategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, category_id: uuid.UUID, *, lock: bool = False) -> Category | None:
        stmt = select(Category).where(Category.id == category_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalars().first()

    async def named(self, region_id: uuid.UUID, name: str) -> Category | None:
        stmt = select(Category).where(Category.region_id == region_id, Category.name == name)
        return (await self.session.execute(stmt)).scalars().first()

    async def of_region(self, region_id: uuid.UUID, status: str | None = None) -> list[Category]:
        stmt = select(Category).where(Category.region_id == region_id)
        if status:
            stmt = stmt.where(Category.status == status)
        stmt = stmt.order_by(Category.position, Category.name)
        return list((await self.session.execute(stmt)).scalars().all())

    async def statuses(self, region_id: uuid.UUID) -> dict[str, str]:
        """name -> status of every category of the region."""
        stmt = select(Category.name, Category.status).where(Category.region_id == region_id)
        return {row.name: row.status for row in (await self.session.execute(stmt)).all()}

    async def on_sale_counts(self, region_id: uuid.UUID) -> dict[str, int]:
        stmt = (
            select(Product.category, func.count())
            .where(Product.region_id == region_id, Product.on_sale)
            .group_by(Product.category)
        )
        return {name: int(n) for name, n in (await self.session.execute(stmt)).all()}

    async def changes(self, category_id: uuid.UUID) -> list[CategoryChange]:
        stmt = (
            select(CategoryChange)
            .where(CategoryChange.category_id == category_id)
            .order_by(CategoryChange.at, CategoryChange.id)
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def products_in(self, region_id: uuid.UUID, name: str) -> list[uuid.UUID]:
        stmt = select(Product.id).where(Product.region_id == region_id, Product.category == name)
        return list((await self.session.execute(stmt.order_by(Product.id))).scalars().all())

    async def move_products(self, region_id: uuid.UUID, old: str, new: str) -> None:
        await self.session.execute(
            update(Product)
            .where(Product.region_id == region_id, Product.category == old)
            .values(category=new)
            .execution_options(synchronize_session="fetch")
        )

    async def brands_naming(self, region_id: uuid.UUID, name: str) -> list[PublicBrand]:
        stmt = select(PublicBrand).where(
            PublicBrand.region_id == region_id,
            type_coerce(PublicBrand.categories, JSONB).contains([name]),
        )
        return list((await self.session.execute(stmt.with_for_update())).scalars().all())

    async def lock_named(self, region_id: uuid.UUID, names: list[str]) -> dict[str, str]:
        """name -> status of these categories, held (FOR SHARE) so that a rename or a
        retirement waits for the write that names them."""
        if not names:
            return {}
        stmt = (
            select(Category.name, Category.status)
            .where(Category.region_id == region_id, Category.name.in_(names))
            .with_for_update(read=True)
        )
        return {row.name: row.status for row in (await self.session.execute(stmt)).all()}
