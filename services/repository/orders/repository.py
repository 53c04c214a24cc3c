"""All SQL for carts, bulk orders, their lines and transitions."""

from __future__ import annotations

import uuid
from collections import namedtuple
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CursorResult,
    Select,
    delete,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from services.repository.directory.models import CatalogVariant, KnownSupplier, Region
from services.repository.offers.models import Offer
from services.repository.orders.models import (
    CartLine,
    Order,
    OrderLine,
    OrderTransition,
    PlacedLine,
    WindowClosure,
)
from services.repository.purchasing.models import ConsolidationRun
from shared.db import DriverSQL

# ------------------------------------------------------------------ orders


def _table(model: Any) -> str:
    return str(model.__table__.fullname)


def _sql_type(column: Any) -> str:
    return str(column.type.compile(dialect=postgresql.dialect()))


# Placement's statements, written once as SQL and run on the session's driver connection
# (shared.db.DriverSQL): SQLAlchemy's execution path costs about 0.2-0.3 ms of Python per
# statement, asyncpg's a fraction of it, and asyncpg prepares each text once per connection.
OfferRow = namedtuple(
    "OfferRow",
    "id region_id supplier_id variant_id case_pack min_order_cases multiple_cases price_tiers"
    " open_regions buyer_kinds fulfilment lead_time_days status organisation_status"
    " supplier_status catalog_variant_id product_name variant_name listed channels",
)
OFFERS_FOR_ORDERING = f"""
    SELECT o.id, o.region_id, o.supplier_id, o.variant_id, o.case_pack, o.min_order_cases,
           o.multiple_cases, o.price_tiers, o.open_regions, o.buyer_kinds, o.fulfilment,
           o.lead_time_days, o.status, s.organisation_status, s.supplier_status,
           v.variant_id AS catalog_variant_id, v.product_name, v.variant_name, v.listed,
           v.channels
    FROM {_table(Offer)} o
    LEFT JOIN {_table(KnownSupplier)} s ON s.org_id = o.supplier_id
    LEFT JOIN {_table(CatalogVariant)} v ON v.variant_id = o.variant_id
    WHERE o.id = ANY($1::uuid[])
    """
WINDOW_CLOSED_EARLY = f"""
    SELECT EXISTS (
        SELECT 1 FROM {_table(WindowClosure)}
        WHERE region_id = $1 AND window_date = $2
          AND (route_id IS NULL OR route_id = $3::uuid)
    )
    """
NEXT_ORDER_SERIAL = f"SELECT nextval(pg_get_serial_sequence('{_table(Order)}', 'serial'))"
ORDER_COLUMNS = tuple(column.key for column in Order.__table__.columns)
TRANSITION_COLUMNS = tuple(column.key for column in OrderTransition.__table__.columns)
LINE_COLUMNS = tuple(PlacedLine.__dataclass_fields__)


def _insert_one(model: Any, columns: tuple[str, ...]) -> str:
    values = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    return f"INSERT INTO {_table(model)} ({', '.join(columns)}) VALUES ({values})"


def _insert_unnest(model: Any, columns: tuple[str, ...]) -> str:
    """Many rows in one statement whose text does not depend on their number (an array
    per column), so that it is prepared once."""
    table = model.__table__
    arrays = ", ".join(
        f"${n}::{_sql_type(table.c[name])}[]" for n, name in enumerate(columns, start=1)
    )
    return f"INSERT INTO {_table(model)} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"


INSERT_ORDER = _insert_one(Order, ORDER_COLUMNS)
INSERT_TRANSITION = _insert_one(OrderTransition, TRANSITION_COLUMNS)
INSERT_LINES = _insert_unnest(OrderLine, LINE_COLUMNS)


def orders_query(
    *,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    status: str | None,
    window_date: date | None,
) -> Select[Any]:
    stmt = select(Order)
    if region_id is not None:
        stmt = stmt.where(Order.region_id == region_id)
    if buyer_org_id is not None:
        stmt = stmt.where(Order.buyer_org_id == buyer_org_id)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    if window_date is not None:
        stmt = stmt.where(Order.window_date == window_date)
    return stmt


# ------------------------------------------------------------------ cart


# ------------------------------------------------------------------ what orders are made of


# ------------------------------------------------------------------ windows


class OrderRepository:
    """Carts, orders, their lines and transitions, windows and closures. Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.driver = DriverSQL(session)

    async def add(self, *objects: object) -> None:
        self.session.add_all(objects)
        await self.session.flush()

    async def insert_placed(self, order: Order, first_step: OrderTransition) -> None:
        """A new order and its first transition as two INSERTs of their every column (no
        unit-of-work flush: it costs more Python than the rest of the placement's writes);
        the order is then in the session as if just loaded, so a later change of it in the
        request (a cash-on-delivery confirmation) is an UPDATE as usual."""
        await self.driver.execute(INSERT_ORDER, *[getattr(order, c) for c in ORDER_COLUMNS])
        await self.driver.execute(
            INSERT_TRANSITION, *[getattr(first_step, c) for c in TRANSITION_COLUMNS]
        )
        make_transient_to_detached(order)
        self.session.add(order)

    async def insert_lines(self, lines: Sequence[PlacedLine]) -> None:
        """An order's lines in one INSERT (no ORM object per line)."""
        if lines:
            await self.driver.execute(
                INSERT_LINES, *[[getattr(line, c) for line in lines] for c in LINE_COLUMNS]
            )

    async def get_order(self, order_id: uuid.UUID) -> Order | None:
        return await self.session.get(Order, order_id)

    async def order_for_update(self, order_id: uuid.UUID) -> Order | None:
        """The order row locked, so concurrent events and requests change it one at a time."""
        return await self.session.scalar(
            select(Order)
            .where(Order.id == order_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def lines_of(self, order_id: uuid.UUID) -> list[OrderLine]:
        result = await self.session.scalars(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
        )
        return list(result)

    async def lines_of_orders(
        self, order_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[OrderLine]]:
        by_order: dict[uuid.UUID, list[OrderLine]] = {order_id: [] for order_id in order_ids}
        if not order_ids:
            return by_order
        result = await self.session.scalars(
            select(OrderLine)
            .where(OrderLine.order_id.in_(order_ids))
            .order_by(OrderLine.order_id, OrderLine.line_no)
        )
        for line in result:
            by_order[line.order_id].append(line)
        return by_order

    async def transitions_of(self, order_id: uuid.UUID) -> list[OrderTransition]:
        result = await self.session.scalars(
            select(OrderTransition)
            .where(OrderTransition.order_id == order_id)
            .order_by(OrderTransition.at, OrderTransition.id)
        )
        return list(result)

    async def variants(self, variant_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CatalogVariant]:
        if not variant_ids:
            return {}
        result = await self.session.scalars(
            select(CatalogVariant).where(CatalogVariant.variant_id.in_(set(variant_ids)))
        )
        return {v.variant_id: v for v in result}

    async def next_order_serial(self) -> int:
        """The next order serial (a sequence: never handed out twice, never blocks)."""
        return int(await self.driver.fetchval(NEXT_ORDER_SERIAL))

    async def unpaid_orders_expired(self, now: datetime, limit: int) -> list[Order]:
        """Placed orders whose hold on stock ran out, locked (others skip them)."""
        result = await self.session.scalars(
            select(Order)
            .where(
                Order.status == "placed",
                Order.reserved_until.is_not(None),
                Order.reserved_until < now,
            )
            .order_by(Order.reserved_until)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(result)

    async def count_parcel(self, order_id: uuid.UUID, parcel_id: uuid.UUID | None) -> Order | None:
        """One more parcel of the order arrived (a parcel reported again counts once); the
        order row comes back locked and fresh."""
        stmt = update(Order).where(Order.id == order_id)
        if parcel_id is None:
            stmt = stmt.values(parcels_delivered=Order.parcels_delivered + 1)
        else:
            stmt = stmt.where(~Order.delivered_parcel_ids.any(literal(parcel_id))).values(
                parcels_delivered=Order.parcels_delivered + 1,
                delivered_parcel_ids=func.array_append(Order.delivered_parcel_ids, parcel_id),
            )
        await self.session.execute(stmt.execution_options(synchronize_session=False))
        return await self.order_for_update(order_id)

    async def cart_lines(self, buyer_org_id: uuid.UUID) -> list[CartLine]:
        result = await self.session.scalars(
            select(CartLine)
            .where(CartLine.buyer_org_id == buyer_org_id)
            .order_by(CartLine.created_at, CartLine.offer_id)
        )
        return list(result)

    async def put_cart_line(self, buyer_org_id: uuid.UUID, offer_id: uuid.UUID, cases: int) -> None:
        stmt = insert(CartLine).values(buyer_org_id=buyer_org_id, offer_id=offer_id, cases=cases)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[CartLine.buyer_org_id, CartLine.offer_id],
                set_={"cases": stmt.excluded.cases, "updated_at": func.now()},
            )
        )

    async def delete_cart_line(self, buyer_org_id: uuid.UUID, offer_id: uuid.UUID) -> int:
        result: CursorResult[Any] = await self.session.execute(  # type: ignore[assignment]
            delete(CartLine).where(
                CartLine.buyer_org_id == buyer_org_id, CartLine.offer_id == offer_id
            )
        )
        return result.rowcount or 0

    async def empty_cart(self, buyer_org_id: uuid.UUID) -> None:
        await self.session.execute(delete(CartLine).where(CartLine.buyer_org_id == buyer_org_id))

    async def offers_for_ordering(
        self, offer_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, OfferRow]:
        """Each offer with what ordering needs of its supplier and catalog variant (either
        may be unknown yet: then their columns are None), as plain rows."""
        if not offer_ids:
            return {}
        rows = await self.driver.fetch(OFFERS_FOR_ORDERING, list(offer_ids))
        return {row[0]: OfferRow(*row) for row in rows}

    async def orders_due_to_close(self, now: datetime, limit: int) -> list[Order]:
        """Delivered orders past their region's close-after hours, locked (others skip them)."""
        result = await self.session.scalars(
            select(Order)
            .join(Region, Region.id == Order.region_id)
            .where(
                Order.status == "delivered",
                Order.delivered_at.is_not(None),
                Order.delivered_at + func.make_interval(0, 0, 0, 0, Region.close_after_hours) < now,
            )
            .order_by(Order.delivered_at)
            .limit(limit)
            .with_for_update(of=Order, skip_locked=True)
        )
        return list(result)

    async def window_consolidated(self, region_id: uuid.UUID, window_date: date) -> bool:
        """Has a consolidation of the window started (its purchase orders may be out)?"""
        return bool(
            await self.session.scalar(
                select(
                    exists().where(
                        ConsolidationRun.region_id == region_id,
                        ConsolidationRun.window_date == window_date,
                    )
                )
            )
        )

    async def lead_time_of(self, order_id: uuid.UUID) -> int:
        """The longest lead time among the order's to-order offers (0 when all stocked)."""
        return int(
            await self.session.scalar(
                select(func.coalesce(func.max(Offer.lead_time_days), 0))
                .select_from(OrderLine)
                .join(Offer, Offer.id == OrderLine.offer_id)
                .where(OrderLine.order_id == order_id, OrderLine.fulfilment == "to_order")
            )
            or 0
        )

    async def window_closed_early(
        self, region_id: uuid.UUID, window_date: date, route_id: uuid.UUID | None
    ) -> bool:
        """Did the operator close this window now, for the region or for this route?"""
        return bool(
            await self.driver.fetchval(WINDOW_CLOSED_EARLY, region_id, window_date, route_id)
        )

    async def closure(
        self, region_id: uuid.UUID, window_date: date, route_id: uuid.UUID | None
    ) -> WindowClosure | None:
        route_rule = (
            WindowClosure.route_id.is_(None)
            if route_id is None
            else WindowClosure.route_id == route_id
        )
        return await self.session.scalar(
            select(WindowClosure).where(
                WindowClosure.region_id == region_id,
                WindowClosure.window_date == window_date,
                route_rule,
            )
        )

    async def bring_cutoff_forward(
        self,
        region_id: uuid.UUID,
        window_date: date,
        route_id: uuid.UUID | None,
        closed_at: datetime,
    ) -> int:
        """The window's orders (of the route, if given) close at `closed_at`."""
        stmt = (
            update(Order)
            .where(
                Order.region_id == region_id,
                Order.window_date == window_date,
                Order.cutoff_at > closed_at,
            )
            .values(cutoff_at=closed_at)
            .execution_options(synchronize_session=False)
        )
        if route_id is not None:
            stmt = stmt.where(Order.route_id == route_id)
        result = await self.session.execute(stmt)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
