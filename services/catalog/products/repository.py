from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload, with_expression

from services.catalog.products.models import Product, ProductHistory, ProductImage, Variant
from services.catalog.products.rules import SORT_FIELDS
from services.catalog.suppliers.models import CatalogSupplier
from shared.auth.access import scope_to_caller
from shared.auth.principal import Principal
from shared.pagination import Sort, paginate

SORT_COLUMNS = {
    "listed_at": Product.listed_at,
    "updated_at": Product.updated_at,
    "created_at": Product.created_at,
    "name": Product.name,
    "retail_price_fen": Product.retail_price_fen,
}
assert tuple(SORT_COLUMNS) == SORT_FIELDS


@dataclass
class ProductFilters:
    region_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    category: str | None = None
    township: str | None = None
    grade: str | None = None
    channel: str | None = None
    brand_id: uuid.UUID | None = None
    branded: bool | None = None
    status: str | None = None


def with_children(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(selectinload(Product.variants), selectinload(Product.images))


def _json_list(table: Any, fields: tuple[str, ...]) -> Any:
    """A correlated subquery: the product's rows of `table` as a JSON array, by position."""
    pairs: list[Any] = []
    for name in fields:
        pairs += [literal_column(f"'{name}'"), table.c[name]]
    row = func.json_build_object(*pairs)
    return (
        select(
            func.coalesce(
                func.json_agg(aggregate_order_by(row, table.c.position, table.c.id)),
                literal_column("'[]'::json"),
            )
        )
        .where(table.c.product_id == Product.id)
        .scalar_subquery()
    )


VARIANT_FIELDS = (
    "id", "sku", "name", "unit", "net_weight_g", "volume_cm3", "packaging", "retail_price_fen"
)  # fmt: skip
IMAGE_FIELDS = ("id", "content_type", "width", "height")


_public: list[Select[Any]] = []


def public_statement() -> Select[Any]:
    """Products with their variants, images and supplier name in ONE statement (a detail
    read was four round trips: the product, two selectin loads and the supplier). Built
    once: constructing the subqueries cost more Python than running the query."""
    if not _public:
        _public.append(_build_public_statement())
    return _public[0]


_DETAIL: list[Select[Any]] = []


def _detail_statement() -> Select[Any]:
    if not _DETAIL:
        _DETAIL.append(
            public_statement().where(Product.id == bindparam("product_id"), Product.on_sale)
        )
    return _DETAIL[0]


def _build_public_statement() -> Select[Any]:
    supplier = CatalogSupplier.__table__
    name = (
        select(func.coalesce(supplier.c.display_name, supplier.c.name))
        .where(supplier.c.org_id == Product.supplier_id)
        .scalar_subquery()
    )
    extra = func.json_build_object(
        literal_column("'variants'"),
        _json_list(Variant.__table__, VARIANT_FIELDS),
        literal_column("'images'"),
        _json_list(ProductImage.__table__, IMAGE_FIELDS),
        literal_column("'supplier_name'"),
        name,
    )
    return select(Product).options(with_expression(Product.public_extra, extra))


def filtered(stmt: Select[Any], f: ProductFilters) -> Select[Any]:
    if f.region_id:
        stmt = stmt.where(Product.region_id == f.region_id)
    if f.supplier_id:
        stmt = stmt.where(Product.supplier_id == f.supplier_id)
    if f.category:
        stmt = stmt.where(Product.category == f.category)
    if f.township:
        stmt = stmt.where(Product.origin_township == f.township)
    if f.grade:
        stmt = stmt.where(Product.grade == f.grade)
    if f.channel:
        # JSONB containment (the generic JSON type would compare as text)
        stmt = stmt.where(type_coerce(Product.channels, JSONB).contains([f.channel]))
    if f.brand_id:
        stmt = stmt.where(Product.brand_id == f.brand_id, Product.brand_licence_id.is_not(None))
    if f.branded is True:
        stmt = stmt.where(Product.brand_licence_id.is_not(None))
    if f.branded is False:
        stmt = stmt.where(Product.brand_licence_id.is_(None))
    if f.status:
        stmt = stmt.where(Product.status == f.status)
    return stmt


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: Any) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, product_id: uuid.UUID, *, lock: bool = False) -> Product | None:
        stmt = with_children(select(Product).where(Product.id == product_id))
        if lock:
            stmt = stmt.with_for_update(of=Product)
        return (await self.session.execute(stmt)).scalars().first()

    async def get_for_caller(
        self, principal: Principal, product_id: uuid.UUID, *, lock: bool = False
    ) -> Product | None:
        stmt = scope_to_caller(
            with_children(select(Product).where(Product.id == product_id)),
            principal,
            Product.supplier_id,
            region_column=Product.region_id,
        )
        if lock:
            stmt = stmt.with_for_update(of=Product)
        return (await self.session.execute(stmt)).scalars().first()

    async def _read_only(self) -> None:
        """A public read needs no transaction: no BEGIN and ROLLBACK round trips."""
        if not self.session.in_transaction():
            await self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    async def get_public(self, product_id: uuid.UUID) -> Product | None:
        """On sale, with `public_extra` (variants, images, supplier name) in one statement."""
        await self._read_only()
        result = await self.session.execute(_detail_statement(), {"product_id": product_id})
        return result.scalars().first()

    async def list_public(
        self, f: ProductFilters, sort: Sort, cursor: str | None, limit: int
    ) -> tuple[list[Product], str | None]:
        await self._read_only()
        stmt = filtered(public_statement().where(Product.on_sale), f)
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=SORT_COLUMNS,
            id_column=Product.id,
            cursor=cursor,
            limit=limit,
        )

    async def list_for_caller(
        self, principal: Principal, f: ProductFilters, sort: Sort, cursor: str | None, limit: int
    ) -> tuple[list[Product], str | None]:
        stmt = scope_to_caller(
            filtered(with_children(select(Product)), f),
            principal,
            Product.supplier_id,
            region_column=Product.region_id,
        )
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=SORT_COLUMNS,
            id_column=Product.id,
            cursor=cursor,
            limit=limit,
        )

    async def of_supplier(self, supplier_id: uuid.UUID, *, lock: bool = False) -> list[Product]:
        stmt = with_children(select(Product).where(Product.supplier_id == supplier_id))
        if lock:
            stmt = stmt.with_for_update(of=Product)
        return list((await self.session.execute(stmt.order_by(Product.id))).scalars().all())

    async def by_ids(self, ids: Iterable[uuid.UUID]) -> list[Product]:
        ids = list(ids)
        if not ids:
            return []
        stmt = with_children(select(Product).where(Product.id.in_(ids)))
        return list((await self.session.execute(stmt.order_by(Product.id))).scalars().all())

    async def skus_taken(
        self, supplier_id: uuid.UUID, skus: list[str], exclude_product: uuid.UUID | None = None
    ) -> list[str]:
        if not skus:
            return []
        stmt = select(Variant.sku).where(Variant.supplier_id == supplier_id, Variant.sku.in_(skus))
        if exclude_product is not None:
            stmt = stmt.where(Variant.product_id != exclude_product)
        return sorted((await self.session.execute(stmt)).scalars().all())

    async def image_count(self, product_id: uuid.UUID) -> int:
        stmt = select(func.count()).where(ProductImage.product_id == product_id)
        return int((await self.session.execute(stmt)).scalar_one())

    async def get_image(self, image_id: uuid.UUID) -> tuple[ProductImage, Product] | None:
        stmt = select(ProductImage, Product).join(Product, Product.id == ProductImage.product_id)
        row = (await self.session.execute(stmt.where(ProductImage.id == image_id))).first()
        return (row[0], row[1]) if row else None

    async def history(self, product_id: uuid.UUID) -> list[ProductHistory]:
        stmt = (
            select(ProductHistory)
            .where(ProductHistory.product_id == product_id)
            .order_by(ProductHistory.at, ProductHistory.id)
        )
        return list((await self.session.execute(stmt)).scalars().all())

    async def on_sale_ids(
        self, region_id: uuid.UUID | None = None, after: uuid.UUID | None = None, limit: int = 500
    ) -> list[uuid.UUID]:
        stmt = select(Product.id).where(Product.on_sale)
        if region_id:
            stmt = stmt.where(Product.region_id == region_id)
        if after:
            stmt = stmt.where(Product.id > after)
        stmt = stmt.order_by(Product.id).limit(limit)
        return list((await self.session.execute(stmt)).scalars().all())

    async def count_on_sale(self) -> int:
        stmt = select(func.count()).select_from(Product).where(Product.on_sale)
        return int((await self.session.execute(stmt)).scalar_one())

    async def listing_states(
        self, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[bool, str | None]]:
        """(on_sale, brand_name) of these products, as the database has them now."""
        if not ids:
            return {}
        await self._read_only()
        stmt = select(Product.id, Product.on_sale, Product.brand_name).where(Product.id.in_(ids))
        return {r.id: (r.on_sale, r.brand_name) for r in (await self.session.execute(stmt)).all()}
