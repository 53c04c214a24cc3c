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
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.directory.models import DEFAULT_CUTOFF, DEFAULT_TIMEZONE
from services.repository.directory.repository import DirectoryRepository
from services.repository.inventory.lifecycle import RESERVATION
from services.repository.orders import service as orders
from services.repository.orders.cutoff import local_cutoff_instant
from services.repository.orders.lifecycle import EVENT_OF, ORDER
from services.repository.problems import WINDOW_OPEN
from services.repository.purchasing import fulfilment, repository
from services.repository.purchasing.lifecycle import CONSOLIDATION_RUN, OPEN_FOR_LINES
from services.repository.purchasing.models import ConsolidationRun
from services.repository.purchasing.repository import PurchasingRepository
from shared.db import utcnow
from shared.errors import Conflict

# Orders per transaction (each batch is a handful of set-based statements; the run's
# progress advances batch by batch), and suppliers per transaction.
ORDER_BATCH = 1000
SUPPLIER_BATCH = 25
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
    from_orders = await PurchasingRepository(session).window_cutoff(region_id, window_date)
    if from_orders is not None:
        return from_orders
    region = await DirectoryRepository(session).get_region(region_id)
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
    run = await _start_run(session, region_id, window_date)
    unpaid = await PurchasingRepository(session).unpaid_orders_past_cutoff(
        region_id, window_date, missed_reason(window_date)
    )
    await orders.miss_cutoff(session, unpaid, reason=missed_reason(window_date))
    ids = await PurchasingRepository(session).confirmed_order_ids(region_id, window_date)
    batches = [ids[i : i + ORDER_BATCH] for i in range(0, len(ids), ORDER_BATCH)]
    await PurchasingRepository(session).advance_run(
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
    run = await PurchasingRepository(session).ensure_run(region_id, window_date)
    if run.status == "done":
        await CONSOLIDATION_RUN.apply(
            session,
            run,
            "request",
            actor_id=user_id,
            reason="consolidate now",
            entity_id=repository.run_key(region_id, window_date),
        )
    if run.status == "queued":
        run.phase = "queued"
        run.requested_by_user_id = user_id
    await session.flush()
    return run


async def _start_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> ConsolidationRun:
    """Start (or resume) the window's run: one row per window, attempts counted."""
    run = await PurchasingRepository(session).ensure_run(region_id, window_date)
    await CONSOLIDATION_RUN.apply(
        session,
        run,
        "start",
        actor_id=None,
        reason=JOB_REASON,
        entity_id=repository.run_key(region_id, window_date),
    )
    run.phase = "orders"
    run.attempts += 1
    run.started_at = utcnow()
    run.finished_at = None
    await session.flush()
    return run


async def consolidate_batch(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, order_ids: list[uuid.UUID]
) -> int:
    """One batch of orders, counted on the run."""
    done = await consolidate_orders(session, order_ids)
    await PurchasingRepository(session).advance_run(
        region_id, window_date, orders_done=("+", len(order_ids))
    )
    return done


async def start_suppliers(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> list[uuid.UUID]:
    suppliers = await suppliers_to_purchase_from(session, region_id, window_date)
    await PurchasingRepository(session).advance_run(
        region_id,
        window_date,
        phase="suppliers",
        suppliers_total=len(suppliers),
        suppliers_done=0,
    )
    return suppliers


async def purchase_counted(
    session: AsyncSession,
    region_id: uuid.UUID,
    window_date: date,
    supplier_ids: list[uuid.UUID],
) -> list[SupplierResult]:
    """One group of suppliers, counted on the run."""
    results = await purchase_from_suppliers(session, region_id, window_date, supplier_ids)
    await PurchasingRepository(session).advance_run(
        region_id, window_date, suppliers_done=("+", len(supplier_ids))
    )
    return results


async def consolidate_orders(session: AsyncSession, order_ids: list[uuid.UUID]) -> int:
    """confirmed -> consolidated, stocked lines allocated; stocked-only orders -> ready.

    Set-based: a handful of statements for the whole batch (lock the orders, allocate
    every held reservation with its ledger rows, shorten what was not held, move the
    orders with their transition rows and events); only orders of stocked lines alone
    go on to ready_for_delivery one by one (their stock is picked, their parcels sized).
    """
    sql = repository.ConsolidationRepository(session)
    locked = await sql.lock_confirmed(order_ids)
    if not locked:
        return 0
    allocated = await sql.allocate_held(locked)
    await RESERVATION.record_many(
        session, allocated, "held", "allocate", actor_id=None, reason=JOB_REASON
    )
    await sql.shorten_unheld(locked)
    await _move_orders(sql, "o.id = ANY(:ids)", "confirmed", "consolidate", ids=locked)
    ready = await sql.stocked_only(locked)
    for order in await PurchasingRepository(session).orders_for_update(
        ready, status="consolidated"
    ):
        await fulfilment.mark_ready(session, order, reason=JOB_REASON)
    return len(locked)


async def _move_orders(
    sql: repository.ConsolidationRepository,
    where: str,
    from_status: str,
    action: str,
    **params: Any,
) -> list[uuid.UUID]:
    """One step of the order machine (orders/lifecycle.py) for many orders at once."""
    to_status = ORDER.next_state(from_status, action)
    return await sql.move_orders(
        where,
        from_status=from_status,
        to_status=to_status,
        action=action,
        event_type=EVENT_OF.get(action, f"repository.order.{to_status}"),
        reason=JOB_REASON,
        **params,
    )


async def suppliers_to_purchase_from(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> list[uuid.UUID]:
    return await PurchasingRepository(session).suppliers_waiting(region_id, window_date)


async def purchase_from_suppliers(
    session: AsyncSession,
    region_id: uuid.UUID,
    window_date: date,
    supplier_ids: list[uuid.UUID],
) -> list[SupplierResult]:
    """Each supplier's open purchase order of the window, with every waiting line on it.

    While a supplier has not answered the window's purchase order, new lines are
    added to it (amended). Once it has answered (confirmed, shipped, received or
    declined), lines that reach the window later (the cut-off was moved later, a
    payment came in before a second consolidation) go on a new purchase order, the
    next round: they are bought, never shortened for goods nobody ordered.

    Set-based for the whole group of suppliers: their purchase orders are created in
    one statement, the waiting lines summed into PO lines, attached and recounted in
    three more, and the orders complete now move to purchased in one."""
    sql = repository.ConsolidationRepository(session)
    waiting = await sql.suppliers_with_waiting_lines(region_id, window_date, supplier_ids)
    if not waiting:
        return []
    latest = await sql.latest_purchase_orders(region_id, window_date, waiting)
    targets = {
        supplier_id: found[0] for supplier_id, found in latest.items() if found[2] in OPEN_FOR_LINES
    }
    needed = [s for s in waiting if s not in targets]
    warehouse_id = (
        await PurchasingRepository(session).county_warehouse_id(region_id) if needed else None
    )
    created = await sql.insert_purchase_orders(
        [
            {
                "number": new_purchase_order_number(window_date),
                "region_id": region_id,
                "window_date": window_date,
                "supplier_id": supplier_id,
                "round_no": latest[supplier_id][1] + 1 if supplier_id in latest else 1,
                "warehouse_id": warehouse_id,
            }
            for supplier_id in needed
        ]
    )
    assert set(created) == set(needed), "the window lock keeps other runs out"
    targets.update(created)
    touched = await sql.buy_waiting_lines(region_id, window_date, targets)
    await sql.announce_sent(list(created.values()), JOB_REASON)
    purchased = await _purchase_orders_complete(session, region_id, window_date, touched)
    return [
        SupplierResult(
            supplier_id, targets[supplier_id], supplier_id in created, len(touched), purchased
        )
        for supplier_id in waiting
    ]


async def purchase_from_supplier(
    session: AsyncSession, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
) -> SupplierResult | None:
    """One supplier's purchase (see purchase_from_suppliers); None when nothing waits."""
    results = await purchase_from_suppliers(session, region_id, window_date, [supplier_id])
    return results[0] if results else None


async def _purchase_orders_complete(
    session: AsyncSession,
    region_id: uuid.UUID,
    window_date: date,
    order_ids: list[uuid.UUID] | None,
) -> int:
    """consolidated -> purchased for orders whose to-order lines are all on POs."""
    sql = repository.ConsolidationRepository(session)
    where = (
        "o.region_id = :region_id AND o.window_date = :window_date"
        f" AND NOT EXISTS ({repository.WAITING_LINE_OF_ORDER})"
    )
    if order_ids is not None:
        if not order_ids:
            return 0
        where += " AND o.id = ANY(:ids)"
        moved = await _move_orders(
            sql, where, "consolidated", "purchase",
            region_id=region_id, window_date=window_date, ids=order_ids,
        )  # fmt: skip
    else:
        moved = await _move_orders(
            sql, where, "consolidated", "purchase", region_id=region_id, window_date=window_date
        )
    return len(moved)


async def close_run(
    session: AsyncSession, region_id: uuid.UUID, window_date: date
) -> ConsolidationRun:
    await _purchase_orders_complete(session, region_id, window_date, None)
    run = await PurchasingRepository(session).get_run(region_id, window_date, lock=True)
    assert run is not None, "close_run follows open_run"
    run.orders, run.lines, run.purchase_orders = await PurchasingRepository(session).window_counts(
        region_id, window_date
    )
    left = await PurchasingRepository(session).suppliers_waiting(region_id, window_date)
    still_confirmed = await PurchasingRepository(session).confirmed_order_ids(
        region_id, window_date
    )
    if not (left or still_confirmed):
        await CONSOLIDATION_RUN.apply(
            session,
            run,
            "finish",
            actor_id=None,
            reason=JOB_REASON,
            entity_id=repository.run_key(region_id, window_date),
        )
        run.finished_at = utcnow()
    run.phase = run.status
    return run


async def due_windows(session: AsyncSession) -> list[tuple[uuid.UUID, date]]:
    """Closed windows with confirmed orders still to consolidate, or a run that stopped.

    Only windows closed within AUTOMATIC_HORIZON: goods for a window that closed longer
    ago are not bought behind anyone's back; the operator looks at its board and runs it.
    """
    return await PurchasingRepository(session).due_windows(utcnow(), AUTOMATIC_HORIZON)
