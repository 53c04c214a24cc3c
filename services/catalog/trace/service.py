"""Lots and their append-only events; the public trace page built from them."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.certificates.repository import CertificateRepository
from services.catalog.certificates.rules import CertificateView, is_valid
from services.catalog.listing import DEFAULT_TIMEZONE, region_today
from services.catalog.problems import CORRECTION_INVALID, LOT_CODE_TAKEN
from services.catalog.products.repository import ProductRepository
from services.catalog.products.service import get_for_caller
from services.catalog.suppliers.repository import SupplierRepository
from services.catalog.trace.models import Lot, LotEvent
from services.catalog.trace.repository import TraceRepository
from services.catalog.trace.schemas import LotCreate, LotEventCreate
from shared.auth.access import ensure_writable
from shared.auth.principal import Principal
from shared.errors import Conflict, FieldError, NotFound, RuleViolation


def new_lot_code() -> str:
    return "FQ-" + secrets.token_hex(5).upper()


async def create_lot(
    session: AsyncSession, principal: Principal, product_id: uuid.UUID, data: LotCreate
) -> Lot:
    product = await get_for_caller(session, principal, product_id)
    ensure_writable(
        principal,
        org_id=product.supplier_id,
        region_id=product.region_id,
        operator_roles=None,
        what="product",
    )
    repo = TraceRepository(session)
    code = data.code or new_lot_code()
    if await repo.lot_by_code(code):
        raise Conflict("This lot code is already used", code=LOT_CODE_TAKEN)
    lot = Lot(
        id=uuid.uuid4(),
        code=code,
        region_id=product.region_id,
        supplier_id=product.supplier_id,
        product_id=product.id,
        quantity=data.quantity,
        unit=data.unit,
        produced_on=data.produced_on,
    )
    repo.add(lot)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("This lot code is already used", code=LOT_CODE_TAKEN) from exc
    return lot


async def get_lot(session: AsyncSession, principal: Principal, lot_id: uuid.UUID, lock=False):
    lot = await TraceRepository(session).lot_for_caller(principal, lot_id, lock=lock)
    if lot is None:
        raise NotFound("No such lot")
    return lot


async def record_event(
    session: AsyncSession, principal: Principal, lot_id: uuid.UUID, data: LotEventCreate
) -> LotEvent:
    """Append an event. Nothing is ever edited: a correction is a later event naming the first."""
    lot = await get_lot(session, principal, lot_id, lock=True)
    ensure_writable(
        principal, org_id=lot.supplier_id, region_id=lot.region_id, operator_roles=None, what="lot"
    )
    repo = TraceRepository(session)
    if data.corrects_event_id is not None:
        earlier = {e.id for e in await repo.events(lot.id)}
        if data.corrects_event_id not in earlier or not data.correction_reason:
            raise RuleViolation(
                "A correction names an earlier event of this lot and says why",
                code=CORRECTION_INVALID,
                errors=[FieldError("corrects_event_id", "an earlier event of this lot")],
            )
    event = LotEvent(
        id=uuid.uuid4(),
        lot_id=lot.id,
        seq=await repo.next_seq(lot.id),
        biz_step=data.biz_step,
        event_time=data.event_time,
        location_kind=data.location_kind,
        location_name=data.location_name,
        township=data.township,
        village=data.village,
        quantity=data.quantity,
        unit=data.unit,
        actor_name=data.actor_name,
        actor_org_id=lot.supplier_id,
        recorded_by=principal.user_id,
        details=data.details,
        corrects_event_id=data.corrects_event_id,
        correction_reason=data.correction_reason,
    )
    repo.add(event)
    await session.flush()
    return event


def effective_events(events: list[LotEvent]) -> tuple[list[LotEvent], dict[uuid.UUID, uuid.UUID]]:
    """Events in order, and which event superseded which (the latest correction wins)."""
    superseded: dict[uuid.UUID, uuid.UUID] = {}
    for event in events:
        if event.corrects_event_id is not None:
            superseded[event.corrects_event_id] = event.id
    current = [e for e in events if e.id not in superseded]
    return current, superseded


async def lot_events(session: AsyncSession, lot: Lot):
    return await TraceRepository(session).events(lot.id)


async def trace_page(session: AsyncSession, code: str) -> dict[str, Any]:
    """Public: the lot's product, producer, farm, harvest, inspection and certificates."""
    repo = TraceRepository(session)
    lot = await repo.lot_by_code(code)
    if lot is None:
        raise NotFound("No such lot")
    product = await ProductRepository(session).get(lot.product_id)
    assert product is not None
    supplier = await SupplierRepository(session).get(lot.supplier_id)
    events = await repo.events(lot.id)
    current, superseded = effective_events(events)
    tz = ZoneInfo(DEFAULT_TIMEZONE)

    def last(step: str) -> LotEvent | None:
        found = [e for e in current if e.biz_step == step]
        return found[-1] if found else None

    origin = last("harvest") or last("planting")
    harvest = last("harvest")
    inspection = last("inspection")
    today = region_today()
    certificates = [
        c
        for c in await CertificateRepository(session).of_product(product.id)
        if c.lot_id in (None, lot.id)
    ]
    return {
        "lot_code": lot.code,
        "product": {
            "id": str(product.id),
            "name": product.name,
            "category": product.category,
            "brand": product.brand_name,
            "grade": product.grade,
            "origin_township": product.origin_township,
            "origin_village": product.origin_village,
            "on_sale": product.on_sale,
        },
        "producer": {
            "id": str(lot.supplier_id),
            "name": supplier.public_name if supplier else None,
        },
        "farm": (
            {
                "name": origin.location_name,
                "kind": origin.location_kind,
                "township": origin.township,
                "village": origin.village,
            }
            if origin
            else None
        ),
        "harvest_date": harvest.event_time.astimezone(tz).date().isoformat() if harvest else None,
        "inspection": (
            {
                "date": inspection.event_time.astimezone(tz).date().isoformat(),
                "by": inspection.actor_name,
                "where": inspection.location_name,
                **inspection.details,
            }
            if inspection
            else None
        ),
        "certificates": [
            {
                "kind": c.kind,
                "issuer": c.issuer,
                "number": c.number,
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                "result": c.result,
                "valid": is_valid(
                    CertificateView(c.kind, c.required, c.valid_from, c.valid_until), today
                ),
                "details": c.details,
            }
            for c in certificates
        ],
        "events": [event_dict(e, superseded.get(e.id)) for e in events],
    }


def event_dict(e: LotEvent, superseded_by: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "id": str(e.id),
        "seq": e.seq,
        "biz_step": e.biz_step,
        "event_time": e.event_time.isoformat(),
        "recorded_at": e.recorded_at.isoformat(),
        "location_kind": e.location_kind,
        "location_name": e.location_name,
        "township": e.township,
        "village": e.village,
        "quantity": str(e.quantity) if e.quantity is not None else None,
        "unit": e.unit,
        "actor_name": e.actor_name,
        "details": e.details,
        "corrects_event_id": str(e.corrects_event_id) if e.corrects_event_id else None,
        "correction_reason": e.correction_reason,
        "superseded_by": str(superseded_by) if superseded_by else None,
    }


def harvest_date(events: list[LotEvent]) -> date | None:
    current, _ = effective_events(events)
    harvests = [e for e in current if e.biz_step == "harvest"]
    return harvests[-1].event_time.date() if harvests else None
