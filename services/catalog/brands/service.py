"""The public brand and its licences: who may sell what under it, and until when."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.brands.models import BrandLicence, LicenceTransition, PublicBrand
from services.catalog.brands.repository import BRAND_SORTS, LICENCE_SORTS, BrandRepository
from services.catalog.brands.rules import LICENCE_MACHINE
from services.catalog.brands.schemas import BrandCreate, BrandUpdate, LicenceCreate
from services.catalog.categories.service import check_categories
from services.catalog.listing import refresh_listing, region_today
from services.catalog.problems import BRAND_EXISTS, LICENCE_PRODUCTS_INVALID
from services.catalog.products.images import store_image
from services.catalog.products.repository import ProductRepository
from services.catalog.suppliers.repository import SupplierRepository
from shared import storage
from shared.auth.access import ensure_operator_of
from shared.auth.principal import Principal
from shared.auth.roles import OPERATOR_WRITE_ROLES
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import ListQuery

BRAND_ROLES = OPERATOR_WRITE_ROLES


async def create_brand(session: AsyncSession, principal: Principal, data: BrandCreate):
    ensure_operator_of(principal, data.region_id, BRAND_ROLES)
    repo = BrandRepository(session)
    if await repo.brand_named(data.region_id, data.name):
        raise Conflict("The region already has this brand", code=BRAND_EXISTS)
    await check_categories(session, data.region_id, "categories", data.categories, indexed=True)
    brand = PublicBrand(
        id=uuid.uuid4(),
        region_id=data.region_id,
        name=data.name,
        story=data.story,
        categories=data.categories,
        trademark_classes=data.trademark_classes,
        vi_assets=[a.model_dump() for a in data.vi_assets],
        created_by=principal.user_id,
    )
    repo.add(brand)
    await repo.flush()
    return brand


async def get_brand(session: AsyncSession, brand_id: uuid.UUID) -> PublicBrand:
    brand = await BrandRepository(session).get_brand(brand_id)
    if brand is None:
        raise NotFound("No such brand")
    return brand


BRAND_SORT_FIELDS = tuple(BRAND_SORTS)
LICENCE_SORT_FIELDS = tuple(LICENCE_SORTS)


async def list_brands(
    session: AsyncSession, region_id: uuid.UUID, query: ListQuery
) -> tuple[list[PublicBrand], str | None]:
    return await BrandRepository(session).brands_page(region_id, query)


async def update_brand(
    session: AsyncSession, principal: Principal, brand_id: uuid.UUID, data: BrandUpdate
) -> PublicBrand:
    brand = await get_brand(session, brand_id)
    ensure_operator_of(principal, brand.region_id, BRAND_ROLES)
    other = await BrandRepository(session).brand_named(brand.region_id, data.name)
    if other is not None and other.id != brand.id:
        raise Conflict("The region already has this brand", code=BRAND_EXISTS)
    await check_categories(
        session,
        brand.region_id,
        "categories",
        data.categories,
        kept=list(brand.categories),
        indexed=True,
    )
    renamed = brand.name != data.name
    brand.name = data.name
    brand.story = data.story
    brand.categories = data.categories
    brand.trademark_classes = data.trademark_classes
    brand.vi_assets = [a.model_dump() for a in data.vi_assets]
    await session.flush()
    if renamed:
        await _refresh_brand_products(session, brand.id, "brand_renamed")
    return brand


async def set_logo(
    session: AsyncSession, principal: Principal, brand_id: uuid.UUID, content: bytes
) -> PublicBrand:
    brand = await get_brand(session, brand_id)
    ensure_operator_of(principal, brand.region_id, BRAND_ROLES)
    stored = store_image(f"catalog/brands/{brand.id}", content)
    brand.logo_key = stored.key
    brand.logo_content_type = stored.content_type
    return brand


async def logo(session: AsyncSession, brand_id: uuid.UUID) -> tuple[str, bytes]:
    brand = await get_brand(session, brand_id)
    if not brand.logo_key:
        raise NotFound("The brand has no logo")
    return brand.logo_content_type or "image/png", storage.load(brand.logo_key)


async def _check_products(
    session: AsyncSession, brand: PublicBrand, supplier_id: uuid.UUID, ids: list[uuid.UUID]
) -> None:
    products = {p.id: p for p in await ProductRepository(session).by_ids(ids)}
    errors = []
    for pid in ids:
        product = products.get(pid)
        if product is None or product.supplier_id != supplier_id:
            errors.append(FieldError("product_ids", f"{pid} is not this supplier's", "foreign"))
        elif brand.categories and product.category not in brand.categories:
            errors.append(
                FieldError("product_ids", f"{pid} ({product.category}) is outside the brand")
            )
    if errors:
        raise RuleViolation(
            "Some products cannot carry this brand", code=LICENCE_PRODUCTS_INVALID, errors=errors
        )


async def _refresh_supplier(
    session: AsyncSession, supplier_id: uuid.UUID, reason: str, today: date | None = None
) -> None:
    """Relist the supplier's products; `today` is the day the caller decides for (the daily
    check run for a given date must not be undone by a relisting for the calendar day)."""
    for product in await ProductRepository(session).of_supplier(supplier_id, lock=True):
        await refresh_listing(session, product, reason=reason, today=today)


async def _refresh_brand_products(session: AsyncSession, brand_id: uuid.UUID, reason: str):
    repo = BrandRepository(session)
    suppliers = {lic.supplier_id for lic in await repo.licences_for_brand(brand_id)}
    for supplier_id in suppliers:
        await _refresh_supplier(session, supplier_id, reason)


async def grant_licence(
    session: AsyncSession, principal: Principal, brand_id: uuid.UUID, data: LicenceCreate
) -> BrandLicence:
    brand = await get_brand(session, brand_id)
    ensure_operator_of(principal, brand.region_id, BRAND_ROLES)
    supplier = await SupplierRepository(session).get(data.supplier_id)
    if supplier is None or supplier.region_id != brand.region_id:
        raise RuleViolation(
            "No such supplier in this region", errors=[FieldError("supplier_id", "unknown")]
        )
    await _check_products(session, brand, data.supplier_id, data.product_ids)
    # A licence whose end date already passed is recorded as it is: expired (renew it).
    status, reason = "active", None
    if data.valid_until < region_today():
        status, reason = "expired", f"valid until {data.valid_until}, already past"
    licence = BrandLicence(
        id=uuid.uuid4(),
        brand_id=brand.id,
        region_id=brand.region_id,
        supplier_id=data.supplier_id,
        number=data.number or f"LIC-{uuid.uuid4().hex[:10].upper()}",
        product_ids=[str(p) for p in data.product_ids],
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        status=status,
        status_reason=reason,
    )
    session.add(licence)
    session.add(
        LicenceTransition(
            licence_id=licence.id,
            action="grant",
            from_status="none",
            to_status=status,
            reason=reason,
            actor_user_id=principal.user_id,
        )
    )
    await session.flush()
    await publish(
        session,
        "catalog.licence.status_changed",
        licence_event_data(licence, brand, "none", "grant", reason),
        region_id=licence.region_id,
    )
    await _refresh_supplier(session, data.supplier_id, "licence_granted")
    return licence


async def get_licence(
    session: AsyncSession, principal: Principal, licence_id: uuid.UUID
) -> tuple[BrandLicence, list[LicenceTransition]]:
    repo = BrandRepository(session)
    licence = await repo.get_licence_for_caller(principal, licence_id)
    if licence is None:
        raise NotFound("No such licence")
    return licence, await repo.transitions(licence.id)


async def list_licences(
    session: AsyncSession,
    principal: Principal,
    brand_id: uuid.UUID | None,
    supplier_id: uuid.UUID | None,
    query: ListQuery,
) -> tuple[list[BrandLicence], str | None]:
    return await BrandRepository(session).licences_page(principal, brand_id, supplier_id, query)


async def set_licence_products(
    session: AsyncSession, principal: Principal, licence_id: uuid.UUID, ids: list[uuid.UUID]
) -> BrandLicence:
    licence, _ = await get_licence(session, principal, licence_id)
    ensure_operator_of(principal, licence.region_id, BRAND_ROLES)
    brand = await get_brand(session, licence.brand_id)
    await _check_products(session, brand, licence.supplier_id, ids)
    before = set(licence.product_ids)
    licence.product_ids = [str(p) for p in ids]
    session.add(
        LicenceTransition(
            licence_id=licence.id,
            action="change_products",
            from_status=licence.status,
            to_status=licence.status,
            reason=f"{len(before)} -> {len(ids)} products",
            actor_user_id=principal.user_id,
        )
    )
    await session.flush()
    await _refresh_supplier(session, licence.supplier_id, "licence_products_changed")
    return licence


async def apply_licence_action(
    session: AsyncSession,
    licence: BrandLicence,
    action: str,
    *,
    actor: uuid.UUID | None,
    reason: str | None = None,
    valid_until: date | None = None,
    today: date | None = None,
) -> BrandLicence:
    """The one function that moves a licence: checks the table, records, publishes, relists."""
    LICENCE_MACHINE.next_state(licence.status, action)  # refuse before any change
    if action == "renew":
        if valid_until is None or valid_until < region_today():
            raise RuleViolation(
                "Renewing needs a new end date in the future",
                errors=[FieldError("valid_until", "a future date")],
            )
        licence.valid_until = valid_until
    source = licence.status
    target = await LICENCE_MACHINE.apply(session, licence, action, actor_id=actor, reason=reason)
    licence.status_reason = reason
    session.add(
        LicenceTransition(
            licence_id=licence.id,
            action=action,
            from_status=source,
            to_status=target,
            reason=reason,
            actor_user_id=actor,
        )
    )
    await session.flush()
    brand = await BrandRepository(session).get_brand(licence.brand_id)
    await publish(
        session,
        "catalog.licence.status_changed",
        licence_event_data(licence, brand, source, action, reason),
        region_id=licence.region_id,
    )
    await _refresh_supplier(session, licence.supplier_id, f"licence_{target}", today)
    return licence


LICENCE_MESSAGES_ZH = {
    "active": "品牌「{brand}」授权（{number}）已生效，有效期至 {until}。",
    "suspended": "品牌「{brand}」授权（{number}）已暂停：{reason}。暂停期间商品以无品牌方式继续销售。",
    "expired": "品牌「{brand}」授权（{number}）已于 {until} 到期。商品以无品牌方式继续销售；续期后恢复品牌。",
    "revoked": "品牌「{brand}」授权（{number}）已撤销：{reason}。商品以无品牌方式继续销售。",
}


def licence_event_data(
    licence: BrandLicence,
    brand: PublicBrand | None,
    source: str,
    action: str,
    reason: str | None,
) -> dict:
    """The payload of catalog.licence.status_changed: enough for identity to notify the
    supplier organisation without asking catalog (brand name, dates, products, a message)."""
    brand_name = brand.name if brand else ""
    return {
        "licence_id": str(licence.id),
        "brand_id": str(licence.brand_id),
        "brand_name": brand_name,
        "region_id": str(licence.region_id),
        "supplier_id": str(licence.supplier_id),
        "organisation_id": str(licence.supplier_id),
        "number": licence.number,
        "from_status": source,
        "to_status": licence.status,
        "action": action,
        "reason": reason,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat(),
        "product_ids": [str(p) for p in licence.product_ids],
        "sells_unbranded": licence.status != "active",
        "message": LICENCE_MESSAGES_ZH[licence.status].format(
            brand=brand_name,
            number=licence.number,
            until=licence.valid_until.isoformat(),
            reason=reason or "",
        ),
    }


async def licence_action(
    session: AsyncSession,
    principal: Principal,
    licence_id: uuid.UUID,
    action: str,
    reason: str | None,
    valid_until: date | None,
) -> BrandLicence:
    licence, _ = await get_licence(session, principal, licence_id)
    ensure_operator_of(principal, licence.region_id, BRAND_ROLES)
    if action in ("suspend", "revoke") and not reason:
        raise RuleViolation("Give a reason", errors=[FieldError("reason", "required")])
    locked = await BrandRepository(session).get_licence(licence.id, lock=True)
    assert locked is not None
    return await apply_licence_action(
        session, locked, action, actor=principal.user_id, reason=reason, valid_until=valid_until
    )


async def expire_lapsed_licences(
    session: AsyncSession, today: date, region_id: uuid.UUID | None = None
) -> int:
    """Daily: licences past their end date become expired; their products lose the brand."""
    lapsed = await BrandRepository(session).lapsing(today, region_id)
    for licence in lapsed:
        await apply_licence_action(
            session,
            licence,
            "expire",
            actor=None,
            reason=f"valid until {licence.valid_until}",
            today=today,
        )
    return len(lapsed)
