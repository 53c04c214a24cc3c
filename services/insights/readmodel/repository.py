"""SQL of the read model (never commits)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, literal_column, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.db import kernel
from services.insights.readmodel.models import (
    DeliveriesByMonth,
    HouseholdLink,
    Order,
    OrderAdjustment,
    OrderLine,
    Organisation,
    Parcel,
    Product,
    Region,
    Run,
    SalesByStation,
    SalesByVariant,
    StreamSaleLine,
    StreamSalesByMonth,
    StreamSession,
    Supplier,
    Variant,
)
from services.insights.readmodel.rules import NIL, WITHIN_HOURS, Deltas

READ_MODEL_TABLES: list[Table] = [
    m.__table__  # type: ignore[misc]
    for m in (
        Region,
        Organisation,
        Supplier,
        HouseholdLink,
        Product,
        Variant,
        Order,
        OrderLine,
        OrderAdjustment,
        SalesByVariant,
        SalesByStation,
        Parcel,
        DeliveriesByMonth,
        Run,
        StreamSession,
        StreamSaleLine,
        StreamSalesByMonth,
    )
]

ROLLUPS: list[Table] = [
    m.__table__  # type: ignore[misc]
    for m in (SalesByVariant, SalesByStation, DeliveriesByMonth, StreamSalesByMonth)
]

# The roll-ups from the facts, set-based: what the handlers' deltas add up to.
RECOMPUTE_SQL = [
    """
    INSERT INTO insights.sales_by_variant (region_id, month, variant_id, supplier_id,
                                           amount_fen, lines)
    SELECT o.region_id, o.month, l.variant_id, min(l.supplier_id::text)::uuid,
           sum(l.amount_fen - coalesce(a.fen, 0)), count(*)
    FROM insights.orders o
    JOIN insights.order_lines l ON l.order_id = o.order_id
    LEFT JOIN (SELECT line_id, sum(amount_fen) AS fen FROM insights.order_adjustments
               GROUP BY line_id) a ON a.line_id = l.line_id
    WHERE o.placed_at IS NOT NULL AND o.cancelled_at IS NULL AND o.region_id = :region
    GROUP BY o.region_id, o.month, l.variant_id
    """,
    """
    INSERT INTO insights.sales_by_station (region_id, month, buyer_org_id, amount_fen, orders)
    SELECT o.region_id, o.month, o.buyer_org_id,
           sum(l.amount_fen - coalesce(a.fen, 0)), count(DISTINCT o.order_id)
    FROM insights.orders o
    JOIN insights.order_lines l ON l.order_id = o.order_id
    LEFT JOIN (SELECT line_id, sum(amount_fen) AS fen FROM insights.order_adjustments
               GROUP BY line_id) a ON a.line_id = l.line_id
    WHERE o.placed_at IS NOT NULL AND o.cancelled_at IS NULL AND o.region_id = :region
    GROUP BY o.region_id, o.month, o.buyer_org_id
    """,
    f"""
    INSERT INTO insights.deliveries_by_month (region_id, month, township, carrier,
                                              delivered, timed, within)
    SELECT region_id, month, coalesce(township, ''), coalesce(carrier, ''), count(*),
           count(dispatched_at),
           count(*) FILTER (WHERE delivered_at - dispatched_at <= interval '{WITHIN_HOURS} hours')
    FROM insights.parcels WHERE region_id = :region GROUP BY 1, 2, 3, 4
    """,
    f"""
    INSERT INTO insights.stream_sales_by_month (region_id, month, supplier_id, product_id,
                                                gmv_fen, lines)
    SELECT region_id, month, coalesce(supplier_id, '{NIL}'), coalesce(product_id, '{NIL}'),
           sum(net_fen), count(*)
    FROM insights.stream_sale_lines WHERE region_id = :region GROUP BY 1, 2, 3, 4
    """,
    "UPDATE insights.stream_sessions SET gmv_fen = 0 WHERE region_id = :region",
    """
    INSERT INTO insights.stream_sessions (session_id, region_id, month, gmv_fen)
    SELECT session_id, min(region_id::text)::uuid, min(month), sum(net_fen)
    FROM insights.stream_sale_lines WHERE session_id IS NOT NULL AND region_id = :region
    GROUP BY session_id
    ON CONFLICT (session_id) DO UPDATE SET gmv_fen = excluded.gmv_fen
    """,
]


def _chunks(rows: list[dict[str, Any]], size: int = 4000) -> list[list[dict[str, Any]]]:
    """At most `size` rows per statement (PostgreSQL takes 32767 parameters)."""
    return [rows[i : i + size] for i in range(0, len(rows), size)]


class ReadModelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def execute(self, stmt: Any) -> Any:
        return await self.session.execute(stmt)

    # ---------------------------------------------------------------- reference data

    async def timezone_of(self, region_id: uuid.UUID | None) -> str | None:
        if region_id is None:
            return None
        # one look-up per region and transaction (a batch handles hundreds of events)
        cache = self.session.info.setdefault("insights_timezones", {})
        if region_id not in cache:
            cache[region_id] = await self.session.scalar(
                select(Region.timezone).where(Region.region_id == region_id)
            )
        return cache[region_id]

    async def upsert_region(self, region_id: uuid.UUID, name: str | None, tz: str | None) -> None:
        stmt = insert(Region).values(region_id=region_id, name=name, timezone=tz or "Asia/Shanghai")
        values: dict[str, Any] = {"name": func.coalesce(stmt.excluded.name, Region.name)}
        if tz:
            values["timezone"] = stmt.excluded.timezone
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["region_id"], set_=values)
        )

    async def upsert_organisation(self, values: dict[str, Any]) -> None:
        stmt = insert(Organisation).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["org_id"],
                set_={k: stmt.excluded[k] for k in values if k != "org_id"},
            )
        )

    async def station_township(
        self, org_id: uuid.UUID, region_id: uuid.UUID, township: str
    ) -> None:
        stmt = insert(Organisation).values(org_id=org_id, region_id=region_id, township=township)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["org_id"], set_={"township": township})
        )

    async def upsert_newer(self, model: Any, key: str, values: dict[str, Any]) -> None:
        """Insert, or overwrite with these values only if the event is not older (as_of)."""
        table = model.__table__
        stmt = insert(model).values(**values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[key],
                set_={k: stmt.excluded[k] for k in values if k != key},
                where=func.coalesce(table.c.as_of, stmt.excluded.as_of) <= stmt.excluded.as_of,
            )
        )

    async def household_link(self, values: dict[str, Any]) -> None:
        stmt = insert(HouseholdLink).values(**values)
        table = HouseholdLink.__table__
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["link_id"],
                set_={
                    "started_on": func.coalesce(table.c.started_on, stmt.excluded.started_on),
                    "ended_on": func.coalesce(stmt.excluded.ended_on, table.c.ended_on),
                },
            )
        )

    async def first_published(self, product_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(Product)
            .where(Product.product_id == product_id)
            .values(
                first_published_at=func.least(func.coalesce(Product.first_published_at, at), at)
            )
        )

    async def upsert_variants(self, product_id: uuid.UUID, variant_ids: list[uuid.UUID]) -> None:
        if not variant_ids:
            return
        stmt = insert(Variant).values(
            [{"variant_id": v, "product_id": product_id} for v in variant_ids]
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["variant_id"], set_={"product_id": stmt.excluded.product_id}
            )
        )

    # ---------------------------------------------------------------- orders

    async def upsert_order(self, order_id: uuid.UUID, **values: Any) -> Any:
        """Insert or fill in the order; the row stays locked for the rest of the transaction,
        so two events of one order are handled one after the other."""
        stmt = insert(Order).values(order_id=order_id, **values)
        set_: dict[str, Any] = {
            k: func.coalesce(Order.__table__.c[k], stmt.excluded[k]) for k in values
        }
        if not set_:
            set_ = {"order_id": stmt.excluded.order_id}
        row: Any = (
            await self.session.execute(
                stmt.on_conflict_do_update(index_elements=["order_id"], set_=set_).returning(
                    Order.region_id,
                    Order.month,
                    Order.buyer_org_id,
                    Order.placed_at,
                    Order.cancelled_at,
                    literal_column("xmax = 0").label("created"),
                )
            )
        ).one()
        return row

    async def add_lines(self, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
        if not rows:
            return []
        result = await self.session.execute(
            insert(OrderLine).values(rows).on_conflict_do_nothing().returning(OrderLine.line_id)
        )
        return list(result.scalars())

    async def adjustments_of(self, order_id: uuid.UUID) -> dict[uuid.UUID, int]:
        rows = await self.session.execute(
            select(OrderAdjustment.line_id, func.sum(OrderAdjustment.amount_fen))
            .where(OrderAdjustment.order_id == order_id)
            .group_by(OrderAdjustment.line_id)
        )
        return {line_id: int(total) for line_id, total in rows}

    async def add_adjustment(
        self, event_id: uuid.UUID, order_id: uuid.UUID, line_id: uuid.UUID, amount_fen: int
    ) -> bool:
        result = await self.session.execute(
            insert(OrderAdjustment)
            .values(event_id=event_id, order_id=order_id, line_id=line_id, amount_fen=amount_fen)
            .on_conflict_do_nothing()
            .returning(OrderAdjustment.event_id)
        )
        return result.first() is not None

    async def lines_of(self, order_id: uuid.UUID) -> list[OrderLine]:
        return list(
            (await self.session.execute(select(OrderLine).where(OrderLine.order_id == order_id)))
            .scalars()
            .all()
        )

    async def line(self, line_id: uuid.UUID) -> OrderLine | None:
        return await self.session.get(OrderLine, line_id)

    async def cancel_order(self, order_id: uuid.UUID, at: datetime) -> bool:
        """Mark cancelled; True only the first time."""
        stmt = insert(Order).values(order_id=order_id, cancelled_at=at)
        row = (
            await self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["order_id"],
                    set_={"cancelled_at": at},
                    where=Order.__table__.c.cancelled_at.is_(None),
                ).returning(Order.order_id)
            )
        ).first()
        return row is not None

    async def flush_deltas(self, deltas: Deltas) -> None:
        if deltas.variants:
            rows = [
                {
                    "region_id": r,
                    "month": m,
                    "variant_id": v,
                    "supplier_id": s,
                    "amount_fen": amount,
                    "lines": lines,
                }
                for (r, m, v, s), (amount, lines) in sorted(deltas.variants.items(), key=str)
            ]
            table = SalesByVariant.__table__
            for chunk in _chunks(rows):
                stmt = insert(SalesByVariant).values(chunk)
                await self.session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["region_id", "month", "variant_id"],
                        set_={
                            "amount_fen": table.c.amount_fen + stmt.excluded.amount_fen,
                            "lines": table.c.lines + stmt.excluded.lines,
                        },
                    )
                )
        if deltas.stations:
            rows = [
                {"region_id": r, "month": m, "buyer_org_id": b, "amount_fen": amount, "orders": n}
                for (r, m, b), (amount, n) in sorted(deltas.stations.items(), key=str)
            ]
            table = SalesByStation.__table__
            for chunk in _chunks(rows):
                stmt = insert(SalesByStation).values(chunk)
                await self.session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["region_id", "month", "buyer_org_id"],
                        set_={
                            "amount_fen": table.c.amount_fen + stmt.excluded.amount_fen,
                            "orders": table.c.orders + stmt.excluded.orders,
                        },
                    )
                )
        if deltas.deliveries:
            rows = [
                {
                    "region_id": r,
                    "month": m,
                    "township": t,
                    "carrier": c,
                    "delivered": n,
                    "timed": timed,
                    "within": within,
                }
                for (r, m, t, c), (n, timed, within) in sorted(deltas.deliveries.items(), key=str)
            ]
            table = DeliveriesByMonth.__table__
            for chunk in _chunks(rows):
                stmt = insert(DeliveriesByMonth).values(chunk)
                await self.session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["region_id", "month", "township", "carrier"],
                        set_={
                            k: table.c[k] + stmt.excluded[k]
                            for k in ("delivered", "timed", "within")
                        },
                    )
                )
        if deltas.streams:
            rows = [
                {
                    "region_id": r,
                    "month": m,
                    "supplier_id": s,
                    "product_id": p,
                    "gmv_fen": gmv,
                    "lines": n,
                }
                for (r, m, s, p), (gmv, n) in sorted(deltas.streams.items(), key=str)
            ]
            table = StreamSalesByMonth.__table__
            for chunk in _chunks(rows):
                stmt = insert(StreamSalesByMonth).values(chunk)
                await self.session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["region_id", "month", "supplier_id", "product_id"],
                        set_={
                            "gmv_fen": table.c.gmv_fen + stmt.excluded.gmv_fen,
                            "lines": table.c.lines + stmt.excluded.lines,
                        },
                    )
                )
        deltas.clear()

    async def recompute_rollups(self, region_id: uuid.UUID) -> None:
        """Empty the region's roll-ups and sum them again from its facts, set-based (a bulk
        load; a check that the handlers' increments add up to the same)."""
        for table in ROLLUPS:
            await self.session.execute(table.delete().where(table.c.region_id == region_id))
        for sql in RECOMPUTE_SQL:
            await self.session.execute(text(sql), {"region": region_id})

    async def rollup_rows(self, region_id: uuid.UUID) -> dict[str, set[tuple[Any, ...]]]:
        """The region's roll-up rows that hold something (a cancelled order leaves zeros)."""
        out: dict[str, set[tuple[Any, ...]]] = {}
        for table in ROLLUPS:
            measures = [c for c in table.c if not c.primary_key and c.name != "supplier_id"]
            rows = await self.session.execute(
                select(table).where(
                    table.c.region_id == region_id,
                    func.greatest(*[func.abs(c) for c in measures]) > 0,
                )
            )
            out[table.name] = {tuple(r) for r in rows}
        sessions = await self.session.execute(
            select(StreamSession.session_id, StreamSession.gmv_fen).where(
                StreamSession.region_id == region_id, StreamSession.gmv_fen != 0
            )
        )
        out["stream_sessions.gmv_fen"] = {tuple(r) for r in sessions}
        return out

    # ---------------------------------------------------------------- delivery, livestream

    async def add_parcel(self, values: dict[str, Any]) -> bool:
        """True only the first time the parcel is recorded."""
        result = await self.session.execute(
            insert(Parcel).values(**values).on_conflict_do_nothing().returning(Parcel.parcel_id)
        )
        return result.first() is not None

    async def upsert_run(self, run_id: uuid.UUID, values: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if v is not None}
        stmt = insert(Run).values(run_id=run_id, **values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["run_id"],
                set_={k: func.coalesce(stmt.excluded[k], Run.__table__.c[k]) for k in values},
            )
        )

    async def upsert_stream_session(self, session_id: uuid.UUID, values: dict[str, Any]) -> None:
        values = {k: v for k, v in values.items() if v is not None}
        stmt = insert(StreamSession).values(session_id=session_id, **values)
        table = StreamSession.__table__
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["session_id"],
                set_={k: func.coalesce(stmt.excluded[k], table.c[k]) for k in values},
            )
        )

    async def sale_line_for_update(self, line_id: uuid.UUID) -> StreamSaleLine | None:
        return (
            await self.session.execute(
                select(StreamSaleLine)
                .where(StreamSaleLine.line_id == line_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()

    async def insert_sale_line(self, values: dict[str, Any]) -> bool:
        result = await self.session.execute(
            insert(StreamSaleLine)
            .values(**values)
            .on_conflict_do_nothing()
            .returning(StreamSaleLine.line_id)
        )
        return result.first() is not None

    async def insert_new_sale_lines(self, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
        """Insert the lines not known yet (one statement); returns the ids inserted."""
        if not rows:
            return set()
        # executemany with RETURNING: SQLAlchemy sends it as batched multi-row INSERTs from
        # one cached statement (a .values(rows) statement would be compiled anew each time)
        result = await self.session.execute(
            insert(StreamSaleLine).on_conflict_do_nothing().returning(StreamSaleLine.line_id),
            rows,
        )
        return set(result.scalars())

    async def update_sale_line(self, values: dict[str, Any]) -> None:
        await self.session.execute(
            update(StreamSaleLine)
            .where(StreamSaleLine.line_id == values["line_id"])
            .values(**{k: v for k, v in values.items() if k != "line_id"})
        )

    async def add_stream_gmv(
        self, session_id: uuid.UUID, region_id: uuid.UUID, amount_fen: int, month: date | None
    ) -> None:
        stmt = insert(StreamSession).values(
            session_id=session_id, region_id=region_id, gmv_fen=amount_fen, month=month
        )
        table = StreamSession.__table__
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["session_id"],
                set_={"gmv_fen": table.c.gmv_fen + stmt.excluded.gmv_fen},
            )
        )

    # ---------------------------------------------------------------- rebuild

    async def truncate(self) -> None:
        names = ", ".join(f'insights."{t.name}"' for t in [*READ_MODEL_TABLES, kernel.inbox])
        await self.session.execute(text(f"TRUNCATE {names}"))
