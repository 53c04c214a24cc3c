"""All SQL for centralized purchasing: consolidation runs, purchase orders, receipts.

Consolidation statements are written so that running them twice changes nothing the
second time: purchase orders are inserted ON CONFLICT DO NOTHING on their
(region, window, supplier) key, order lines are attached only while still unattached,
and every counter is recomputed from the attached lines instead of being incremented.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.repository.directory.models import CatalogVariant
from services.repository.inventory.models import Reservation, Warehouse
from services.repository.offers.models import Offer
from services.repository.orders.models import Order, OrderLine, OrderTransition
from services.repository.purchasing.models import (
    ConsolidationRun,
    PurchaseOrder,
    PurchaseOrderLine,
)
from shared.db import new_id, utcnow

TO_ORDER = "to_order"
STOCKED = "stocked"


async def add(session: AsyncSession, *objects: object) -> None:
    session.add_all(objects)
    await session.flush()


# ------------------------------------------------------------------ the window lock


def window_lock_key(region_id: uuid.UUID, window_date: date) -> int:
    """A stable signed 64-bit advisory lock key for one region window."""
    digest = hashlib.blake2b(f"consolidate:{region_id}:{window_date}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


async def try_lock_window(connection: AsyncConnection, key: int) -> bool:
    """Session-level lock held by a dedicated connection for a whole chunked run."""
    return bool(await connection.scalar(select(func.pg_try_advisory_lock(key))))


async def unlock_window(connection: AsyncConnection, key: int) -> None:
    await connection.execute(select(func.pg_advisory_unlock(key)))


# ------------------------------------------------------------------ runs


async def request_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, user_id: uuid.UUID | None
) -> ConsolidationRun:
    """The operator asks for a run: a new or finished run is queued (attempts are
    counted when the worker starts it); a run at work, or stopped half-way, stays
    running (the worker finishes it)."""
    stmt = (
        insert(ConsolidationRun)
        .values(
            region_id=region_id,
            window_date=window_date,
            status="queued",
            phase="queued",
            attempts=0,
            orders=0,
            lines=0,
            purchase_orders=0,
            requested_by_user_id=user_id,
        )
        .on_conflict_do_update(
            index_elements=[ConsolidationRun.region_id, ConsolidationRun.window_date],
            set_={
                "status": "queued",
                "phase": "queued",
                "requested_by_user_id": user_id,
                "updated_at": utcnow(),
            },
            where=ConsolidationRun.status == "done",
        )
    )
    await session.execute(stmt)
    run = await session.get(ConsolidationRun, (region_id, window_date), populate_existing=True)
    assert run is not None
    return run


async def advance_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, **values: Any
) -> None:
    """Progress of the window's run: `orders_done=+n` style increments or plain values."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        column = getattr(ConsolidationRun, name)
        changes[name] = column + value[1] if isinstance(value, tuple) else value
    await session.execute(
        update(ConsolidationRun)
        .where(ConsolidationRun.region_id == region_id, ConsolidationRun.window_date == window_date)
        .values(**changes, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def claim_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> ConsolidationRun:
    """Start (or restart) the window's run: one row per window, attempts counted."""
    stmt = (
        insert(ConsolidationRun)
        .values(
            region_id=region_id,
            window_date=window_date,
            status="running",
            phase="orders",
            attempts=1,
            started_at=utcnow(),
        )
        .on_conflict_do_update(
            index_elements=[ConsolidationRun.region_id, ConsolidationRun.window_date],
            set_={
                "status": "running",
                "phase": "orders",
                "attempts": ConsolidationRun.attempts + 1,
                "finished_at": None,
                "started_at": utcnow(),
                "updated_at": utcnow(),
            },
        )
    )
    await session.execute(stmt)
    run = await session.get(
        ConsolidationRun, (region_id, window_date), populate_existing=True, with_for_update=True
    )
    assert run is not None
    return run


async def get_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, *, lock: bool = False
) -> ConsolidationRun | None:
    return await session.get(
        ConsolidationRun,
        (region_id, window_date),
        with_for_update=lock or None,
        populate_existing=lock,
    )


async def due_windows(
    session: AsyncSession, now: datetime, horizon: timedelta
) -> list[tuple[uuid.UUID, date]]:
    """Windows closed within `horizon` with work left: confirmed orders, or a stopped run."""
    confirmed = (
        select(Order.region_id, Order.window_date)
        .where(
            Order.status == "confirmed",
            Order.cutoff_at <= now,
            Order.cutoff_at > now - horizon,
        )
        .distinct()
    )
    unfinished = select(ConsolidationRun.region_id, ConsolidationRun.window_date).where(
        ConsolidationRun.status.in_(("running", "queued")),
        ConsolidationRun.window_date > (now - horizon).date(),
    )
    rows = await session.execute(confirmed.union(unfinished))
    return sorted((row[0], row[1]) for row in rows.all())


async def window_cutoff(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> datetime | None:
    """The first instant some of the window closed (every order carries its cut-off:
    the operator may close a route early, or move the region's cut-off later)."""
    return await session.scalar(
        select(func.min(Order.cutoff_at)).where(
            Order.region_id == region_id, Order.window_date == window_date
        )
    )


async def window_counts(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> tuple[int, int, int]:
    """(orders consolidated, their lines, purchase orders) of the window, counted afresh."""
    orders, lines = (
        await session.execute(
            select(func.count(func.distinct(Order.id)), func.count(OrderLine.id))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                Order.region_id == region_id,
                Order.window_date == window_date,
                Order.status.not_in(("placed", "confirmed", "cancelled")),
            )
        )
    ).one()
    purchase_orders = await session.scalar(
        select(func.count(PurchaseOrder.id)).where(
            PurchaseOrder.region_id == region_id, PurchaseOrder.window_date == window_date
        )
    )
    return int(orders), int(lines), int(purchase_orders or 0)


# ------------------------------------------------------------------ orders of a window


async def confirmed_order_ids(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, now: datetime | None = None
) -> list[uuid.UUID]:
    """The window's confirmed orders whose own cut-off has passed."""
    rows = await session.scalars(
        select(Order.id)
        .where(
            Order.region_id == region_id,
            Order.window_date == window_date,
            Order.status == "confirmed",
            Order.cutoff_at <= (now or utcnow()),
        )
        .order_by(Order.placed_at, Order.id)
    )
    return list(rows)


async def unpaid_orders_past_cutoff(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, reason: str
) -> list[Order]:
    """The window's placed orders whose cut-off passed and that were not yet told
    (no `miss_cutoff` step with this window's reason), locked in id order."""
    told = exists().where(
        OrderTransition.order_id == Order.id,
        OrderTransition.action == "miss_cutoff",
        OrderTransition.reason == reason,
    )
    stmt = (
        select(Order)
        .where(
            Order.region_id == region_id,
            Order.window_date == window_date,
            Order.status == "placed",
            Order.cutoff_at <= utcnow(),
            ~told,
        )
        .order_by(Order.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list((await session.scalars(stmt)).all())


async def orders_for_update(
    session: AsyncSession, order_ids: list[uuid.UUID], status: str | None = None
) -> list[Order]:
    """Lock the orders (in id order, so two writers cannot deadlock), optionally by status."""
    if not order_ids:
        return []
    stmt = select(Order).where(Order.id.in_(order_ids)).order_by(Order.id).with_for_update()
    if status is not None:
        stmt = stmt.where(Order.status == status)
    return list((await session.scalars(stmt.execution_options(populate_existing=True))).all())


async def lines_of_orders(
    session: AsyncSession, order_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[OrderLine]]:
    result: dict[uuid.UUID, list[OrderLine]] = {order_id: [] for order_id in order_ids}
    if not order_ids:
        return result
    rows = await session.scalars(
        select(OrderLine)
        .where(OrderLine.order_id.in_(order_ids))
        .order_by(OrderLine.order_id, OrderLine.line_no)
        .execution_options(populate_existing=True)
    )
    for line in rows:
        result[line.order_id].append(line)
    return result


async def load_reservations(session: AsyncSession, order_ids: list[uuid.UUID]) -> list[Reservation]:
    """Read the orders' reservations in one query: while the caller keeps the list,
    inventory finds each by its key in the session instead of asking line by line."""
    if not order_ids:
        return []
    rows = await session.scalars(select(Reservation).where(Reservation.order_id.in_(order_ids)))
    return list(rows.all())


async def suppliers_waiting(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> list[uuid.UUID]:
    """Suppliers with to-order lines of consolidated orders not yet on a purchase order."""
    rows = await session.scalars(
        select(OrderLine.supplier_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(*_unattached(region_id, window_date))
        .distinct()
        .order_by(OrderLine.supplier_id)
    )
    return list(rows)


def _unattached(region_id: uuid.UUID, window_date: date) -> list[Any]:
    return [
        Order.region_id == region_id,
        Order.window_date == window_date,
        Order.status == "consolidated",
        OrderLine.fulfilment == TO_ORDER,
        OrderLine.purchase_order_line_id.is_(None),
        _still_expecting(),
    ]


def _still_expecting() -> Any:
    return OrderLine.allocated_cases + OrderLine.shortened_cases < OrderLine.cases


async def unattached_lines_of_supplier(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
) -> list[OrderLine]:
    rows = await session.scalars(
        select(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(*_unattached(region_id, window_date), OrderLine.supplier_id == supplier_id)
        .order_by(OrderLine.order_id, OrderLine.line_no)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def orders_with_every_line_on_a_purchase_order(
    session: AsyncSession,
    region_id: uuid.UUID,
    window_date: date,
    order_ids: list[uuid.UUID] | None = None,
) -> list[uuid.UUID]:
    """Consolidated orders of the window whose to-order lines are all attached."""
    waiting = exists().where(
        OrderLine.order_id == Order.id,
        OrderLine.fulfilment == TO_ORDER,
        OrderLine.purchase_order_line_id.is_(None),
        _still_expecting(),
    )
    stmt = select(Order.id).where(
        Order.region_id == region_id,
        Order.window_date == window_date,
        Order.status == "consolidated",
        ~waiting,
    )
    if order_ids is not None:
        stmt = stmt.where(Order.id.in_(order_ids))
    return list(await session.scalars(stmt.order_by(Order.id)))


# ------------------------------------------------------------------ purchase orders


async def county_warehouse_id(session: AsyncSession, region_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(
        select(Warehouse.id)
        .where(Warehouse.region_id == region_id, Warehouse.is_county_warehouse.is_(True))
        .order_by(Warehouse.created_at, Warehouse.id)
        .limit(1)
    )


async def insert_purchase_order(
    session: AsyncSession,
    *,
    region_id: uuid.UUID,
    window_date: date,
    supplier_id: uuid.UUID,
    round_no: int,
    number: str,
    warehouse_id: uuid.UUID | None,
) -> bool:
    """Create the window's purchase order (this round) for the supplier unless it
    exists; True if new."""
    created = await session.scalar(
        insert(PurchaseOrder)
        .values(
            id=new_id(),
            number=number,
            region_id=region_id,
            window_date=window_date,
            supplier_id=supplier_id,
            round_no=round_no,
            warehouse_id=warehouse_id,
            status="sent",
            total_cost_fen=0,
            version=1,
        )
        .on_conflict_do_nothing(
            index_elements=[
                PurchaseOrder.region_id,
                PurchaseOrder.window_date,
                PurchaseOrder.supplier_id,
                PurchaseOrder.round_no,
            ]
        )
        .returning(PurchaseOrder.id)
    )
    return created is not None


async def latest_purchase_order_of_window(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
) -> PurchaseOrder | None:
    """The supplier's purchase order of the window with the highest round, locked."""
    return await session.scalar(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.region_id == region_id,
            PurchaseOrder.window_date == window_date,
            PurchaseOrder.supplier_id == supplier_id,
        )
        .order_by(PurchaseOrder.round_no.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def unattached_cases_by_variant(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
) -> list[tuple[uuid.UUID, int]]:
    rows = await session.execute(
        select(OrderLine.variant_id, func.sum(OrderLine.cases))
        .join(Order, Order.id == OrderLine.order_id)
        .where(*_unattached(region_id, window_date), OrderLine.supplier_id == supplier_id)
        .group_by(OrderLine.variant_id)
        .order_by(OrderLine.variant_id)
    )
    return [(variant_id, int(cases)) for variant_id, cases in rows.all()]


async def ensure_purchase_order_lines(
    session: AsyncSession,
    purchase_order_id: uuid.UUID,
    cases_by_variant: list[tuple[uuid.UUID, int]],
) -> None:
    """One line per variant; quantities are placeholders until `recount_purchase_order`."""
    if not cases_by_variant:
        return
    await session.execute(
        insert(PurchaseOrderLine)
        .values(
            [
                {
                    "id": new_id(),
                    "purchase_order_id": purchase_order_id,
                    "variant_id": variant_id,
                    "ordered_cases": cases,
                    "accepted_cases": 0,
                    "rejected_cases": 0,
                    "unit_cost_fen": 0,
                }
                for variant_id, cases in cases_by_variant
            ]
        )
        .on_conflict_do_nothing(
            index_elements=[PurchaseOrderLine.purchase_order_id, PurchaseOrderLine.variant_id]
        )
    )


async def attach_order_lines(
    session: AsyncSession,
    purchase_order_id: uuid.UUID,
    region_id: uuid.UUID,
    window_date: date,
    supplier_id: uuid.UUID,
) -> list[uuid.UUID]:
    """Point the window's unattached to-order lines of the supplier at the PO's lines.

    Only lines still unattached are touched, so a re-run attaches nothing twice.
    Returns the ids of the orders whose lines were attached now.
    """
    po_line = PurchaseOrderLine.__table__.alias("po_line")
    rows = await session.execute(
        update(OrderLine)
        .where(
            OrderLine.order_id == Order.id,
            po_line.c.purchase_order_id == purchase_order_id,
            po_line.c.variant_id == OrderLine.variant_id,
            OrderLine.supplier_id == supplier_id,
            *_unattached(region_id, window_date),
        )
        .values(purchase_order_line_id=po_line.c.id)
        .returning(OrderLine.order_id)
        .execution_options(synchronize_session=False)
    )
    return sorted({row[0] for row in rows.all()})


async def recount_purchase_order(session: AsyncSession, purchase_order: PurchaseOrder) -> None:
    """Ordered cases, unit cost, total and expected arrival, all from the attached lines.

    Unit cost is what the supplier is paid per case: the case-weighted mean of the
    attached order lines' unit prices, rounded down; the total is their exact sum.
    Expected arrival is the window date plus the longest lead time among the offers.
    """
    attached = (
        select(
            OrderLine.purchase_order_line_id.label("po_line_id"),
            func.sum(OrderLine.cases).label("cases"),
            func.sum(OrderLine.amount_fen).label("amount"),
        )
        .join(PurchaseOrderLine, PurchaseOrderLine.id == OrderLine.purchase_order_line_id)
        .where(PurchaseOrderLine.purchase_order_id == purchase_order.id)
        .group_by(OrderLine.purchase_order_line_id)
        .subquery()
    )
    await session.execute(
        update(PurchaseOrderLine)
        .where(PurchaseOrderLine.id == attached.c.po_line_id)
        .values(
            ordered_cases=attached.c.cases,
            unit_cost_fen=func.div(attached.c.amount, attached.c.cases),
        )
        .execution_options(synchronize_session=False)
    )
    total, lead_days = (
        await session.execute(
            select(
                func.coalesce(func.sum(OrderLine.amount_fen), 0),
                func.coalesce(func.max(Offer.lead_time_days), 0),
            )
            .select_from(OrderLine)
            .join(PurchaseOrderLine, PurchaseOrderLine.id == OrderLine.purchase_order_line_id)
            .outerjoin(Offer, Offer.id == OrderLine.offer_id)
            .where(PurchaseOrderLine.purchase_order_id == purchase_order.id)
        )
    ).one()
    purchase_order.total_cost_fen = int(total)
    purchase_order.expected_arrival = purchase_order.window_date + timedelta(days=int(lead_days))


async def value_still_expected(session: AsyncSession, purchase_order_id: uuid.UUID) -> int:
    """What the supplier will be paid for the purchase order now: the attached order
    lines' cases that were not shortened, at the prices they were ordered at."""
    total = await session.scalar(
        select(
            func.coalesce(
                func.sum((OrderLine.cases - OrderLine.shortened_cases) * OrderLine.unit_price_fen),
                0,
            )
        )
        .select_from(OrderLine)
        .join(PurchaseOrderLine, PurchaseOrderLine.id == OrderLine.purchase_order_line_id)
        .where(PurchaseOrderLine.purchase_order_id == purchase_order_id)
    )
    return int(total or 0)


# ------------------------------------------------------------------ reading purchase orders


async def get_purchase_order(
    session: AsyncSession, purchase_order_id: uuid.UUID, *, lock: bool = False
) -> PurchaseOrder | None:
    return await session.get(
        PurchaseOrder, purchase_order_id, with_for_update=lock or None, populate_existing=lock
    )


async def lines_of(session: AsyncSession, purchase_order_id: uuid.UUID) -> list[PurchaseOrderLine]:
    rows = await session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id == purchase_order_id)
        .order_by(PurchaseOrderLine.variant_id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def lines_of_many(
    session: AsyncSession, purchase_order_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[PurchaseOrderLine]]:
    result: dict[uuid.UUID, list[PurchaseOrderLine]] = {i: [] for i in purchase_order_ids}
    if not purchase_order_ids:
        return result
    rows = await session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id.in_(purchase_order_ids))
        .order_by(PurchaseOrderLine.purchase_order_id, PurchaseOrderLine.variant_id)
    )
    for line in rows:
        result[line.purchase_order_id].append(line)
    return result


def listing() -> Select[Any]:
    return select(PurchaseOrder)


def listing_filters(
    stmt: Select[Any],
    *,
    region_id: uuid.UUID | None,
    window_date: date | None,
    status: str | None,
    supplier_id: uuid.UUID | None,
) -> Select[Any]:
    if region_id is not None:
        stmt = stmt.where(PurchaseOrder.region_id == region_id)
    if window_date is not None:
        stmt = stmt.where(PurchaseOrder.window_date == window_date)
    if status is not None:
        stmt = stmt.where(PurchaseOrder.status == status)
    if supplier_id is not None:
        stmt = stmt.where(PurchaseOrder.supplier_id == supplier_id)
    return stmt


SORT_COLUMNS = {"created_at": PurchaseOrder.created_at, "number": PurchaseOrder.number}


async def variants_by_id(
    session: AsyncSession, variant_ids: set[uuid.UUID]
) -> dict[uuid.UUID, CatalogVariant]:
    if not variant_ids:
        return {}
    rows = await session.scalars(
        select(CatalogVariant).where(CatalogVariant.variant_id.in_(variant_ids))
    )
    return {v.variant_id: v for v in rows}


# ------------------------------------------------------------------ lines waiting for goods


async def waiting_lines(
    session: AsyncSession, po_line_ids: list[uuid.UUID]
) -> list[tuple[OrderLine, datetime]]:
    """Order lines on these PO lines still expecting cases, with their order time."""
    if not po_line_ids:
        return []
    rows = await session.execute(
        select(OrderLine, Order.placed_at)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            OrderLine.purchase_order_line_id.in_(po_line_ids),
            _still_expecting(),
        )
        .order_by(Order.placed_at, OrderLine.id)
        .execution_options(populate_existing=True)
    )
    return [(line, placed_at) for line, placed_at in rows.all()]


async def unsettled_order_ids(session: AsyncSession, order_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Of these orders, those with a line still expecting cases."""
    if not order_ids:
        return set()
    rows = await session.scalars(
        select(OrderLine.order_id)
        .where(
            OrderLine.order_id.in_(order_ids),
            OrderLine.allocated_cases + OrderLine.shortened_cases < OrderLine.cases,
        )
        .distinct()
    )
    return set(rows)
