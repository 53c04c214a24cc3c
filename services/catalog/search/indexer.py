"""Keeping the public product index in step with the database."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.products.models import Product
from services.catalog.products.pinyin import name_pinyin, search_terms
from services.catalog.products.repository import ProductRepository
from services.catalog.search import engine
from services.catalog.search.documents import price_band
from services.catalog.suppliers.repository import SupplierRepository

log = structlog.get_logger(__name__)


def product_price(product: Product) -> int | None:
    prices = [v.retail_price_fen for v in product.variants if v.retail_price_fen is not None]
    if product.retail_price_fen is not None:
        return product.retail_price_fen
    return min(prices) if prices else None


def product_document(product: Product, supplier_name: str | None) -> dict[str, Any]:
    price = product_price(product)
    reading = name_pinyin(product.name)
    return {
        "id": str(product.id),
        "region_id": str(product.region_id),
        "supplier_id": str(product.supplier_id),
        "supplier_name": supplier_name,
        "name": product.name,
        "name_en": product.name_en,
        "pinyin": product.pinyin or reading.full,
        "pinyin_initials": product.pinyin_initials or reading.initials,
        # Search only: the name's pinyin from every syllable on, so typing any part of it
        # (joined or as initials) matches by prefix.
        **search_terms(product.name),
        "category": product.category,
        "description": product.description[:2000],
        "brand": product.brand_name,
        "township": product.origin_township,
        "village": product.origin_village,
        "grade": product.grade,
        "storage": product.storage,
        "channels": list(product.channels),
        "certificates": list(product.certificate_kinds),
        "price_fen": price,
        "price_band": price_band(price),
        "variant_names": [v.name for v in product.variants],
        "thumbnail_url": (
            f"/v1/catalog/images/{product.images[0].id}?size=thumbnail" if product.images else None
        ),
        # milliseconds: products listed within one second still sort newest first
        "listed_ts": int(product.listed_at.timestamp() * 1000) if product.listed_at else 0,
    }


async def documents_for(session: AsyncSession, products: list[Product]) -> list[dict[str, Any]]:
    suppliers = await SupplierRepository(session).by_ids([p.supplier_id for p in products])
    return [
        product_document(
            p, suppliers[p.supplier_id].public_name if p.supplier_id in suppliers else None
        )
        for p in products
    ]


async def sync_product(session: AsyncSession, product_id: uuid.UUID) -> str:
    """Put the product's current state in the index: upsert if on sale, else remove it.

    Reading the database (not the event) makes late or repeated events harmless.
    """
    product = await ProductRepository(session).get(product_id)
    index = await engine.ensure_index()
    if product is None or not product.on_sale:
        await index.delete_document(str(product_id))
        return "removed"
    await index.add_documents(await documents_for(session, [product]), primary_key="id")
    return "indexed"
