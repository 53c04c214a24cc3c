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
    StreamSession,
    Supplier,
    Variant,
)
from services.insights.readmodel.rules import Deltas

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
        Run,
        StreamSession,
    )
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
        deltas.clear()

    # ---------------------------------------------------------------- delivery, livestream

    async def add_parcel(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(Parcel).values(**values).on_conflict_do_nothing())

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
