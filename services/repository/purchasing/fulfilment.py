"""What purchasing does to the buyers' orders: share out what a supplier can deliver,
shorten the rest (payments refunds from the event), and move each order on once every
line is settled (ready for delivery, or cancelled when nothing at all is left of it).

A line is settled when allocated_cases + shortened_cases == cases.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.inventory import service as inventory
from services.repository.inventory.models import Reservation
from services.repository.orders import service as orders
from services.repository.orders.models import Order, OrderLine
from services.repository.purchasing.allocation import WaitingLine, allocate_shortage
from services.repository.purchasing.models import PurchaseOrder, PurchaseOrderLine
from services.repository.purchasing.repository import PurchasingRepository
from shared.events import publish

COLD_STORAGE = frozenset({"chilled", "frozen"})


def expected_cases(line: OrderLine) -> int:
    """Cases the line still waits for (neither allocated nor shortened yet)."""
    return line.cases - line.allocated_cases - line.shortened_cases


def share_out(received_cases: int, waiting: list[tuple[OrderLine, datetime]]) -> dict[str, int]:
    """The fair rule (purchasing/allocation.py) over what each line still expects."""
    return allocate_shortage(
        received_cases,
        [WaitingLine(str(line.id), expected_cases(line), placed_at) for line, placed_at in waiting],
    )


async def shorten(session: AsyncSession, order: Order, line: OrderLine, cases: int) -> None:
    """Take `cases` off the line for good; payments refunds or credits the value."""
    if cases <= 0:
        return
    amount_fen = cases * line.unit_price_fen
    line.shortened_cases += cases
    order.shortened_fen += amount_fen
    await publish(
        session,
        "repository.order.line_shortened",
        {
            "order_id": str(order.id),
            "line_id": str(line.id),
            "variant_id": str(line.variant_id),
            "supplier_id": str(line.supplier_id),
            "quantity_shortened": cases,
            "amount_fen": amount_fen,
        },
        region_id=order.region_id,
    )


async def lock_waiting(
    session: AsyncSession, po_lines: Iterable[PurchaseOrderLine]
) -> tuple[dict[uuid.UUID, Order], list[tuple[OrderLine, datetime]]]:
    """Lock the orders waiting on these PO lines (orders first, in id order, as every
    writer of an order does), then read their lines still expecting cases."""
    po_line_ids = [line.id for line in po_lines]
    first_look = await PurchasingRepository(session).waiting_lines(po_line_ids)
    order_ids = sorted({line.order_id for line, _ in first_look})
    locked = {o.id: o for o in await PurchasingRepository(session).orders_for_update(order_ids)}
    return locked, await PurchasingRepository(session).waiting_lines(po_line_ids)


async def hold_received_stock(
    session: AsyncSession,
    purchase_order: PurchaseOrder,
    po_line: PurchaseOrderLine,
    shares: dict[uuid.UUID, tuple[Order, OrderLine, int]],
    actor_user_id: uuid.UUID | None,
) -> None:
    """Book the accepted cases into the county warehouse and hold each order's share
    (an allocated reservation, picked with the order's stocked goods)."""
    if purchase_order.warehouse_id is None or po_line.accepted_cases <= 0:
        return
    warehouse_id = purchase_order.warehouse_id
    await inventory.move(
        session,
        warehouse_id=warehouse_id,
        variant_id=po_line.variant_id,
        kind="receipt",
        cases=po_line.accepted_cases,
        reason=f"goods receipt {purchase_order.number}",
        purchase_order_id=purchase_order.id,
        actor_user_id=actor_user_id,
    )
    for order, line, cases in shares.values():
        if cases <= 0:
            continue
        for kind in ("reservation", "allocation"):
            await inventory.move(
                session,
                warehouse_id=warehouse_id,
                variant_id=line.variant_id,
                kind=kind,
                cases=cases,
                order_id=order.id,
                order_line_id=line.id,
                purchase_order_id=purchase_order.id,
                actor_user_id=actor_user_id,
            )
        session.add(
            Reservation(
                order_line_id=line.id,
                order_id=order.id,
                warehouse_id=warehouse_id,
                variant_id=line.variant_id,
                cases=cases,
                status="allocated",
                expires_at=None,
            )
        )


async def settle(
    session: AsyncSession,
    order_ids: Iterable[uuid.UUID],
    *,
    goods_arrived: bool,
    actor_user_id: uuid.UUID | None = None,
    reason: str,
) -> None:
    """Move purchased orders on: received when goods for them came in (or nothing is
    left to come), then ready for delivery once every line is settled, or cancelled
    when every line was shortened."""
    ids = sorted(set(order_ids))
    locked = await PurchasingRepository(session).orders_for_update(ids)
    lines = await PurchasingRepository(session).lines_of_orders(ids)
    for order in locked:
        if order.status not in ("purchased", "received"):
            continue
        order_lines = lines[order.id]
        settled = all(line.settled for line in order_lines)
        if order.status == "purchased" and (goods_arrived or settled):
            await orders.transition(
                session, order, "receive", actor_user_id=actor_user_id, reason=reason
            )
        if not settled:
            continue
        if any(line.allocated_cases for line in order_lines):
            await mark_ready(session, order, actor_user_id=actor_user_id)
        else:
            await orders.transition(
                session,
                order,
                "cancel",
                actor_user_id=actor_user_id,
                reason="every line was shortened: the suppliers could not deliver",
            )


async def mark_ready(
    session: AsyncSession,
    order: Order,
    *,
    actor_user_id: uuid.UUID | None = None,
    reason: str | None = None,
) -> None:
    """ready_for_delivery: orders.transition publishes it with the parcels delivery needs
    (one per line that ships, sized from the catalog variant; docs/events.md)."""
    await orders.transition(
        session, order, "mark_ready", actor_user_id=actor_user_id, reason=reason
    )
