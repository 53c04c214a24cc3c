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

from sqlalchemy import ARRAY, Select, Table, Uuid, bindparam, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.repository.directory.models import CatalogVariant
from services.repository.inventory.models import (
    Reservation,
    StockBalance,
    StockMovement,
    Warehouse,
)
from services.repository.offers.models import Offer
from services.repository.orders.models import Order, OrderLine, OrderTransition
from services.repository.purchasing.models import (
    ConsolidationRun,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderTransition,
)
from shared.db import kernel_of, new_id, utcnow

TO_ORDER = "to_order"
STOCKED = "stocked"


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


def run_key(region_id: uuid.UUID, window_date: date) -> str:
    """The consolidation run's id in status_changes."""
    return f"{region_id}:{window_date.isoformat()}"


# ------------------------------------------------------------------ orders of a window


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


# ------------------------------------------------------------------ purchase orders


# ------------------------------------------------------------------ reading purchase orders


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


# ------------------------------------------------------------------ lines waiting for goods


# ------------------------------------------------------------------ set-based consolidation


def _name(model: Any) -> str:
    table: Table = model.__table__
    return table.fullname


_T = {
    "orders": _name(Order),
    "lines": _name(OrderLine),
    "steps": _name(OrderTransition),
    "reservations": _name(Reservation),
    "movements": _name(StockMovement),
    "balances": _name(StockBalance),
    "offers": _name(Offer),
    "pos": _name(PurchaseOrder),
    "po_lines": _name(PurchaseOrderLine),
    "po_steps": _name(PurchaseOrderTransition),
}

# What a to-order line of a window must be to go on a purchase order now.
_UNATTACHED = """
    o.region_id = :region_id AND o.window_date = :window_date AND o.status = 'consolidated'
    AND l.fulfilment = 'to_order' AND l.purchase_order_line_id IS NULL
    AND l.allocated_cases + l.shortened_cases < l.cases
"""

# An order (alias o) still waiting for one of its to-order lines to go on a purchase order.
WAITING_LINE_OF_ORDER = f"""
    SELECT 1 FROM {_T["lines"]} l
    WHERE l.order_id = o.id AND l.fulfilment = 'to_order' AND l.purchase_order_line_id IS NULL
      AND l.allocated_cases + l.shortened_cases < l.cases
"""


def event_payload_sql(event_id: str, event_type: str, region_id: str, data: str) -> str:
    """The outbox payload shared.events.Event serialises, built in SQL (same keys)."""
    return f"""jsonb_build_object(
        'id', {event_id}, 'type', {event_type}, 'producer', CAST(:producer AS text),
        'occurred_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'region_id', {region_id}, 'request_id', NULL, 'data', {data})"""


def _ids(name: str) -> Any:
    return bindparam(name, type_=ARRAY(Uuid))


class ConsolidationRepository:
    """The statements of a window's consolidation, each moving a whole batch of orders
    (or every waiting line of a group of suppliers) at once: no statement runs per line.

    Orders are locked in id order and balance rows are never locked here (an allocation
    changes no count), as every other writer does, so nothing deadlocks with placements.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.producer = kernel_of(session).name
        self.outbox = kernel_of(session).outbox.fullname

    async def _run(self, sql: str, **params: Any) -> Any:
        binds = [_ids(k) for k, v in params.items() if isinstance(v, list)]
        stmt = text(sql).bindparams(*binds) if binds else text(sql)
        return await self.session.execute(stmt, {"producer": self.producer, **params})

    # ---------------------------------------------------------------- orders

    async def lock_confirmed(self, order_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        result = await self._run(
            f"SELECT id FROM {_T['orders']} WHERE id = ANY(:ids) AND status = 'confirmed'"
            " ORDER BY id FOR UPDATE",
            ids=order_ids,
        )
        return [row[0] for row in result.all()]

    async def allocate_held(self, order_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        """Every unsettled stocked line with a held reservation takes it: the
        reservation is allocated, the line's allocated cases set, one `allocation`
        movement per line (counts unchanged: the balance as it stands). Returns the
        reservations' keys (their order line ids)."""
        result = await self._run(
            f"""
            WITH held AS (
                UPDATE {_T["reservations"]} r
                SET status = 'allocated', expires_at = NULL, updated_at = now()
                FROM {_T["lines"]} l
                WHERE l.order_id = ANY(:ids) AND l.fulfilment = 'stocked'
                  AND l.allocated_cases + l.shortened_cases < l.cases
                  AND r.order_line_id = l.id AND r.status = 'held'
                RETURNING r.order_line_id, r.order_id, r.warehouse_id, r.variant_id, r.cases,
                          l.cases AS line_cases
            ), taken AS (
                UPDATE {_T["lines"]} l SET allocated_cases = LEAST(h.line_cases, h.cases)
                FROM held h WHERE l.id = h.order_line_id
            ), ledger AS (
                INSERT INTO {_T["movements"]} (warehouse_id, variant_id, kind, cases,
                    on_hand_after, reserved_after, order_id, order_line_id, at)
                SELECT h.warehouse_id, h.variant_id, 'allocation', h.cases, b.on_hand,
                       b.reserved, h.order_id, h.order_line_id, now()
                FROM held h
                JOIN {_T["balances"]} b
                  ON b.warehouse_id = h.warehouse_id AND b.variant_id = h.variant_id
                ORDER BY h.warehouse_id, h.variant_id, h.order_line_id
            )
            SELECT order_line_id FROM held
            """,
            ids=order_ids,
        )
        return [row[0] for row in result.all()]

    async def shorten_unheld(self, order_ids: list[uuid.UUID]) -> int:
        """What a stocked line could not take from its hold (released before payment
        came, or smaller than the line) is shortened, never oversold: the line's
        shortened cases, the order's shortened value, `repository.order.line_shortened`."""
        result = await self._run(
            f"""
            WITH cut AS (
                SELECT l.id, l.order_id, l.variant_id, l.supplier_id, l.unit_price_fen,
                       l.cases - l.allocated_cases - l.shortened_cases AS cases
                FROM {_T["lines"]} l
                WHERE l.order_id = ANY(:ids) AND l.fulfilment = 'stocked'
                  AND l.allocated_cases + l.shortened_cases < l.cases
            ), lines AS (
                UPDATE {_T["lines"]} l SET shortened_cases = l.shortened_cases + c.cases
                FROM cut c WHERE l.id = c.id
            ), orders AS (
                UPDATE {_T["orders"]} o SET shortened_fen = o.shortened_fen + s.amount
                FROM (SELECT order_id, sum(cases * unit_price_fen) AS amount
                      FROM cut GROUP BY order_id) s
                WHERE o.id = s.order_id
                RETURNING o.id, o.region_id
            ), events AS (
                SELECT gen_random_uuid() AS event_id, c.*, o.region_id
                FROM cut c JOIN orders o ON o.id = c.order_id
            ), published AS (
                INSERT INTO {self.outbox} (event_id, event_type, region_id, payload)
                SELECT event_id, 'repository.order.line_shortened', region_id,
                    {
                event_payload_sql(
                    "event_id",
                    "'repository.order.line_shortened'",
                    "region_id",
                    '''jsonb_build_object('order_id', order_id, 'line_id', id,
                        'variant_id', variant_id, 'supplier_id', supplier_id,
                        'quantity_shortened', cases, 'amount_fen', cases * unit_price_fen)''',
                )
            }
                FROM events
            )
            SELECT count(*) FROM cut
            """,
            ids=order_ids,
        )
        return int(result.scalar_one())

    async def move_orders(
        self,
        where: str,
        *,
        from_status: str,
        to_status: str,
        action: str,
        event_type: str,
        reason: str,
        **params: Any,
    ) -> list[uuid.UUID]:
        """One step of the order machine for every order matching `where` (alias o) in
        `from_status`: locked in id order, moved, one order_transitions row and the
        default `repository.order.<status>` event each. Returns the orders moved."""
        result = await self._run(
            f"""
            WITH locked AS (
                SELECT o.id FROM {_T["orders"]} o
                WHERE o.status = :from_status AND ({where})
                ORDER BY o.id FOR UPDATE
            ), moved AS (
                UPDATE {_T["orders"]} o
                SET status = :to_status, version = o.version + 1, updated_at = now()
                FROM locked WHERE o.id = locked.id
                RETURNING o.id, o.buyer_org_id, o.region_id
            ), steps AS (
                INSERT INTO {_T["steps"]} (id, order_id, from_status, to_status, action,
                    actor_user_id, reason, at)
                SELECT gen_random_uuid(), id, CAST(:from_status AS text),
                       CAST(:to_status AS text), CAST(:action AS text), CAST(NULL AS uuid),
                       CAST(:reason AS text), now()
                FROM moved
            ), events AS (
                SELECT gen_random_uuid() AS event_id, * FROM moved
            ), published AS (
                INSERT INTO {self.outbox} (event_id, event_type, region_id, payload)
                SELECT event_id, CAST(:event_type AS text), region_id, {
                event_payload_sql(
                    "event_id",
                    "CAST(:event_type AS text)",
                    "region_id",
                    '''jsonb_build_object('order_id', id, 'buyer_org_id', buyer_org_id,
                        'region_id', region_id, 'from_status', CAST(:from_status AS text),
                        'to_status', CAST(:to_status AS text))''',
                )
            }
                FROM events
            )
            SELECT id FROM moved ORDER BY id
            """,
            from_status=from_status,
            to_status=to_status,
            action=action,
            event_type=event_type,
            reason=reason,
            **params,
        )
        return [row[0] for row in result.all()]

    async def stocked_only(self, order_ids: list[uuid.UUID]) -> list[uuid.UUID]:
        """Of these consolidated orders, those with nothing to buy from a supplier."""
        result = await self._run(
            f"""
            SELECT o.id FROM {_T["orders"]} o
            WHERE o.id = ANY(:ids) AND o.status = 'consolidated'
              AND NOT EXISTS (SELECT 1 FROM {_T["lines"]} l
                              WHERE l.order_id = o.id AND l.fulfilment <> 'stocked')
            ORDER BY o.id
            """,
            ids=order_ids,
        )
        return [row[0] for row in result.all()]

    # ---------------------------------------------------------------- suppliers

    async def suppliers_with_waiting_lines(
        self, region_id: uuid.UUID, window_date: date, supplier_ids: list[uuid.UUID]
    ) -> list[uuid.UUID]:
        result = await self._run(
            f"""
            SELECT DISTINCT l.supplier_id
            FROM {_T["lines"]} l JOIN {_T["orders"]} o ON o.id = l.order_id
            WHERE l.supplier_id = ANY(:suppliers) AND {_UNATTACHED}
            ORDER BY l.supplier_id
            """,
            suppliers=supplier_ids,
            region_id=region_id,
            window_date=window_date,
        )
        return [row[0] for row in result.all()]

    async def latest_purchase_orders(
        self, region_id: uuid.UUID, window_date: date, supplier_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[uuid.UUID, int, str]]:
        """Each supplier's purchase order of the window with the highest round
        (id, round, status); all of them locked, in id order."""
        result = await self._run(
            f"""
            SELECT id, supplier_id, round_no, status FROM {_T["pos"]}
            WHERE region_id = :region_id AND window_date = :window_date
              AND supplier_id = ANY(:suppliers)
            ORDER BY id FOR UPDATE
            """,
            suppliers=supplier_ids,
            region_id=region_id,
            window_date=window_date,
        )
        latest: dict[uuid.UUID, tuple[uuid.UUID, int, str]] = {}
        for po_id, supplier_id, round_no, status in result.all():
            if supplier_id not in latest or latest[supplier_id][1] < round_no:
                latest[supplier_id] = (po_id, round_no, status)
        return latest

    async def insert_purchase_orders(
        self, rows: list[dict[str, Any]]
    ) -> dict[uuid.UUID, uuid.UUID]:
        """New purchase orders (status sent) unless their (region, window, supplier,
        round) exists; supplier id -> the new purchase order's id."""
        if not rows:
            return {}
        result = await self.session.execute(
            insert(PurchaseOrder)
            .values(
                [
                    {**row, "id": new_id(), "status": "sent", "total_cost_fen": 0, "version": 1}
                    for row in rows
                ]
            )
            .on_conflict_do_nothing(
                index_elements=[
                    PurchaseOrder.region_id,
                    PurchaseOrder.window_date,
                    PurchaseOrder.supplier_id,
                    PurchaseOrder.round_no,
                ]
            )
            .returning(PurchaseOrder.supplier_id, PurchaseOrder.id)
        )
        return {supplier_id: po_id for supplier_id, po_id in result.all()}

    async def buy_waiting_lines(
        self,
        region_id: uuid.UUID,
        window_date: date,
        targets: dict[uuid.UUID, uuid.UUID],
    ) -> list[uuid.UUID]:
        """Sum the suppliers' waiting lines per variant into lines of their target
        purchase orders (inserted unless there), attach the order lines to them and
        recompute the purchase orders from what is attached. Returns the orders whose
        lines were attached now."""
        if not targets:
            return []
        suppliers = list(targets)
        params: dict[str, Any] = {
            "suppliers": suppliers,
            "pos": [targets[s] for s in suppliers],
            "region_id": region_id,
            "window_date": window_date,
        }
        target_sql = "unnest(:suppliers, :pos) AS t(supplier_id, po_id)"
        await self._run(
            f"""
            INSERT INTO {_T["po_lines"]} (id, purchase_order_id, variant_id, ordered_cases,
                accepted_cases, rejected_cases, unit_cost_fen)
            SELECT gen_random_uuid(), t.po_id, l.variant_id, sum(l.cases), 0, 0, 0
            FROM {_T["lines"]} l
            JOIN {_T["orders"]} o ON o.id = l.order_id
            JOIN {target_sql} ON t.supplier_id = l.supplier_id
            WHERE {_UNATTACHED}
            GROUP BY t.po_id, l.variant_id
            ON CONFLICT (purchase_order_id, variant_id) DO NOTHING
            """,
            **params,
        )
        touched = await self._run(
            f"""
            WITH attached AS (
                UPDATE {_T["lines"]} l SET purchase_order_line_id = pl.id
                FROM {_T["orders"]} o, {target_sql}, {_T["po_lines"]} pl
                WHERE o.id = l.order_id AND {_UNATTACHED}
                  AND t.supplier_id = l.supplier_id
                  AND pl.purchase_order_id = t.po_id AND pl.variant_id = l.variant_id
                RETURNING l.order_id
            )
            SELECT DISTINCT order_id FROM attached ORDER BY order_id
            """,
            **params,
        )
        order_ids = [row[0] for row in touched.all()]
        await self.recount(params["pos"])
        return order_ids

    async def recount(self, purchase_order_ids: list[uuid.UUID]) -> None:
        """Ordered cases and unit cost per line, total and expected arrival per purchase
        order, all from the attached order lines (see `recount_purchase_order`)."""
        await self._run(
            f"""
            WITH attached AS (
                SELECT l.purchase_order_line_id AS po_line_id, pl.purchase_order_id,
                       l.cases, l.amount_fen, f.lead_time_days
                FROM {_T["lines"]} l
                JOIN {_T["po_lines"]} pl ON pl.id = l.purchase_order_line_id
                LEFT JOIN {_T["offers"]} f ON f.id = l.offer_id
                WHERE pl.purchase_order_id = ANY(:pos)
            ), per_line AS (
                UPDATE {_T["po_lines"]} pl
                SET ordered_cases = a.cases, unit_cost_fen = div(a.amount, a.cases)
                FROM (SELECT po_line_id, sum(cases) AS cases, sum(amount_fen) AS amount
                      FROM attached GROUP BY po_line_id) a
                WHERE pl.id = a.po_line_id
            )
            UPDATE {_T["pos"]} po
            SET total_cost_fen = a.total, updated_at = now(),
                expected_arrival = po.window_date + a.lead_days
            FROM (SELECT purchase_order_id, coalesce(sum(amount_fen), 0) AS total,
                         coalesce(max(lead_time_days), 0) AS lead_days
                  FROM attached GROUP BY purchase_order_id) a
            WHERE po.id = a.purchase_order_id
            """,
            pos=purchase_order_ids,
        )

    async def announce_sent(self, purchase_order_ids: list[uuid.UUID], reason: str) -> None:
        """The `send` step of new purchase orders: a transition row and
        `repository.purchase_order.sent` each (the lifecycle.record payload)."""
        if not purchase_order_ids:
            return
        data = """jsonb_build_object('purchase_order_id', id, 'number', number,
            'supplier_id', supplier_id, 'region_id', region_id, 'window_date', window_date,
            'round_no', round_no, 'from_status', NULL, 'status', status, 'action', 'send',
            'reason', CAST(:reason AS text), 'total_cost_fen', total_cost_fen,
            'expected_arrival', expected_arrival)"""
        await self._run(
            f"""
            WITH sent AS (
                SELECT gen_random_uuid() AS event_id, * FROM {_T["pos"]} WHERE id = ANY(:pos)
            ), steps AS (
                INSERT INTO {_T["po_steps"]} (id, purchase_order_id, from_status, to_status,
                    action, actor_user_id, reason, at)
                SELECT gen_random_uuid(), id, NULL, status, 'send', CAST(NULL AS uuid),
                       CAST(:reason AS text), now()
                FROM sent
            )
            INSERT INTO {self.outbox} (event_id, event_type, region_id, payload)
            SELECT event_id, 'repository.purchase_order.' || status, region_id,
                {event_payload_sql("event_id", "'repository.purchase_order.' || status", "region_id", data)}
            FROM sent
            """,
            pos=purchase_order_ids,
            reason=reason,
        )


class PurchasingRepository:
    """Consolidation runs, purchase orders, their lines and the lines waiting for goods. Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *objects: object) -> None:
        self.session.add_all(objects)
        await self.session.flush()

    async def ensure_run(self, region_id: uuid.UUID, window_date: date) -> ConsolidationRun:
        """The window's run row, created queued if it is new, locked."""
        await self.session.execute(
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
            )
            .on_conflict_do_nothing(
                index_elements=[ConsolidationRun.region_id, ConsolidationRun.window_date]
            )
        )
        run = await self.session.get(
            ConsolidationRun, (region_id, window_date), populate_existing=True, with_for_update=True
        )
        assert run is not None
        return run

    async def advance_run(self, region_id: uuid.UUID, window_date: date, **values: Any) -> None:
        """Progress of the window's run: `orders_done=+n` style increments or plain values."""
        changes: dict[str, Any] = {}
        for name, value in values.items():
            column = getattr(ConsolidationRun, name)
            changes[name] = column + value[1] if isinstance(value, tuple) else value
        await self.session.execute(
            update(ConsolidationRun)
            .where(
                ConsolidationRun.region_id == region_id, ConsolidationRun.window_date == window_date
            )
            .values(**changes, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )

    async def get_run(
        self, region_id: uuid.UUID, window_date: date, *, lock: bool = False
    ) -> ConsolidationRun | None:
        return await self.session.get(
            ConsolidationRun,
            (region_id, window_date),
            with_for_update=lock or None,
            populate_existing=lock,
        )

    async def due_windows(self, now: datetime, horizon: timedelta) -> list[tuple[uuid.UUID, date]]:
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
        rows = await self.session.execute(confirmed.union(unfinished))
        return sorted((row[0], row[1]) for row in rows.all())

    async def window_cutoff(self, region_id: uuid.UUID, window_date: date) -> datetime | None:
        """The first instant some of the window closed (every order carries its cut-off:
        the operator may close a route early, or move the region's cut-off later)."""
        return await self.session.scalar(
            select(func.min(Order.cutoff_at)).where(
                Order.region_id == region_id, Order.window_date == window_date
            )
        )

    async def window_counts(self, region_id: uuid.UUID, window_date: date) -> tuple[int, int, int]:
        """(orders consolidated, their lines, purchase orders) of the window, counted afresh."""
        orders, lines = (
            await self.session.execute(
                select(func.count(func.distinct(Order.id)), func.count(OrderLine.id))
                .join(OrderLine, OrderLine.order_id == Order.id)
                .where(
                    Order.region_id == region_id,
                    Order.window_date == window_date,
                    Order.status.not_in(("placed", "confirmed", "cancelled")),
                )
            )
        ).one()
        purchase_orders = await self.session.scalar(
            select(func.count(PurchaseOrder.id)).where(
                PurchaseOrder.region_id == region_id, PurchaseOrder.window_date == window_date
            )
        )
        return int(orders), int(lines), int(purchase_orders or 0)

    async def confirmed_order_ids(
        self, region_id: uuid.UUID, window_date: date, now: datetime | None = None
    ) -> list[uuid.UUID]:
        """The window's confirmed orders whose own cut-off has passed."""
        rows = await self.session.scalars(
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
        self, region_id: uuid.UUID, window_date: date, reason: str
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
        return list((await self.session.scalars(stmt)).all())

    async def orders_for_update(
        self, order_ids: list[uuid.UUID], status: str | None = None
    ) -> list[Order]:
        """Lock the orders (in id order, so two writers cannot deadlock), optionally by status."""
        if not order_ids:
            return []
        stmt = select(Order).where(Order.id.in_(order_ids)).order_by(Order.id).with_for_update()
        if status is not None:
            stmt = stmt.where(Order.status == status)
        return list(
            (await self.session.scalars(stmt.execution_options(populate_existing=True))).all()
        )

    async def lines_of_orders(self, order_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[OrderLine]]:
        result: dict[uuid.UUID, list[OrderLine]] = {order_id: [] for order_id in order_ids}
        if not order_ids:
            return result
        rows = await self.session.scalars(
            select(OrderLine)
            .where(OrderLine.order_id.in_(order_ids))
            .order_by(OrderLine.order_id, OrderLine.line_no)
            .execution_options(populate_existing=True)
        )
        for line in rows:
            result[line.order_id].append(line)
        return result

    async def load_reservations(self, order_ids: list[uuid.UUID]) -> list[Reservation]:
        """Read the orders' reservations in one query: while the caller keeps the list,
        inventory finds each by its key in the session instead of asking line by line."""
        if not order_ids:
            return []
        rows = await self.session.scalars(
            select(Reservation).where(Reservation.order_id.in_(order_ids))
        )
        return list(rows.all())

    async def suppliers_waiting(self, region_id: uuid.UUID, window_date: date) -> list[uuid.UUID]:
        """Suppliers with to-order lines of consolidated orders not yet on a purchase order."""
        rows = await self.session.scalars(
            select(OrderLine.supplier_id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(*_unattached(region_id, window_date))
            .distinct()
            .order_by(OrderLine.supplier_id)
        )
        return list(rows)

    async def unattached_lines_of_supplier(
        self, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
    ) -> list[OrderLine]:
        rows = await self.session.scalars(
            select(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .where(*_unattached(region_id, window_date), OrderLine.supplier_id == supplier_id)
            .order_by(OrderLine.order_id, OrderLine.line_no)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def orders_with_every_line_on_a_purchase_order(
        self,
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
        return list(await self.session.scalars(stmt.order_by(Order.id)))

    async def county_warehouse_id(self, region_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(
            select(Warehouse.id)
            .where(Warehouse.region_id == region_id, Warehouse.is_county_warehouse.is_(True))
            .order_by(Warehouse.created_at, Warehouse.id)
            .limit(1)
        )

    async def insert_purchase_order(
        self,
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
        created = await self.session.scalar(
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
        self, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
    ) -> PurchaseOrder | None:
        """The supplier's purchase order of the window with the highest round, locked."""
        return await self.session.scalar(
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
        self, region_id: uuid.UUID, window_date: date, supplier_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, int]]:
        rows = await self.session.execute(
            select(OrderLine.variant_id, func.sum(OrderLine.cases))
            .join(Order, Order.id == OrderLine.order_id)
            .where(*_unattached(region_id, window_date), OrderLine.supplier_id == supplier_id)
            .group_by(OrderLine.variant_id)
            .order_by(OrderLine.variant_id)
        )
        return [(variant_id, int(cases)) for variant_id, cases in rows.all()]

    async def ensure_purchase_order_lines(
        self,
        purchase_order_id: uuid.UUID,
        cases_by_variant: list[tuple[uuid.UUID, int]],
    ) -> None:
        """One line per variant; quantities are placeholders until `recount_purchase_order`."""
        if not cases_by_variant:
            return
        await self.session.execute(
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
        self,
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
        rows = await self.session.execute(
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

    async def recount_purchase_order(self, purchase_order: PurchaseOrder) -> None:
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
        await self.session.execute(
            update(PurchaseOrderLine)
            .where(PurchaseOrderLine.id == attached.c.po_line_id)
            .values(
                ordered_cases=attached.c.cases,
                unit_cost_fen=func.div(attached.c.amount, attached.c.cases),
            )
            .execution_options(synchronize_session=False)
        )
        total, lead_days = (
            await self.session.execute(
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
        purchase_order.expected_arrival = purchase_order.window_date + timedelta(
            days=int(lead_days)
        )

    async def value_still_expected(self, purchase_order_id: uuid.UUID) -> int:
        """What the supplier will be paid for the purchase order now: the attached order
        lines' cases that were not shortened, at the prices they were ordered at."""
        total = await self.session.scalar(
            select(
                func.coalesce(
                    func.sum(
                        (OrderLine.cases - OrderLine.shortened_cases) * OrderLine.unit_price_fen
                    ),
                    0,
                )
            )
            .select_from(OrderLine)
            .join(PurchaseOrderLine, PurchaseOrderLine.id == OrderLine.purchase_order_line_id)
            .where(PurchaseOrderLine.purchase_order_id == purchase_order_id)
        )
        return int(total or 0)

    async def get_purchase_order(
        self, purchase_order_id: uuid.UUID, *, lock: bool = False
    ) -> PurchaseOrder | None:
        return await self.session.get(
            PurchaseOrder, purchase_order_id, with_for_update=lock or None, populate_existing=lock
        )

    async def lines_of(self, purchase_order_id: uuid.UUID) -> list[PurchaseOrderLine]:
        rows = await self.session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.purchase_order_id == purchase_order_id)
            .order_by(PurchaseOrderLine.variant_id)
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def lines_of_many(
        self, purchase_order_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, list[PurchaseOrderLine]]:
        result: dict[uuid.UUID, list[PurchaseOrderLine]] = {i: [] for i in purchase_order_ids}
        if not purchase_order_ids:
            return result
        rows = await self.session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.purchase_order_id.in_(purchase_order_ids))
            .order_by(PurchaseOrderLine.purchase_order_id, PurchaseOrderLine.variant_id)
        )
        for line in rows:
            result[line.purchase_order_id].append(line)
        return result

    async def variants_by_id(self, variant_ids: set[uuid.UUID]) -> dict[uuid.UUID, CatalogVariant]:
        if not variant_ids:
            return {}
        rows = await self.session.scalars(
            select(CatalogVariant).where(CatalogVariant.variant_id.in_(variant_ids))
        )
        return {v.variant_id: v for v in rows}

    async def waiting_lines(self, po_line_ids: list[uuid.UUID]) -> list[tuple[OrderLine, datetime]]:
        """Order lines on these PO lines still expecting cases, with their order time."""
        if not po_line_ids:
            return []
        rows = await self.session.execute(
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

    async def unsettled_order_ids(self, order_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        """Of these orders, those with a line still expecting cases."""
        if not order_ids:
            return set()
        rows = await self.session.scalars(
            select(OrderLine.order_id)
            .where(
                OrderLine.order_id.in_(order_ids),
                OrderLine.allocated_cases + OrderLine.shortened_cases < OrderLine.cases,
            )
            .distinct()
        )
        return set(rows)
