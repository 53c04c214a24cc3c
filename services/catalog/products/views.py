"""Read schemas built from products (with the supplier's public name)."""

from __future__ import annotations

from services.catalog.products import rules
from services.catalog.products.models import Product
from services.catalog.products.schemas import Image, ManagedProduct, Variant

PREFIX = "/v1/catalog"


def _common(product: Product, supplier_name: str | None) -> dict:
    data = _common_scalars(product)
    data["supplier_name"] = supplier_name
    data["variants"] = [Variant.model_validate(v) for v in product.variants]
    data["images"] = [
        Image(
            id=i.id,
            url=f"{PREFIX}/images/{i.id}",
            thumbnail_url=f"{PREFIX}/images/{i.id}?size=thumbnail",
            content_type=i.content_type,
            width=i.width,
            height=i.height,
        )
        for i in product.images
    ]
    return data


def _common_scalars(product: Product) -> dict:
    return {
        "id": product.id,
        "region_id": product.region_id,
        "supplier_id": product.supplier_id,
        "name": product.name,
        "name_en": product.name_en,
        "pinyin": product.pinyin,
        "pinyin_initials": product.pinyin_initials,
        "category": product.category,
        "description": product.description,
        "origin_township": product.origin_township,
        "origin_village": product.origin_village,
        "grade": product.grade,
        "storage": product.storage,
        "shelf_life_days": product.shelf_life_days,
        "storage_notes": product.storage_notes,
        "attributes": product.attributes,
        "channels": list(product.channels),
        "retail_price_fen": product.retail_price_fen,
        "brand_id": product.brand_id if product.brand_licence_id else None,
        "brand": product.brand_name,
        "certificates": list(product.certificate_kinds),
        "listed_at": product.listed_at,
    }


def managed_product(product: Product, supplier_name: str | None) -> ManagedProduct:
    data = _common(product, supplier_name)
    data["brand_id"] = product.brand_id
    return ManagedProduct(
        **data,
        status=product.status,
        review_reasons=list(product.review_reasons),
        on_sale=product.on_sale,
        certificate_hold=product.certificate_hold,
        allowed_actions=rules.REVIEW_MACHINE.allowed_actions(product.status),
        version=product.version,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )
