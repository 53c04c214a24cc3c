"""Certificates of products and lots, and the daily job that holds and warns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.certificates.documents import compliance_pdf
from services.catalog.certificates.models import CatalogNotification, Certificate
from services.catalog.certificates.repository import (
    CERTIFICATE_SORTS,
    NOTIFICATION_SORTS,
    CertificateRepository,
)
from services.catalog.certificates.rules import (
    KIND_NAMES_ZH,
    WARN_DAYS,
    CertificateView,
    lapsed_kinds,
    warning_due,
)
from services.catalog.certificates.schemas import CertificateCreate, ComplianceCertificateCreate
from services.catalog.listing import refresh_listing, region_today
from services.catalog.products.models import Product
from services.catalog.products.repository import ProductRepository
from services.catalog.products.service import get_for_caller
from services.catalog.trace.qr import trace_url
from services.catalog.trace.repository import TraceRepository
from shared import storage
from shared.auth.access import ensure_operator_of, ensure_readable, ensure_writable
from shared.auth.principal import Principal
from shared.auth.roles import OPERATOR_WRITE_ROLES
from shared.db import utcnow
from shared.errors import FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import ListQuery
from shared.settings import get_settings

CHECK_ROLES = OPERATOR_WRITE_ROLES


def _ensure_supplier_writes(
    principal: Principal, supplier_id: uuid.UUID, region_id: uuid.UUID, what: str
) -> None:
    """The supplier's members write its certificates; the region's operator only reads."""
    ensure_writable(
        principal, org_id=supplier_id, region_id=region_id, operator_roles=None, what=what
    )


async def add_certificate(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID, data: CertificateCreate
) -> Certificate:
    product = await get_for_caller(session, principal, product_id, lock=True)
    _ensure_supplier_writes(principal, product.supplier_id, product.region_id, "product")
    lot_id = None
    if data.lot_code:
        lot = await TraceRepository(session).lot_by_code(data.lot_code)
        if lot is None or lot.product_id != product.id:
            raise RuleViolation(
                "No such lot of this product", errors=[FieldError("lot_code", "unknown lot")]
            )
        lot_id = lot.id
    certificate = Certificate(
        id=uuid.uuid4(),
        region_id=product.region_id,
        supplier_id=product.supplier_id,
        product_id=product.id,
        lot_id=lot_id,
        kind=data.kind,
        issuer=data.issuer,
        number=data.number,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        required=data.required,
        result=data.result,
        details=(
            data.details.model_dump(mode="json")
            if isinstance(data, ComplianceCertificateCreate)
            else data.details
        ),
    )
    CertificateRepository(session).add(certificate)
    await session.flush()
    await refresh_listing(session, product, reason="certificate_added")
    return certificate


async def attach_file(
    session: AsyncSession, principal: Principal, certificate_id: uuid.UUID, content: bytes
) -> Certificate:
    certificate = await get_certificate(session, principal, certificate_id)
    _ensure_supplier_writes(
        principal, certificate.supplier_id, certificate.region_id, "certificate"
    )
    content_type = storage.check_upload(content, storage.DOCUMENT_TYPES)
    stored = storage.save(f"catalog/certificates/{certificate.id}", content, content_type)
    certificate.file_key = stored.key
    certificate.file_content_type = content_type
    return certificate


async def get_certificate(
    session: AsyncSession, principal: Principal, certificate_id: uuid.UUID
) -> Certificate:
    certificate = await CertificateRepository(session).get_for_caller(principal, certificate_id)
    if certificate is None:
        raise NotFound("No such certificate")
    return certificate


async def certificate_file(
    session: AsyncSession, principal: Principal, certificate_id: uuid.UUID
) -> tuple[str, bytes]:
    certificate = await get_certificate(session, principal, certificate_id)
    if not certificate.file_key:
        raise NotFound("No file was uploaded for this certificate")
    return certificate.file_content_type or "application/pdf", storage.load(certificate.file_key)


CERTIFICATE_SORT_FIELDS = tuple(CERTIFICATE_SORTS)
NOTIFICATION_SORT_FIELDS = tuple(NOTIFICATION_SORTS)


async def list_certificates(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID, query: ListQuery
) -> tuple[list[Certificate], str | None]:
    await get_for_caller(session, principal, product_id)
    return await CertificateRepository(session).page_of_product(product_id, query)


async def notifications(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, query: ListQuery
) -> tuple[list[CatalogNotification], str | None]:
    ensure_readable(principal, org_id=supplier_id, region_id=None, what="supplier")
    return await CertificateRepository(session).notifications_page(supplier_id, query)


async def mark_read(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, notification_id: uuid.UUID
) -> CatalogNotification:
    ensure_writable(
        principal, org_id=supplier_id, region_id=None, operator_roles=None, what="supplier"
    )
    note = await CertificateRepository(session).notification(supplier_id, notification_id)
    if note is None:
        raise NotFound("No such notification")
    if note.read_at is None:
        note.read_at = utcnow()
    return note


def certificate_event_data(certificate: Certificate, product_name: str) -> dict:
    return {
        "certificate_id": str(certificate.id),
        "region_id": str(certificate.region_id),
        "supplier_id": str(certificate.supplier_id),
        "organisation_id": str(certificate.supplier_id),
        "product_id": str(certificate.product_id),
        "product_name": product_name,
        "kind": certificate.kind,
        "kind_name": KIND_NAMES_ZH[certificate.kind],
        "number": certificate.number,
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
    }


async def _announce_lapse(
    session: AsyncSession, repo: CertificateRepository, product: Product, today: date
) -> None:
    """The product was just held: tell the supplier which required certificate lapsed."""
    certificates = [c for c in await repo.of_product(product.id) if c.lot_id is None]
    views = [CertificateView(c.kind, c.required, c.valid_from, c.valid_until) for c in certificates]
    for kind in lapsed_kinds(views, today):
        latest = max(
            (c for c in certificates if c.kind == kind and c.required),
            key=lambda c: (c.valid_until or date.min, c.created_at),
        )
        message = (
            f"「{product.name}」的{KIND_NAMES_ZH[kind]}（{latest.number}）已于 "
            f"{latest.valid_until} 到期，商品已下架；上传有效的新证书后自动恢复销售。"
        )
        if (latest.id, "lapsed") not in await repo.notification_kinds([latest.id]):
            repo.add(
                CatalogNotification(
                    region_id=latest.region_id,
                    supplier_id=latest.supplier_id,
                    certificate_id=latest.id,
                    product_id=product.id,
                    kind="lapsed",
                    due_date=latest.valid_until or today,
                    message=message,
                )
            )
        await publish(
            session,
            "catalog.certificate.lapsed",
            {
                **certificate_event_data(latest, product.name),
                "as_of": today.isoformat(),
                "product_on_sale": product.on_sale,
                "message": message,
            },
            region_id=latest.region_id,
        )


@dataclass
class ExpiryRun:
    as_of: date
    held: int
    released: int
    warnings: int
    licences_expired: int


async def run_certificate_check(
    session: AsyncSession, as_of: date | None = None, region_id: uuid.UUID | None = None
) -> ExpiryRun:
    """Hide products whose required certificate lapsed, restore renewed ones, warn ahead."""
    from services.catalog.brands.service import expire_lapsed_licences

    today = as_of or region_today()
    repo = CertificateRepository(session)
    products = ProductRepository(session)
    held = released = 0
    for product_id in await repo.product_ids_with_required(region_id):
        product = await products.get(product_id, lock=True)
        if product is None:
            continue
        was_held = product.certificate_hold
        await refresh_listing(session, product, reason="certificate_expired", today=today)
        if product.certificate_hold and not was_held:
            held += 1
            await _announce_lapse(session, repo, product, today)
        released += int(was_held and not product.certificate_hold)

    expiring = await repo.expiring(today, today + timedelta(days=max(WARN_DAYS)), region_id)
    sent = await repo.notification_kinds([c.id for c in expiring])
    warnings = 0
    for certificate in expiring:
        kind = warning_due(certificate.valid_until, today)
        if kind is None or (certificate.id, kind) in sent:
            continue
        product = await products.get(certificate.product_id)
        assert certificate.valid_until is not None
        days_left = (certificate.valid_until - today).days
        message = (
            f"「{product.name if product else ''}」的{KIND_NAMES_ZH[certificate.kind]}"
            f"（{certificate.number}）将于 {certificate.valid_until} 到期，"
            f"还剩 {days_left} 天；到期后商品将下架，请及时上传新证书。"
        )
        repo.add(
            CatalogNotification(
                region_id=certificate.region_id,
                supplier_id=certificate.supplier_id,
                certificate_id=certificate.id,
                product_id=certificate.product_id,
                kind=kind,
                due_date=certificate.valid_until,
                message=message,
            )
        )
        await publish(
            session,
            "catalog.certificate.expiring",
            {
                **certificate_event_data(certificate, product.name if product else ""),
                "warning": kind,
                "days_left": days_left,
                "message": message,
            },
            region_id=certificate.region_id,
        )
        warnings += 1
    licences = await expire_lapsed_licences(session, today, region_id)
    return ExpiryRun(today, held, released, warnings, licences)


async def run_check_now(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> ExpiryRun:
    """The region's operator runs today's check at once (after fixing data at 10:00)."""
    ensure_operator_of(principal, region_id, CHECK_ROLES)
    return await run_certificate_check(session, None, region_id)


async def compliance_print(
    session: AsyncSession, principal: Principal, certificate_id: uuid.UUID
) -> tuple[str, bytes]:
    """The 合格证 as a printable PDF: its fields, 承诺依据 and a QR code to the lot's trace
    page (or, for a product-level certificate, to the product's public page)."""
    certificate = await get_certificate(session, principal, certificate_id)
    if certificate.kind != "compliance_certificate":
        raise NotFound("Only a compliance certificate (合格证) has a printable view")
    lot = await TraceRepository(session).lot(certificate.lot_id) if certificate.lot_id else None
    base = get_settings().public_base_url.rstrip("/")
    qr_text = trace_url(lot.code) if lot else f"{base}/v1/catalog/products/{certificate.product_id}"
    content = compliance_pdf(
        number=certificate.number,
        details=certificate.details,
        qr_text=qr_text,
        lot_code=lot.code if lot else None,
    )
    return f"hgz-{certificate.id}.pdf", content
