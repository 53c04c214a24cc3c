"""The daily expiry job: warn 30 and 7 days ahead, suspend when a required document lapses."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.suppliers.applications import rules
from services.suppliers.applications.repository import SupplierRepository
from services.suppliers.applications.service import (
    REVIEW_ROLES,
    ensure_supplier_member,
    load_visible,
    local_today,
    suspend_for_lapse,
)
from services.suppliers.documents.models import QualificationDocument
from services.suppliers.documents.repository import DocumentRepository
from services.suppliers.expiry.models import SupplierNotification
from services.suppliers.expiry.repository import NotificationRepository
from services.suppliers.expiry.rules import WARNING_DAYS, warning_due
from services.suppliers.organisations.models import DEFAULT_TIMEZONE
from services.suppliers.organisations.repository import OrganisationRepository
from shared.auth import Principal
from shared.auth.scope import ensure_operator_of
from shared.db import utcnow
from shared.errors import NotFound
from shared.events import publish
from shared.pagination import Sort, paginate

log = structlog.get_logger(__name__)

KIND_LABELS = {
    "business_licence": "营业执照",
    "food_production_licence": "食品生产许可证（SC）",
    "inspection_report": "质检报告",
    "compliance_certificate": "食用农产品承诺达标合格证",
    "organic_certificate": "有机产品认证证书",
    "green_food_certificate": "绿色食品证书",
    "geographical_indication": "地理标志使用证明",
    "other": "资质文件",
}
EXPIRED_LOOKBACK_DAYS = 30
WARNING_EVENT = "suppliers.document.expiry_warning"
SORT_COLUMNS = {"created_at": SupplierNotification.created_at}


@dataclass
class ExpiryRun:
    as_of: date
    warnings: int = 0
    suspended: list[str] = field(default_factory=list)


def _message(document: QualificationDocument, kind: str) -> str:
    label = KIND_LABELS.get(document.kind, document.kind)
    if kind == "expired":
        return f"您的{label}（编号 {document.number}）已于 {document.valid_until} 到期，请尽快上传新证件。"
    return (
        f"您的{label}（编号 {document.number}）将于 {document.valid_until} 到期，"
        "请及时办理续期并上传新证件。"
    )


async def run_expiry_check(
    session: AsyncSession, as_of: date | None = None, region_id: uuid.UUID | None = None
) -> ExpiryRun:
    """Idempotent: notifications are unique per (document, kind); suspension happens once.

    Without `as_of`, each region is checked on its own local date (the job runs hourly, so
    every county's day turn is caught within the hour wherever it is)."""
    if as_of is not None:
        return await _check(session, as_of, region_id)
    zones = await OrganisationRepository(session).region_timezones()
    if region_id is not None:
        zones = {region_id: zones.get(region_id, DEFAULT_TIMEZONE)}
    run = ExpiryRun(as_of=local_today())
    for region, zone in sorted(zones.items(), key=lambda item: str(item[0])):
        checked = await _check(session, local_today(zone), region)
        run.warnings += checked.warnings
        run.suspended += checked.suspended
    return run


async def _check(session: AsyncSession, today: date, region_id: uuid.UUID | None) -> ExpiryRun:
    run = ExpiryRun(as_of=today)
    documents = DocumentRepository(session)
    notices = NotificationRepository(session)
    suppliers = SupplierRepository(session)
    horizon = today + timedelta(days=WARNING_DAYS[0])
    # Documents that expired long ago were told about when they expired.
    since = today - timedelta(days=EXPIRED_LOOKBACK_DAYS)
    for document in await documents.expiring(since, horizon, region_id):
        kind = warning_due(document.valid_until, today)
        if kind is None:
            continue
        assert document.valid_until is not None
        if await notices.add_once(
            supplier_id=document.supplier_id,
            region_id=document.region_id,
            document_id=document.id,
            kind=kind,
            due_date=document.valid_until,
            message=_message(document, kind),
        ):
            run.warnings += 1
            # identity puts it in the supplier's notification inbox
            await publish(
                session,
                WARNING_EVENT,
                {
                    "supplier_id": str(document.supplier_id),
                    "region_id": str(document.region_id),
                    "document_id": str(document.id),
                    "document_kind": document.kind,
                    "warning": kind,
                    "valid_until": document.valid_until.isoformat(),
                    "message": _message(document, kind),
                },
                region_id=document.region_id,
            )
    selling = await suppliers.in_statuses(["approved"], region_id)
    by_supplier: dict[uuid.UUID, list[rules.DocumentState]] = defaultdict(list)
    for d in await documents.of_suppliers(s.id for s in selling):
        by_supplier[d.supplier_id].append(
            rules.DocumentState(d.kind, d.valid_until, d.review_status)
        )
    for supplier in selling:
        lapsed = rules.lapsed_required_kinds(
            supplier.supplier_kind, supplier.makes_processed_food, by_supplier[supplier.id], today
        )
        if lapsed:
            locked = await suppliers.get(supplier.id, for_update=True)
            if locked is not None and locked.status == "approved":
                await suspend_for_lapse(session, locked, lapsed)
                run.suspended.append(str(supplier.id))
    log.info(
        "suppliers.expiry_check",
        as_of=str(today),
        warnings=run.warnings,
        suspended=len(run.suspended),
    )
    return run


async def run_now(session: AsyncSession, principal: Principal, region_id: uuid.UUID) -> ExpiryRun:
    """The operator's "run now" of the daily check for its region, on the region's local date."""
    ensure_operator_of(principal, region_id, REVIEW_ROLES)
    return await run_expiry_check(session, region_id=region_id)


async def list_notifications(
    session: AsyncSession,
    principal: Principal,
    supplier_id: uuid.UUID,
    *,
    unread: bool | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[SupplierNotification], str | None]:
    await load_visible(session, principal, supplier_id)
    stmt = NotificationRepository(session).of_supplier(supplier_id, unread=unread)
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=SORT_COLUMNS,
        id_column=SupplierNotification.id,
        cursor=cursor,
        limit=limit,
    )


async def mark_read(
    session: AsyncSession, principal: Principal, supplier_id: uuid.UUID, notification_id: uuid.UUID
) -> SupplierNotification:
    supplier = await load_visible(session, principal, supplier_id)
    ensure_supplier_member(principal, supplier, None)
    notification = await NotificationRepository(session).get(supplier_id, notification_id)
    if notification is None:
        raise NotFound("No such notification")
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification
