"""Whether a product is on sale and which brand it carries, recomputed from every input.

Inputs: its review status, its supplier (read model), the supplier's brand licences and
the product's certificates. Any change to one of them calls `refresh_listing`, which
updates the derived columns and publishes catalog.product.published / updated / delisted;
catalog consumes its own events to keep the search index in step.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.brands.models import BrandLicence
from services.catalog.brands.repository import BrandRepository
from services.catalog.brands.rules import LicenceView, covering_licence
from services.catalog.certificates.repository import CertificateRepository
from services.catalog.certificates.rules import CertificateView, lapsed_kinds, valid_kinds
from services.catalog.products import rules
from services.catalog.products.models import Product
from services.catalog.suppliers.repository import SupplierRepository
from shared.db import utcnow
from shared.events import publish

DEFAULT_TIMEZONE = "Asia/Shanghai"


def region_today(now: datetime | None = None, timezone: str = DEFAULT_TIMEZONE) -> date:
    """The county's calendar day (licence and certificate validity are local dates)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date()


def licence_view(licence: BrandLicence) -> LicenceView:
    return LicenceView(
        id=licence.id,
        status=licence.status,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        product_ids=frozenset(str(p) for p in licence.product_ids),
    )


def product_event_data(product: Product) -> dict[str, Any]:
    return {
        "product_id": str(product.id),
        "region_id": str(product.region_id),
        "supplier_id": str(product.supplier_id),
        "name": product.name,
        "brand": product.brand_name,
        "category": product.category,
        "channels": list(product.channels),
        "storage": product.storage,
        "variants": [
            {
                "variant_id": str(v.id),
                "sku": v.sku,
                "name": v.name,
                "unit": v.unit,
                "net_weight_g": v.net_weight_g,
                "volume_cm3": v.volume_cm3,
            }
            for v in product.variants
        ],
    }


async def refresh_listing(
    session: AsyncSession,
    product: Product,
    *,
    reason: str,
    today: date | None = None,
    content_changed: bool = False,
    licences: list[BrandLicence] | None = None,
) -> bool:
    """Recompute the derived columns; publish what changed. Returns whether it is on sale."""
    today = today or region_today()
    supplier = await SupplierRepository(session).get(product.supplier_id)
    if licences is None:
        licences = await BrandRepository(session).licences_of_supplier(product.supplier_id)
    # Product-level certificates decide sale; a lot's own certificates show on its trace page.
    certificates = await CertificateRepository(session).of_product(product.id)
    views = [
        CertificateView(c.kind, c.required, c.valid_from, c.valid_until)
        for c in certificates
        if c.lot_id is None
    ]

    # The product carries the brand it asked for, or any brand whose licence names it.
    eligible = [
        lic for lic in licences if product.brand_id is None or lic.brand_id == product.brand_id
    ]
    licence = covering_licence([licence_view(lic) for lic in eligible], product.id, today)
    brand_name = None
    if licence is not None:
        brand_id = next(lic.brand_id for lic in eligible if lic.id == licence.id)
        brand = await BrandRepository(session).get_brand(brand_id)
        brand_name = brand.name if brand else None

    was_on_sale = product.on_sale
    before = (product.brand_licence_id, product.brand_name, list(product.certificate_kinds))
    product.brand_licence_id = licence.id if licence else None
    product.brand_name = brand_name
    product.certificate_kinds = valid_kinds(views, today)
    product.certificate_hold = bool(lapsed_kinds(views, today))
    now_on_sale = rules.on_sale(
        product.status, supplier is not None and supplier.sellable, product.certificate_hold
    )
    product.on_sale = now_on_sale
    after = (product.brand_licence_id, product.brand_name, list(product.certificate_kinds))

    if now_on_sale and not was_on_sale:
        product.listed_at = utcnow()
        await publish(
            session,
            "catalog.product.published",
            product_event_data(product),
            region_id=product.region_id,
        )
    elif was_on_sale and not now_on_sale:
        await publish(
            session,
            "catalog.product.delisted",
            {
                "product_id": str(product.id),
                "region_id": str(product.region_id),
                "supplier_id": str(product.supplier_id),
                "reason": reason,
            },
            region_id=product.region_id,
        )
    elif now_on_sale and (content_changed or before != after):
        await publish(
            session,
            "catalog.product.updated",
            product_event_data(product),
            region_id=product.region_id,
        )
    return now_on_sale
