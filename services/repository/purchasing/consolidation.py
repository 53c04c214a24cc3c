"""Consolidating a closed order window into purchase orders (集采), in restartable steps.

A window is (region, window_date). After its cut-off the job:

1. `open_run`: records the attempt (consolidation_runs) and lists the window's
   confirmed orders in batches.
2. `consolidate_orders` per batch: stocked lines take their held stock (inventory
   allocate); each order moves confirmed -> consolidated, and an order with only
   stocked lines goes straight on to ready_for_delivery.
3. `purchase_from_supplier` per supplier: the supplier's one purchase order of the
   window is inserted unless it exists, its to-order lines are summed per variant
   into PO lines, the order lines are attached (only those still unattached), the
   counters are recomputed from what is attached, and every order whose to-order
   lines are now all on purchase orders moves consolidated -> purchased.
4. `close_run`: a last sweep, the counts, status done.

Every step is idempotent and is its own transaction in the worker (tasks.py), so a
crash loses at most the step in flight and a re-run finishes the rest: no purchase
order twice (unique key + ON CONFLICT), none lost (unattached lines are found again).
An advisory lock per window keeps two runs from working on it at once.

Only confirmed orders are consolidated. A to-order line that reaches the window
after its supplier answered the window's purchase order goes on the supplier's next
purchase order of the window (`round_no` 2, 3 ...), so it is bought like the others.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.directory import repository as directory
from services.repository.directory.models import DEFAULT_CUTOFF, DEFAULT_TIMEZONE
from services.repository.inventory import service as inventory
from services.repository.orders import service as orders
from services.repository.orders.cutoff import local_cutoff_instant
from services.repository.orders.models import Order, OrderLine
from services.repository.problems import WINDOW_OPEN
from services.repository.purchasing import fulfilment, lifecycle, repository
from services.repository.purchasing.lifecycle import OPEN_FOR_LINES
from services.repository.purchasing.models import ConsolidationRun
from shared.db import utcnow
from shared.errors import Conflict

# Orders per transaction: small enough that the stock rows it locks are not held long.
ORDER_BATCH = 200
AUTOMATIC_HORIZON = timedelta(days=7)
JOB_REASON = "window consolidation"


@dataclass(frozen=True)
class RunStart:
    attempt: int
    order_batches: list[list[uuid.UUID]]


@dataclass(frozen=True)
class SupplierResult:
    supplier_id: uuid.UUID
    purchase_order_id: uuid.UUID
    created: bool
    lines_attached_for_orders: int
    orders_purchased: int


# ------------------------------------------------------------------ guards


def new_purchase_order_number(window_date: date) -> str:
    return f"PO{window_date:%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"


async def window_cutoff(session: AsyncSession, region_id: uuid.UUID, window_date: date) -> datetime:
    """When the window closes: as its orders were told, else by the region's rules."""
    from_orders = await repository.window_cutoff(session, region_id, window_date)
    if from_orders is not None:
        return from_orders
    region = await directory.get_region(session, region_id)
    zone = ZoneInfo(region.timezone if region else DEFAULT_TIMEZONE)
    cutoff = region.cutoff_time if region else DEFAULT_CUTOFF
    return local_cutoff_instant(window_date, cutoff, zone)


async def ensure_window_closed(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, now: datetime | None = None
) -> None:
    cutoff_at = await window_cutoff(session, region_id, window_date)
    if cutoff_at > (now or utcnow()):
        raise Conflict(
            "The window is still open: buyers may order until its cut-off",
            code=WINDOW_OPEN,
            extra={"cutoff_at": cutoff_at.isoformat()},
        )


# ------------------------------------------------------------------ the steps


def missed_reason(window_date: date) -> str:
    return f"unpaid at the cut-off of window {window_date.isoformat()}"


async def open_run(session: AsyncSession, region_id: uuid.UUID, window_date: date) -> RunStart:
    await ensure_window_closed(session, region_id, window_date)
    run = await repository.claim_run(session, region_id, window_date)
    unpaid = await repository.unpaid_orders_past_cutoff(
        session, region_id, window_date, missed_reason(window_date)
    )
    await orders.miss_cutoff(session, unpaid, reason=missed_reason(window_date))
    ids = await repository.confirmed_order_ids(session, region_id, window_date)
    batches = [ids[i : i + ORDER_BATCH] for i in range(0, len(ids), ORDER_BATCH)]
    await repository.advance_run(
        session,
        region_id,
        window_date,
        orders_total=len(ids),
        orders_done=0,
        suppliers_total=0,
        suppliers_done=0,
    )
    return RunStart(attempt=run.attempts, order_batches=batches)


async def request(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, user_id: uuid.UUID | None
) -> ConsolidationRun:
    """The operator's "consolidate now": the window must be closed; the run is queued
    for the worker (tasks.py), which reports progress on the run row."""
    await ensure_window_closed(session, region_id, window_date)
    return await repository.request_run(session, region_id, window_date, user_id)


async def consolidate_batch(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, order_ids: list[uuid.UUID]
) -> int:
    """One batch of orders, counted on the run."""
    done = await consolidate_orders(session, order_ids)
    await repository.advance_run(session, region_id, window_date, orders_done=("+", len(order_ids)))
    return done


async def start_suppliers(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> list[uuid.UUID]:
    suppliers = await suppliers_to_purchase_from(session, region_id, window_date)
    await repository.advance_run(
        session,
        region_id,
        window_date,
        phase="suppliers",
        suppliers_total=len(suppliers),
        suppliers_done=0,
    )
    return suppliers


async def purchase_counted(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
) -> SupplierResult:
    result = await purchase_from_supplier(session, region_id, window_date, supplier_id)
    await repository.advance_run(session, region_id, window_date, suppliers_done=("+", 1))
    return result


async def consolidate_orders(session: AsyncSession, order_ids: list[uuid.UUID]) -> int:
    """confirmed -> consolidated, stocked lines allocated; stocked-only orders -> ready."""
    locked = await repository.orders_for_update(session, order_ids, status="confirmed")
    by_id = {order.id: order for order in locked}
    lines = await repository.lines_of_orders(session, list(by_id))
    held = await repository.load_reservations(session, list(by_id))
    # Stock rows are locked in (warehouse, variant) order, as placement locks them, so a
    # consolidation and the orders being placed meanwhile cannot deadlock.
    stocked = sorted(
        (line for order_lines in lines.values() for line in order_lines if _is_stocked(line)),
        key=lambda line: (str(line.warehouse_id), str(line.variant_id), str(line.id)),
    )
    for line in stocked:
        await _allocate_stocked(session, by_id[line.order_id], line)
    del held
    for order in locked:
        await orders.transition(session, order, "consolidate", reason=JOB_REASON)
        if all(_is_stocked(line) for line in lines[order.id]):
            await fulfilment.mark_ready(session, order, reason=JOB_REASON)
    return len(locked)


def _is_stocked(line: OrderLine) -> bool:
    return line.fulfilment == repository.STOCKED


async def _allocate_stocked(session: AsyncSession, order: Order, line: OrderLine) -> None:
    """The held stock becomes the order's. A hold that is gone (released when payment
    came too late) cannot be honoured: the line is shortened rather than oversold."""
    if line.allocated_cases + line.shortened_cases >= line.cases:
        return
    reservation = await inventory.allocate(session, order, line)
    if reservation is not None:
        line.allocated_cases = min(line.cases, reservation.cases)
    await fulfilment.shorten(session, order, line, fulfilment.expected_cases(line))


async def suppliers_to_purchase_from(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> list[uuid.UUID]:
    return await repository.suppliers_waiting(session, region_id, window_date)


async def purchase_from_supplier(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
) -> SupplierResult:
    """The supplier's open purchase order of the window, with every waiting line on it.

    While the supplier has not answered the window's purchase order, new lines are
    added to it (amended). Once it has answered (confirmed, shipped, received or
    declined), lines that reach the window later (the cut-off was moved later, a
    payment came in before a second consolidation) go on a new purchase order, the
    next round: they are bought, never shortened for goods nobody ordered."""
    created = False
    purchase_order = await repository.latest_purchase_order_of_window(
        session, region_id, window_date, supplier_id
    )
    if purchase_order is None or purchase_order.status not in OPEN_FOR_LINES:
        round_no = 1 if purchase_order is None else purchase_order.round_no + 1
        created = await repository.insert_purchase_order(
            session,
            region_id=region_id,
            window_date=window_date,
            supplier_id=supplier_id,
            round_no=round_no,
            number=new_purchase_order_number(window_date),
            warehouse_id=await repository.county_warehouse_id(session, region_id),
        )
        purchase_order = await repository.latest_purchase_order_of_window(
            session, region_id, window_date, supplier_id
        )
        assert purchase_order is not None and purchase_order.status in OPEN_FOR_LINES
    cases = await repository.unattached_cases_by_variant(
        session, region_id, window_date, supplier_id
    )
    await repository.ensure_purchase_order_lines(session, purchase_order.id, cases)
    touched = await repository.attach_order_lines(
        session, purchase_order.id, region_id, window_date, supplier_id
    )
    await repository.recount_purchase_order(session, purchase_order)
    if created:
        await lifecycle.record(session, purchase_order, None, "send", reason=JOB_REASON)
    purchased = await _purchase_orders_complete(session, region_id, window_date, touched)
    return SupplierResult(supplier_id, purchase_order.id, created, len(touched), purchased)


async def _purchase_orders_complete(
    session: AsyncSession,
    region_id: uuid.UUID,
    window_date: date,
    order_ids: list[uuid.UUID] | None,
) -> int:
    """consolidated -> purchased for orders whose to-order lines are all on POs."""
    ready = await repository.orders_with_every_line_on_a_purchase_order(
        session, region_id, window_date, order_ids
    )
    for order in await repository.orders_for_update(session, ready, status="consolidated"):
        await orders.transition(session, order, "purchase", reason=JOB_REASON)
    return len(ready)


async def close_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> ConsolidationRun:
    await _purchase_orders_complete(session, region_id, window_date, None)
    run = await repository.get_run(session, region_id, window_date, lock=True)
    assert run is not None, "close_run follows open_run"
    run.orders, run.lines, run.purchase_orders = await repository.window_counts(
        session, region_id, window_date
    )
    left = await repository.suppliers_waiting(session, region_id, window_date)
    still_confirmed = await repository.confirmed_order_ids(session, region_id, window_date)
    run.status = "running" if (left or still_confirmed) else "done"
    run.phase = run.status
    run.finished_at = utcnow() if run.status == "done" else None
    return run


async def due_windows(session: AsyncSession) -> list[tuple[uuid.UUID, date]]:
    """Closed windows with confirmed orders still to consolidate, or a run that stopped.

    Only windows closed within AUTOMATIC_HORIZON: goods for a window that closed longer
    ago are not bought behind anyone's back; the operator looks at its board and runs it.
    """
    return await repository.due_windows(session, utcnow(), AUTOMATIC_HORIZON)
