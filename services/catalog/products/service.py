"""Products: drafting, editing, review, images and the audit history."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.brands.repository import BrandRepository
from services.catalog.categories.service import check_categories
from services.catalog.db import SERVICE
from services.catalog.listing import refresh_listing
from services.catalog.problems import (
    PRODUCT_INCOMPLETE,
    PRODUCT_NOT_EDITABLE,
    REASONS_REQUIRED,
    SKU_TAKEN,
)
from services.catalog.products import rules
from services.catalog.products.images import store_image
from services.catalog.products.models import Product, ProductHistory, ProductImage, Variant
from services.catalog.products.pinyin import name_pinyin
from services.catalog.products.repository import (
    ProductFilters,
    ProductRepository,
    PublicProductReads,
)
from services.catalog.products.schemas import ProductCreate, ProductFields, ProductUpdate
from services.catalog.suppliers.repository import SupplierRepository
from services.catalog.suppliers.service import supplier_for_caller
from shared import storage
from shared.auth.access import can_act_for_org, ensure_operator_of, ensure_writable
from shared.auth.principal import Principal
from shared.auth.roles import OPERATOR_WRITE_ROLES, REVIEW_ROLES
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.pagination import Sort
from shared.settings import get_settings
from shared.web import body_etag

# The region's operator decides reviews: its reviewers and its staff.
REVIEWER_ROLES = tuple(dict.fromkeys((*REVIEW_ROLES, *OPERATOR_WRITE_ROLES)))
PRODUCT_FIELDS = (
    "name",
    "name_en",
    "pinyin",
    "category",
    "description",
    "origin_township",
    "origin_village",
    "grade",
    "storage",
    "shelf_life_days",
    "storage_notes",
    "attributes",
    "channels",
    "retail_price_fen",
)


def snapshot(product: Product) -> dict[str, Any]:
    """The product's editable content, as the audit history records it."""
    data: dict[str, Any] = {name: getattr(product, name) for name in PRODUCT_FIELDS}
    data["brand_id"] = str(product.brand_id) if product.brand_id else None
    data["variants"] = [
        {
            "sku": v.sku,
            "name": v.name,
            "unit": v.unit,
            "net_weight_g": v.net_weight_g,
            "volume_cm3": v.volume_cm3,
            "packaging": v.packaging,
            "retail_price_fen": v.retail_price_fen,
        }
        for v in product.variants
    ]
    return data


def record(
    session: AsyncSession,
    product: Product,
    principal: Principal | None,
    action: str,
    *,
    from_status: str | None = None,
    reasons: list[str] | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    session.add(
        ProductHistory(
            product_id=product.id,
            action=action,
            from_status=from_status,
            to_status=product.status,
            reasons=reasons or [],
            changes=changes or {},
            actor_user_id=principal.user_id if principal else None,
            actor_org_id=_acting_org(principal, product),
        )
    )


def _acting_org(principal: Principal | None, product: Product) -> uuid.UUID | None:
    if principal is None:
        return None
    if can_act_for_org(principal, product.supplier_id):
        return product.supplier_id
    operators = principal.memberships_where(["operator"])
    return next((m.org_id for m in operators if m.region_id == product.region_id), None)


async def _check_brand(session: AsyncSession, product_region: uuid.UUID, data: ProductFields):
    if data.brand_id is None:
        return
    brand = await BrandRepository(session).get_brand(data.brand_id)
    if brand is None or brand.region_id != product_region:
        raise RuleViolation(
            "No such brand in this region", errors=[FieldError("brand_id", "unknown brand")]
        )


def _apply_fields(product: Product, data: ProductFields) -> None:
    for name in PRODUCT_FIELDS:
        setattr(product, name, getattr(data, name))
    reading = name_pinyin(data.name)
    # Buyers type pinyin: a supplier who gives none gets one made from the name.
    product.pinyin = data.pinyin or reading.full or None
    product.pinyin_initials = reading.initials or None
    product.brand_id = data.brand_id
    by_sku = {v.sku: v for v in product.variants}
    variants = []
    for position, item in enumerate(data.variants):
        variant = by_sku.get(item.sku) or Variant(
            id=uuid.uuid4(), supplier_id=product.supplier_id, sku=item.sku
        )
        variant.name = item.name
        variant.unit = item.unit
        variant.net_weight_g = item.net_weight_g
        variant.volume_cm3 = item.volume_cm3
        variant.packaging = item.packaging
        variant.retail_price_fen = item.retail_price_fen
        variant.position = position
        variants.append(variant)
    product.variants = variants


async def _check_skus(
    repo: ProductRepository, supplier_id: uuid.UUID, data: ProductFields, product_id=None
) -> None:
    taken = await repo.skus_taken(supplier_id, [v.sku for v in data.variants], product_id)
    if taken:
        raise Conflict(
            f"SKU already used: {', '.join(taken)}",
            code=SKU_TAKEN,
            errors=[FieldError("variants", f"SKU {sku} is taken", "taken") for sku in taken],
        )


def _ensure_supplier_writes(principal: Principal, product: Product) -> None:
    """The supplier's members change its products; the region's operator reviews them."""
    ensure_writable(
        principal,
        org_id=product.supplier_id,
        region_id=product.region_id,
        operator_roles=None,
        what="product",
    )


async def create_product(
    session: AsyncSession, principal: Principal, data: ProductCreate, *, action: str = "create"
) -> Product:
    supplier = await supplier_for_caller(session, principal, data.supplier_id)
    repo = ProductRepository(session)
    await check_categories(session, supplier.region_id, "category", [data.category])
    await _check_brand(session, supplier.region_id, data)
    await _check_skus(repo, supplier.org_id, data)
    product = Product(
        id=uuid.uuid4(),
        region_id=supplier.region_id,
        supplier_id=supplier.org_id,
        status="draft",
        review_reasons=[],
        certificate_kinds=[],
        on_sale=False,
        certificate_hold=False,
        version=1,
        variants=[],
        images=[],
    )
    _apply_fields(product, data)
    repo.add(product)
    await repo.flush()
    record(session, product, principal, action, changes=rules.diff({}, snapshot(product)))
    return product


async def get_for_caller(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID, *, lock: bool = False
) -> Product:
    product = await ProductRepository(session).get_for_caller(principal, product_id, lock=lock)
    if product is None:
        raise NotFound("No such product")
    return product


async def update_product(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID, data: ProductUpdate
) -> Product:
    product = await get_for_caller(session, principal, product_id, lock=True)
    _ensure_supplier_writes(principal, product)
    if product.status not in rules.EDITABLE:
        raise Conflict("Withdraw the product from review to change it", code=PRODUCT_NOT_EDITABLE)
    repo = ProductRepository(session)
    await check_categories(
        session, product.region_id, "category", [data.category], kept=[product.category]
    )
    await _check_brand(session, product.region_id, data)
    await _check_skus(repo, product.supplier_id, data, product.id)
    before = snapshot(product)
    _apply_fields(product, data)
    changes = rules.diff(before, snapshot(product))
    if not changes:
        return product
    product.version += 1
    from_status = product.status
    if product.status == "approved":
        # A changed product goes back through review before the public sees it.
        await rules.REVIEW_MACHINE.apply(
            session, product, "revise", actor_id=principal.user_id, reason="content changed"
        )
    record(session, product, principal, "update", from_status=from_status, changes=changes)
    await repo.flush()
    await refresh_listing(session, product, reason="revised", content_changed=True)
    return product


async def transition(
    session: AsyncSession,
    principal: Principal,
    product_id: uuid.UUID,
    action: str,
    reasons: list[str],
) -> Product:
    """Apply one review step; the supplier submits/withdraws, the operator decides."""
    product = await get_for_caller(session, principal, product_id, lock=True)
    if action in rules.OPERATOR_ACTIONS:
        ensure_operator_of(principal, product.region_id, REVIEWER_ROLES)
    else:
        _ensure_supplier_writes(principal, product)
    reasons = [r.strip() for r in reasons if r.strip()]
    if action in rules.NEEDS_REASONS and not reasons:
        raise RuleViolation(
            "Give at least one reason",
            code=REASONS_REQUIRED,
            errors=[FieldError("reasons", "at least one reason")],
        )
    rules.REVIEW_MACHINE.next_state(product.status, action)  # refuse before any check
    if action == "submit":
        missing = rules.missing_for_review(
            len(product.variants), len(product.images), list(product.channels)
        )
        if missing:
            raise RuleViolation(
                "The product is not ready for review",
                code=PRODUCT_INCOMPLETE,
                errors=[FieldError(m, "required for review", "missing") for m in missing],
            )
    from_status = product.status
    await rules.REVIEW_MACHINE.apply(
        session,
        product,
        action,
        actor_id=principal.user_id,
        reason="; ".join(reasons) or None,
        data={"reasons": reasons} if reasons else None,
    )
    if action in rules.NEEDS_REASONS:
        product.review_reasons = reasons
    elif action in ("approve", "submit"):
        product.review_reasons = []
    record(session, product, principal, action, from_status=from_status, reasons=reasons)
    await session.flush()
    await refresh_listing(session, product, reason=action)
    return product


async def add_image(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID, content: bytes
) -> ProductImage:
    product = await get_for_caller(session, principal, product_id, lock=True)
    _ensure_supplier_writes(principal, product)
    if product.status == "submitted":
        raise Conflict("Withdraw the product from review to change it", code=PRODUCT_NOT_EDITABLE)
    stored = store_image(f"catalog/products/{product.id}", content)
    image = ProductImage(
        id=uuid.uuid4(),
        product_id=product.id,
        key=stored.key,
        thumbnail_key=stored.thumbnail_key,
        content_type=stored.content_type,
        width=stored.width,
        height=stored.height,
        position=len(product.images),
    )
    product.images.append(image)
    product.version += 1
    from_status = product.status
    if product.status == "approved":
        await rules.REVIEW_MACHINE.apply(
            session, product, "revise", actor_id=principal.user_id, reason="image added"
        )
    record(
        session,
        product,
        principal,
        "add_image",
        from_status=from_status,
        changes={"images": [None, str(image.id)]},
    )
    await session.flush()
    await refresh_listing(session, product, reason="revised", content_changed=True)
    return image


async def image_file(
    session: AsyncSession, principal: Principal | None, image_id: uuid.UUID, thumbnail: bool
) -> tuple[ProductImage, bytes]:
    """Public for products on sale; otherwise only the supplier and its operator."""
    found = await ProductRepository(session).get_image(image_id)
    if found is None:
        raise NotFound("No such image")
    image, product = found
    if not product.on_sale:
        if principal is None or (
            await ProductRepository(session).get_for_caller(principal, product.id) is None
        ):
            raise NotFound("No such image")
    key = image.thumbnail_key if thumbnail else image.key
    return image, storage.load(key)


async def history(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID
) -> list[ProductHistory]:
    await get_for_caller(session, principal, product_id)
    return await ProductRepository(session).history(product_id)


def _public_reads() -> PublicProductReads:
    return PublicProductReads(get_settings().database_url_for(SERVICE))


class _Rendered:
    """Public answers (list pages, product details) of one database as rendered at one
    catalog version, with their ETags.

    `catalog.public_version` changes in the very transaction of every change to what these
    answers are read from (database triggers on products, variants, images and suppliers),
    and each request reads it first: an answer is served only to a request that read the
    version it was rendered at, so once a change's transaction has committed no request
    started afterwards gets an answer from before it — whichever process made the change."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.version = -1
        self.answers: dict[Any, tuple[bytes, str]] = {}

    def get(self, version: int, key: Any) -> tuple[bytes, str] | None:
        if version > self.version:  # versions only grow (a sequence, under the row lock)
            self.version, self.answers = version, {}
        return self.answers.get(key) if version == self.version else None

    def put(self, version: int, key: Any, answer: tuple[bytes, str]) -> None:
        if version != self.version:  # rendered for an older version than the newest seen
            return
        if len(self.answers) >= self.size:
            self.answers.pop(next(iter(self.answers)))
        self.answers[key] = answer


# per database: first pages of counties and their filters (cursors are unbounded, pages up
# to 100 products), and details (~1.5 kB each)
_pages: dict[str, _Rendered] = {}
_details: dict[str, _Rendered] = {}
PAGES_KEPT, DETAILS_KEPT = 64, 2048


async def public_page(
    filters: ProductFilters, sort: Sort, cursor: str | None, limit: int
) -> tuple[bytes, str]:
    """The public list's JSON (schemas.ProductPage) and its ETag: rendered by PostgreSQL,
    kept for as long as the catalog version it was rendered at is current."""
    reads = _public_reads()
    version = await reads.version()  # first: the page then is at least this new
    key = (*vars(filters).values(), sort, cursor, limit)  # (dataclasses.astuple deep-copies)
    rendered = _pages.get(reads.url) or _pages.setdefault(reads.url, _Rendered(PAGES_KEPT))
    page = rendered.get(version, key) if version is not None else None
    if page is None:
        body = await reads.page(filters, sort, cursor, limit)
        page = (body, body_etag(body))
        if version is not None:
            rendered.put(version, key, page)
    return page


async def public_detail(product_id: uuid.UUID) -> tuple[bytes, str]:
    """A product on sale as JSON (schemas.Product) and its ETag, written by PostgreSQL and
    kept like list pages; else 404."""
    reads = _public_reads()
    version = await reads.version()
    rendered = _details.get(reads.url) or _details.setdefault(reads.url, _Rendered(DETAILS_KEPT))
    answer = rendered.get(version, product_id) if version is not None else None
    if answer is None:
        body = await reads.detail(product_id)
        if body is None:
            raise NotFound("No such product")
        answer = (body, body_etag(body))
        if version is not None:
            rendered.put(version, product_id, answer)
    return answer


async def list_for_caller(session, principal, filters: ProductFilters, sort: Sort, cursor, limit):
    return await ProductRepository(session).list_for_caller(principal, filters, sort, cursor, limit)


async def supplier_names(session: AsyncSession, products) -> dict[uuid.UUID, str]:
    """The suppliers' public names of these products."""
    suppliers = await SupplierRepository(session).by_ids([p.supplier_id for p in products])
    return {k: v.public_name for k, v in suppliers.items()}
