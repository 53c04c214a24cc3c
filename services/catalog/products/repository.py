from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Select, func, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.catalog.products.models import (
    Product,
    ProductHistory,
    ProductImage,
    PublicVersion,
    Variant,
)
from services.catalog.products.rules import SORT_FIELDS
from shared.auth.access import scope_to_caller
from shared.auth.principal import Principal
from shared.db import read_pool
from shared.errors import BadRequest, FieldError
from shared.pagination import MAX_LIMIT, Sort, decode_cursor, encode_cursor, paginate

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


# ---------------------------------------------------------------- public reads, raw


def _ts(column: str) -> str:
    """A timestamptz as pydantic writes it: UTC, `Z`, microseconds only when not zero."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN date_part('microseconds', {column})::int % 1000000 = 0 THEN ''"
        f" ELSE to_char({utc}, '.US') END || 'Z' END"
    )


def _public_json_sql() -> str:
    """The JSON of `schemas.Product` for one row `p`, written by PostgreSQL (fields in the
    schema's order): variants, images and the supplier's name are subqueries of the row."""
    schema = Product.__table__.schema
    variants = (
        f"(SELECT coalesce(json_agg(json_build_object("
        f"'id', v.id, 'sku', v.sku, 'name', v.name, 'unit', v.unit, "
        f"'net_weight_g', v.net_weight_g, 'volume_cm3', v.volume_cm3, "
        f"'packaging', v.packaging, 'retail_price_fen', v.retail_price_fen"
        f") ORDER BY v.position, v.id), '[]'::json) FROM {schema}.variants v "
        f"WHERE v.product_id = p.id)"
    )
    images = (
        f"(SELECT coalesce(json_agg(json_build_object("
        f"'id', i.id, 'url', '{IMAGE_PREFIX}' || i.id, "
        f"'thumbnail_url', '{IMAGE_PREFIX}' || i.id || '?size=thumbnail', "
        f"'content_type', i.content_type, 'width', i.width, 'height', i.height"
        f") ORDER BY i.position, i.id), '[]'::json) FROM {schema}.product_images i "
        f"WHERE i.product_id = p.id)"
    )
    supplier = (
        f"(SELECT coalesce(s.display_name, s.name) FROM {schema}.suppliers s "
        f"WHERE s.org_id = p.supplier_id)"
    )
    return (
        "json_build_object("
        "'id', p.id, 'region_id', p.region_id, 'supplier_id', p.supplier_id, "
        f"'supplier_name', {supplier}, "
        "'name', p.name, 'name_en', p.name_en, 'pinyin', p.pinyin, "
        "'pinyin_initials', p.pinyin_initials, 'category', p.category, "
        "'description', p.description, 'origin_township', p.origin_township, "
        "'origin_village', p.origin_village, 'grade', p.grade, 'storage', p.storage, "
        "'shelf_life_days', p.shelf_life_days, 'storage_notes', p.storage_notes, "
        "'attributes', p.attributes, 'channels', p.channels, "
        "'retail_price_fen', p.retail_price_fen, "
        "'brand_id', CASE WHEN p.brand_licence_id IS NOT NULL THEN p.brand_id END, "
        "'brand', p.brand_name, 'certificates', p.certificate_kinds, "
        f"'variants', {variants}, 'images', {images}, "
        f"'listed_at', {_ts('p.listed_at')}"
        ")::text"
    )


IMAGE_PREFIX = "/v1/catalog/images/"
# filter name -> SQL condition on `p` with one parameter ({} is its number)
_PUBLIC_FILTERS: dict[str, str] = {
    "region_id": "p.region_id = ${}",
    "supplier_id": "p.supplier_id = ${}",
    "category": "p.category = ${}",
    "township": "p.origin_township = ${}",
    "grade": "p.grade = ${}",
    "channel": "p.channels @> jsonb_build_array(${}::text)",
    "brand_id": "p.brand_id = ${} AND p.brand_licence_id IS NOT NULL",
}
_SORT_TYPES: dict[str, type] = {
    "listed_at": datetime,
    "updated_at": datetime,
    "created_at": datetime,
    "name": str,
    "retail_price_fen": int,
}


class PublicProductReads:
    """The public product list and detail as JSON text straight from PostgreSQL, on the
    read pool (`shared.db.read_pool`): one statement, no transaction, no ORM object, no
    pydantic model per request — the bytes PostgreSQL writes are the bytes sent."""

    _sql: dict[Any, str] = {}

    def __init__(self, url: str) -> None:
        self.url = url

    @classmethod
    def _detail_sql(cls) -> str:
        found = cls._sql.get("detail")
        if found is None:
            schema = Product.__table__.schema
            found = cls._sql["detail"] = (
                f"SELECT {_public_json_sql()} FROM {schema}.products p "
                "WHERE p.id = $1 AND p.on_sale"
            )
        return found

    # per event loop and database: the version read not yet sent, that arrivals may share
    _unsent_version_reads: dict[tuple[asyncio.AbstractEventLoop, str], asyncio.Future[Any]] = {}
    _version_tasks: set[asyncio.Task[None]] = set()

    async def version(self) -> int | None:
        """`catalog.public_version` as of a read sent after this call began: it changes in
        the transaction of every change to what the public JSON is read from (products,
        variants, images, suppliers).

        Concurrent callers share one read as long as it has not been sent yet: a read sent
        after a caller arrived sees every change committed before it arrived, which is all
        a caller may ask for. Under load one round trip then serves a whole burst."""
        key = (asyncio.get_running_loop(), self.url)
        unsent = self._unsent_version_reads.get(key)
        if unsent is None:
            unsent = self._unsent_version_reads[key] = key[0].create_future()
            task = key[0].create_task(self._read_version(key, unsent))
            self._version_tasks.add(task)  # (the loop keeps only a weak reference)
            task.add_done_callback(self._version_tasks.discard)
        return await asyncio.shield(unsent)

    async def _read_version(
        self, key: tuple[asyncio.AbstractEventLoop, str], result: asyncio.Future[Any]
    ) -> None:
        sql = self._sql.get("version")
        if sql is None:
            sql = self._sql["version"] = (
                f"SELECT version FROM {PublicVersion.__table__.schema}.public_version WHERE id = 1"
            )
        try:
            pool = await read_pool(self.url)
            async with pool.acquire() as conn:
                # from here on the read is (about to be) on the wire: later arrivals need
                # their own
                self._forget(key, result)
                version = await conn.fetchval(sql)
        except Exception as exc:
            result.set_exception(exc)
            return
        finally:
            self._forget(key, result)
        result.set_result(version)

    @classmethod
    def _forget(cls, key: tuple[asyncio.AbstractEventLoop, str], read: asyncio.Future[Any]) -> None:
        if cls._unsent_version_reads.get(key) is read:
            del cls._unsent_version_reads[key]

    async def detail(self, product_id: uuid.UUID) -> bytes | None:
        pool = await read_pool(self.url)
        async with pool.acquire() as conn:
            text = await conn.fetchval(self._detail_sql(), product_id)
        return text.encode() if text is not None else None

    @classmethod
    def _list_sql(cls, filters: tuple[str, ...], branded: bool | None, sort: Sort, after: bool):
        key = (filters, branded, sort, after)
        found = cls._sql.get(key)
        if found is not None:
            return found
        schema = Product.__table__.schema
        column = f"p.{sort.field}"
        where = ["p.on_sale"]
        for n, name in enumerate(filters, start=1):
            where.append(_PUBLIC_FILTERS[name].format(n))
        if branded is True:
            where.append("p.brand_licence_id IS NOT NULL")
        if branded is False:
            where.append("p.brand_licence_id IS NULL")
        n = len(filters)
        if after:
            op = "<" if sort.descending else ">"
            where.append(
                f"({column} {op} ${n + 1} OR ({column} = ${n + 1} AND p.id {op} ${n + 2}))"
            )
            n += 2
        direction = "DESC" if sort.descending else "ASC"
        found = cls._sql[key] = (
            f"SELECT {_public_json_sql()} AS body, {column} AS sort_key, p.id "
            f"FROM {schema}.products p WHERE {' AND '.join(where)} "
            f"ORDER BY {column} {direction}, p.id {direction} LIMIT ${n + 1}"
        )
        return found

    async def page(self, f: ProductFilters, sort: Sort, cursor: str | None, limit: int) -> bytes:
        """`{"items": [...], "next_cursor": ...}` of `schemas.ProductPage`, as bytes."""
        names = tuple(name for name in _PUBLIC_FILTERS if getattr(f, name) is not None)
        args: list[Any] = [getattr(f, name) for name in names]
        if cursor:
            key, last_id = decode_cursor(cursor, sort)
            if not isinstance(key, _SORT_TYPES[sort.field]) or not isinstance(last_id, uuid.UUID):
                raise BadRequest(
                    "The cursor is invalid or belongs to another sort",
                    code="validation-error",
                    errors=[FieldError("cursor", "invalid cursor")],
                )
            args += [key, last_id]
        limit = max(1, min(limit, MAX_LIMIT))
        args.append(limit + 1)
        sql = self._list_sql(names, f.branded, sort, bool(cursor))
        pool = await read_pool(self.url)
        async with pool.acquire() as conn:
            rows = await conn.fetch(sql, *args)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            next_cursor = encode_cursor(sort, last["sort_key"], last["id"])
        return b"".join(
            (
                b'{"items":[',
                ",".join(r["body"] for r in rows).encode(),
                b'],"next_cursor":',
                orjson.dumps(next_cursor),
                b"}",
            )
        )

    async def listing_states(
        self, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[bool, str | None]]:
        """(on_sale, brand_name) of these products, as the database has them now."""
        if not ids:
            return {}
        sql = self._sql.get("states")
        if sql is None:
            sql = self._sql["states"] = (
                f"SELECT id, on_sale, brand_name FROM {Product.__table__.schema}.products "
                "WHERE id = ANY($1::uuid[])"
            )
        pool = await read_pool(self.url)
        async with pool.acquire() as conn:
            rows = await conn.fetch(sql, ids)
        return {r["id"]: (r["on_sale"], r["brand_name"]) for r in rows}
