"""Purchase orders seen and answered by suppliers, goods receipt at the county warehouse,
and the operator's "consolidate this window now"."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.orders import service as orders
from services.repository.orders.models import Order, OrderLine
from services.repository.orders.schemas import WindowClosureCreate
from services.repository.problems import ALREADY_RECEIVED, BAD_QUANTITIES
from services.repository.purchasing import consolidation, fulfilment, lifecycle, repository
from services.repository.purchasing.lifecycle import PURCHASE_ORDER
from services.repository.purchasing.models import (
    ConsolidationRun,
    GoodsReceipt,
    PurchaseOrder,
    PurchaseOrderLine,
)
from services.repository.purchasing.repository import PurchasingRepository
from services.repository.purchasing.schemas import (
    ConfirmationLine,
    GoodsReceiptCreate,
    PurchaseOrderConfirm,
    ReceiptLine,
)
from shared.auth.principal import Principal
from shared.auth.scope import can_act_for_org, ensure_operator_of, scope_to_caller
from shared.db import utcnow
from shared.errors import Conflict, FieldError, Forbidden, NotFound, RuleViolation
from shared.pagination import ListQuery, paginate_list

# Operator members who may run consolidation and book goods in.
OPERATING_ROLES = ("owner", "admin", "staff")
RECEIVING_ROLES = ("owner", "admin", "staff", "dispatcher")
# Supplier members who may answer a purchase order.
SUPPLIER_ROLES = ("owner", "admin", "staff")


# ------------------------------------------------------------------ windows


async def consolidate_now(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, window_date: date
) -> ConsolidationRun:
    """The operator asks for the closed window's consolidation now: queued for the
    worker (off the request path); the run row shows its progress."""
    ensure_operator_of(principal, region_id, OPERATING_ROLES)
    return await consolidation.request(session, region_id, window_date, principal.user_id)


def start_consolidation(region_id: uuid.UUID, window_date: date) -> None:
    """Send the queued run to the worker; called once the request has committed."""
    from services.repository.purchasing import tasks

    tasks.queue_window(region_id, window_date)


async def close_window_now(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    window_date: date,
    body: WindowClosureCreate,
) -> orders.ClosedWindow:
    """The operator closes today's window early, for the region or for one route."""
    ensure_operator_of(principal, region_id, OPERATING_ROLES)
    return await orders.close_window(
        session,
        region_id,
        window_date,
        body.route_id,
        actor_user_id=principal.user_id,
        reason=body.reason,
    )


async def consolidation_run(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, window_date: date
) -> ConsolidationRun:
    ensure_operator_of(principal, region_id)
    run = await PurchasingRepository(session).get_run(region_id, window_date)
    if run is None:
        raise NotFound("This window has not been consolidated yet")
    return run


# ------------------------------------------------------------------ reading


PURCHASE_ORDER_SORT_FIELDS = tuple(repository.SORT_COLUMNS)


async def list_purchase_orders(
    session: AsyncSession,
    principal: Principal,
    query: ListQuery,
    *,
    region_id: uuid.UUID | None,
    window_date: date | None,
    status: str | None,
    supplier_id: uuid.UUID | None,
) -> tuple[list[PurchaseOrder], str | None]:
    """A supplier sees its own purchase orders; an operator those of its region."""
    stmt = repository.listing_filters(
        _visible(repository.listing(), principal),
        region_id=region_id,
        window_date=window_date,
        status=status,
        supplier_id=supplier_id,
    )
    return await paginate_list(
        session, stmt, query, sort_columns=repository.SORT_COLUMNS, id_column=PurchaseOrder.id
    )


def _visible(stmt: Any, principal: Principal) -> Any:
    return scope_to_caller(
        stmt, principal, PurchaseOrder.supplier_id, region_column=PurchaseOrder.region_id
    )


async def visible_purchase_order(
    session: AsyncSession, principal: Principal, purchase_order_id: uuid.UUID
) -> PurchaseOrder:
    """The purchase order if the caller may see it; a foreign one answers 404."""
    stmt = _visible(repository.listing(), principal).where(PurchaseOrder.id == purchase_order_id)
    purchase_order = (await session.scalars(stmt)).first()
    if purchase_order is None:
        raise NotFound("No such purchase order")
    return purchase_order


async def _for_change(
    session: AsyncSession, principal: Principal, purchase_order_id: uuid.UUID
) -> PurchaseOrder:
    await visible_purchase_order(session, principal, purchase_order_id)
    purchase_order = await PurchasingRepository(session).get_purchase_order(
        purchase_order_id, lock=True
    )
    assert purchase_order is not None
    return purchase_order


async def get_purchase_order(
    session: AsyncSession, principal: Principal, purchase_order_id: uuid.UUID
) -> dict[str, Any]:
    purchase_order = await visible_purchase_order(session, principal, purchase_order_id)
    return await purchase_order_view(session, purchase_order)


async def purchase_order_view(
    session: AsyncSession, purchase_order: PurchaseOrder
) -> dict[str, Any]:
    lines = await PurchasingRepository(session).lines_of(purchase_order.id)
    variants = await PurchasingRepository(session).variants_by_id(
        {line.variant_id for line in lines}
    )
    return {
        **_columns(purchase_order),
        "allowed_actions": PURCHASE_ORDER.allowed_actions(purchase_order.status),
        "lines": [_line_view(line, variants.get(line.variant_id)) for line in lines],
    }


def _columns(purchase_order: PurchaseOrder) -> dict[str, Any]:
    return {c.key: getattr(purchase_order, c.key) for c in PurchaseOrder.__table__.columns}


def _line_view(line: PurchaseOrderLine, variant: Any) -> dict[str, Any]:
    return {
        "variant_id": line.variant_id,
        "product_name": variant.product_name if variant else None,
        "variant_name": variant.variant_name if variant else None,
        "sku": variant.sku if variant else None,
        "ordered_cases": line.ordered_cases,
        "confirmed_cases": line.confirmed_cases,
        "accepted_cases": line.accepted_cases,
        "rejected_cases": line.rejected_cases,
        "rejection_reason": line.rejection_reason,
        "unit_cost_fen": line.unit_cost_fen,
    }


# ------------------------------------------------------------------ the supplier answers


async def confirm(
    session: AsyncSession,
    principal: Principal,
    purchase_order_id: uuid.UUID,
    body: PurchaseOrderConfirm,
) -> dict[str, Any]:
    """Confirm in full or in part; what will not come is shortened right away."""
    purchase_order = await _for_change(session, principal, purchase_order_id)
    _ensure_supplier(principal, purchase_order)
    PURCHASE_ORDER.next_state(purchase_order.status, "confirm")
    lines = await PurchasingRepository(session).lines_of(purchase_order.id)
    confirmed = _confirmed_cases(lines, body.lines)
    for line in lines:
        line.confirmed_cases = confirmed[line.variant_id]
    total = sum(confirmed.values())
    action = (
        "confirm"
        if all(line.confirmed_cases == line.ordered_cases for line in lines)
        else "decline"
        if total == 0
        else "confirm_partly"
    )
    purchase_order.confirmed_at = utcnow()
    await lifecycle.apply(session, purchase_order, action, actor_user_id=principal.user_id)
    short = [line for line in lines if (line.confirmed_cases or 0) < line.ordered_cases]
    if short:
        await _shorten_to_confirmed(session, purchase_order, short, principal.user_id)
        await session.flush()
        purchase_order.total_cost_fen = await PurchasingRepository(session).value_still_expected(
            purchase_order.id
        )
    return await purchase_order_view(session, purchase_order)


def _confirmed_cases(
    lines: list[PurchaseOrderLine], given: list[ConfirmationLine]
) -> dict[uuid.UUID, int]:
    """Every line's confirmed cases (in full unless listed); all problems at once."""
    by_variant = {line.variant_id: line for line in lines}
    confirmed = {line.variant_id: line.ordered_cases for line in lines}
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(given):
        line = by_variant.get(entry.variant_id)
        if line is None:
            errors.append(FieldError(f"lines.{index}.variant_id", "not on this order", "unknown"))
        elif entry.variant_id in seen:
            errors.append(FieldError(f"lines.{index}.variant_id", "listed twice", "duplicate"))
        elif entry.confirmed_cases > line.ordered_cases:
            errors.append(
                FieldError(
                    f"lines.{index}.confirmed_cases",
                    f"at most the {line.ordered_cases} cases ordered",
                    "more_than_ordered",
                )
            )
        else:
            confirmed[entry.variant_id] = entry.confirmed_cases
        seen.add(entry.variant_id)
    if errors:
        raise RuleViolation(
            "Some confirmed quantities are not possible", code=BAD_QUANTITIES, errors=errors
        )
    return confirmed


async def _shorten_to_confirmed(
    session: AsyncSession,
    purchase_order: PurchaseOrder,
    short: list[PurchaseOrderLine],
    actor_user_id: uuid.UUID,
) -> None:
    """The confirmed cases are shared out by the fair rule; the rest of each waiting
    line is shortened now (allocation waits for the goods receipt)."""
    locked, waiting = await fulfilment.lock_waiting(session, short)
    by_po_line = _group(waiting)
    for po_line in short:
        lines = by_po_line.get(po_line.id, [])
        shares = fulfilment.share_out(po_line.confirmed_cases or 0, lines)
        for line, _ in lines:
            cut = fulfilment.expected_cases(line) - shares[str(line.id)]
            await fulfilment.shorten(session, locked[line.order_id], line, cut)
    await fulfilment.settle(
        session,
        locked,
        goods_arrived=False,
        actor_user_id=actor_user_id,
        reason=f"purchase order {purchase_order.number} confirmed in part",
    )


def _group(
    waiting: list[tuple[OrderLine, Any]],
) -> dict[uuid.UUID, list[tuple[OrderLine, Any]]]:
    grouped: dict[uuid.UUID, list[tuple[OrderLine, Any]]] = defaultdict(list)
    for line, placed_at in waiting:
        assert line.purchase_order_line_id is not None
        grouped[line.purchase_order_line_id].append((line, placed_at))
    return grouped


async def ship(
    session: AsyncSession, principal: Principal, purchase_order_id: uuid.UUID
) -> dict[str, Any]:
    purchase_order = await _for_change(session, principal, purchase_order_id)
    _ensure_supplier(principal, purchase_order)
    purchase_order.shipped_at = utcnow()
    await lifecycle.apply(session, purchase_order, "ship", actor_user_id=principal.user_id)
    return await purchase_order_view(session, purchase_order)


def _ensure_supplier(principal: Principal, purchase_order: PurchaseOrder) -> None:
    if not can_act_for_org(principal, purchase_order.supplier_id, SUPPLIER_ROLES):
        raise Forbidden("Only the supplier answers its purchase order")


# ------------------------------------------------------------------ goods receipt


async def receive(
    session: AsyncSession,
    principal: Principal,
    purchase_order_id: uuid.UUID,
    body: GoodsReceiptCreate,
) -> dict[str, Any]:
    """Book what the county warehouse accepted and rejected, once; share the accepted
    cases out over the waiting order lines by the fair rule and shorten the rest."""
    purchase_order = await _for_change(session, principal, purchase_order_id)
    ensure_operator_of(principal, purchase_order.region_id, RECEIVING_ROLES)
    if purchase_order.status == "received":
        raise Conflict("This purchase order was received already", code=ALREADY_RECEIVED)
    PURCHASE_ORDER.next_state(purchase_order.status, "receive")
    lines = await PurchasingRepository(session).lines_of(purchase_order.id)
    _check_receipt(lines, body.lines)
    by_variant = {entry.variant_id: entry for entry in body.lines}
    for line in lines:
        entry = by_variant.get(line.variant_id)
        line.accepted_cases = entry.accepted_cases if entry else 0
        line.rejected_cases = entry.rejected_cases if entry else 0
        line.rejection_reason = entry.reason if entry and entry.rejected_cases else None
    await PurchasingRepository(session).add(
        GoodsReceipt(
            purchase_order_id=purchase_order.id,
            received_by_user_id=principal.user_id,
            lines=[_receipt_entry(line) for line in lines],
        ),
    )
    purchase_order.received_at = utcnow()
    await lifecycle.apply(
        session,
        purchase_order,
        "receive",
        actor_user_id=principal.user_id,
        data=received_data(purchase_order, lines),
    )
    await _allocate_received(session, purchase_order, lines, principal.user_id)
    await session.flush()
    purchase_order.total_cost_fen = await PurchasingRepository(session).value_still_expected(
        purchase_order.id
    )
    return await purchase_order_view(session, purchase_order)


def _check_receipt(lines: list[PurchaseOrderLine], given: list[ReceiptLine]) -> None:
    """accepted + rejected <= confirmed, a reason for every rejection, each confirmed
    line exactly once; every problem is reported at once and nothing is booked."""
    by_variant = {line.variant_id: line for line in lines}
    errors: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(given):
        line = by_variant.get(entry.variant_id)
        field = f"lines.{index}"
        if line is None:
            errors.append(FieldError(f"{field}.variant_id", "not on this order", "unknown"))
            continue
        if entry.variant_id in seen:
            errors.append(FieldError(f"{field}.variant_id", "listed twice", "duplicate"))
        seen.add(entry.variant_id)
        limit = _deliverable(line)
        if entry.accepted_cases + entry.rejected_cases > limit:
            errors.append(
                FieldError(
                    f"{field}.accepted_cases",
                    f"accepted + rejected is at most the {limit} cases confirmed",
                    "more_than_confirmed",
                )
            )
        if entry.rejected_cases and not entry.reason:
            errors.append(
                FieldError(f"{field}.reason", "say why cases were rejected", "reason_required")
            )
    for line in lines:
        if _deliverable(line) > 0 and line.variant_id not in seen:
            errors.append(
                FieldError("lines", f"variant {line.variant_id} is missing", "line_missing")
            )
    if errors:
        raise RuleViolation(
            "The receipt's quantities are not possible", code=BAD_QUANTITIES, errors=errors
        )


def _deliverable(line: PurchaseOrderLine) -> int:
    return line.ordered_cases if line.confirmed_cases is None else line.confirmed_cases


def _receipt_entry(line: PurchaseOrderLine) -> dict[str, Any]:
    return {
        "variant_id": str(line.variant_id),
        "accepted": line.accepted_cases,
        "rejected": line.rejected_cases,
        "reason": line.rejection_reason,
    }


def received_data(purchase_order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> dict[str, Any]:
    """repository.purchase_order.received (docs/events.md); the accepted amount is
    accepted cases x the line's unit cost."""
    return {
        "purchase_order_id": str(purchase_order.id),
        "supplier_id": str(purchase_order.supplier_id),
        "region_id": str(purchase_order.region_id),
        "lines": [
            {
                "variant_id": str(line.variant_id),
                "accepted": line.accepted_cases,
                "rejected": line.rejected_cases,
                "unit_cost_fen": line.unit_cost_fen,
            }
            for line in lines
        ],
        "accepted_amount_fen": sum(line.accepted_cases * line.unit_cost_fen for line in lines),
    }


async def _allocate_received(
    session: AsyncSession,
    purchase_order: PurchaseOrder,
    po_lines: list[PurchaseOrderLine],
    actor_user_id: uuid.UUID,
) -> None:
    locked, waiting = await fulfilment.lock_waiting(session, po_lines)
    by_po_line = _group(waiting)
    for po_line in po_lines:
        lines = by_po_line.get(po_line.id, [])
        shares = fulfilment.share_out(po_line.accepted_cases, lines)
        allocated: dict[uuid.UUID, tuple[Order, OrderLine, int]] = {}
        for line, _ in lines:
            order, share = locked[line.order_id], shares[str(line.id)]
            cut = fulfilment.expected_cases(line) - share
            line.allocated_cases += share
            await fulfilment.shorten(session, order, line, cut)
            allocated[line.id] = (order, line, share)
        await fulfilment.hold_received_stock(
            session, purchase_order, po_line, allocated, actor_user_id
        )
    await fulfilment.settle(
        session,
        locked,
        goods_arrived=True,
        actor_user_id=actor_user_id,
        reason=f"goods receipt {purchase_order.number}",
    )
