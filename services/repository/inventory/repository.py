"""All SQL for warehouses, stock balances, the movements ledger and reservations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, case, func, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.inventory.ledger import MOVEMENT_EFFECTS
from services.repository.inventory.models import (
    Reservation,
    StockBalance,
    StockMovement,
    Warehouse,
)
from shared.db import DriverSQL, utcnow
from shared.pagination import ListQuery, paginate_list

balances: Table = StockBalance.__table__  # type: ignore[assignment]
warehouses: Table = Warehouse.__table__  # type: ignore[assignment]

# Every placement runs these: ready SQL on the session's driver connection
# (shared.db.DriverSQL), each text prepared once per connection whatever the number of lines.
COUNTY_STOCK = f"""
    WITH county AS (
        SELECT id FROM {warehouses.fullname}
        WHERE region_id = $1 AND is_county_warehouse
        ORDER BY created_at, id
        LIMIT 1
    )
    SELECT county.id, b.variant_id, b.on_hand - b.reserved
    FROM county
    LEFT JOIN {balances.fullname} b
      ON b.warehouse_id = county.id AND b.variant_id = ANY($2::uuid[])
    """
# The rows are locked in (warehouse, variant) order first (the CTE), as every writer of
# balances locks them; each row's condition is re-checked after its lock.
RESERVE_MANY = f"""
    WITH wanted(warehouse_id, variant_id, cases) AS (
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::integer[])
    ),
    locked AS (
        SELECT b.warehouse_id, b.variant_id
        FROM {balances.fullname} b
        JOIN wanted w ON w.warehouse_id = b.warehouse_id AND w.variant_id = b.variant_id
        ORDER BY b.warehouse_id, b.variant_id
        FOR UPDATE OF b
    )
    UPDATE {balances.fullname} b
    SET reserved = b.reserved + w.cases, updated_at = now()
    FROM wanted w, locked l
    WHERE b.warehouse_id = w.warehouse_id AND b.variant_id = w.variant_id
      AND l.warehouse_id = b.warehouse_id AND l.variant_id = b.variant_id
      AND b.on_hand >= b.reserved + w.cases
    RETURNING b.warehouse_id, b.variant_id, b.on_hand, b.reserved
    """
MOVEMENT_COLUMNS = (
    "warehouse_id",
    "variant_id",
    "kind",
    "cases",
    "on_hand_after",
    "reserved_after",
    "reason",
    "order_id",
    "order_line_id",
    "purchase_order_id",
    "actor_user_id",
    "at",
)
RESERVATION_COLUMNS = (
    "order_line_id",
    "order_id",
    "warehouse_id",
    "variant_id",
    "cases",
    "status",
    "expires_at",
    "created_at",
    "updated_at",
)


def _insert_unnest(table: Table, columns: tuple[str, ...]) -> str:
    """Many rows in one statement whose text does not depend on their number."""
    arrays = ", ".join(
        f"${n}::{table.c[name].type.compile(dialect=postgresql.dialect())}[]"
        for n, name in enumerate(columns, start=1)
    )
    return f"INSERT INTO {table.fullname} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"


INSERT_MOVEMENTS = _insert_unnest(StockMovement.__table__, MOVEMENT_COLUMNS)  # type: ignore[arg-type]
INSERT_RESERVATIONS = _insert_unnest(Reservation.__table__, RESERVATION_COLUMNS)  # type: ignore[arg-type]


# the documented sort keys of the lists and their columns (the row's key breaks ties)
WAREHOUSE_SORTS: dict[str, Any] = {
    "created_at": Warehouse.created_at,
    "code": Warehouse.code,
    "name": Warehouse.name,
}
# a balance is one per warehouse and variant: the variant is its key within the warehouse
STOCK_SORTS: dict[str, Any] = {"variant_id": StockBalance.variant_id}
# `seq` is the ledger's order (an identity): newest first by default
MOVEMENT_SORTS: dict[str, Any] = {"seq": StockMovement.seq}


# ------------------------------------------------------------------ balances


def stock_query(
    warehouse_id: uuid.UUID, variant_id: uuid.UUID | None, only_available: bool
) -> Select[Any]:
    stmt = select(StockBalance).where(StockBalance.warehouse_id == warehouse_id)
    if variant_id is not None:
        stmt = stmt.where(StockBalance.variant_id == variant_id)
    if only_available:
        stmt = stmt.where(StockBalance.on_hand > StockBalance.reserved)
    return stmt


def _signed_cases(effect: int) -> Any:
    """The movement's cases with the sign its kind gives on-hand (0) or reserved (1)."""
    whens = [
        (StockMovement.kind == kind, signs[effect] * StockMovement.cases)
        for kind, signs in MOVEMENT_EFFECTS.items()
        if signs[effect]
    ]
    return case(*whens, else_=0)


# ------------------------------------------------------------------ movements


def movements_query(
    warehouse_id: uuid.UUID,
    variant_id: uuid.UUID | None,
    kind: str | None,
    order_id: uuid.UUID | None,
) -> Select[Any]:
    stmt = select(StockMovement).where(StockMovement.warehouse_id == warehouse_id)
    if variant_id is not None:
        stmt = stmt.where(StockMovement.variant_id == variant_id)
    if kind is not None:
        stmt = stmt.where(StockMovement.kind == kind)
    if order_id is not None:
        stmt = stmt.where(StockMovement.order_id == order_id)
    return stmt


# ------------------------------------------------------------------ reservations


class InventoryRepository:
    """Warehouses, stock balances, the movements ledger and reservations. Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *objects: object) -> None:
        self.session.add_all(objects)
        await self.session.flush()

    async def get_warehouse(self, warehouse_id: uuid.UUID) -> Warehouse | None:
        return await self.session.get(Warehouse, warehouse_id)

    async def warehouse_by_code(self, region_id: uuid.UUID, code: str) -> Warehouse | None:
        return await self.session.scalar(
            select(Warehouse).where(Warehouse.region_id == region_id, Warehouse.code == code)
        )

    async def warehouses_page(
        self, region_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[Warehouse], str | None]:
        return await paginate_list(
            self.session,
            select(Warehouse).where(Warehouse.region_id == region_id),
            query,
            sort_columns=WAREHOUSE_SORTS,
            id_column=Warehouse.id,
        )

    async def stock_page(
        self,
        warehouse_id: uuid.UUID,
        query: ListQuery,
        *,
        variant_id: uuid.UUID | None,
        only_available: bool,
    ) -> tuple[list[StockBalance], str | None]:
        return await paginate_list(
            self.session,
            stock_query(warehouse_id, variant_id, only_available),
            query,
            sort_columns=STOCK_SORTS,
            id_column=StockBalance.variant_id,
        )

    async def movements_page(
        self,
        warehouse_id: uuid.UUID,
        query: ListQuery,
        *,
        variant_id: uuid.UUID | None,
        kind: str | None,
        order_id: uuid.UUID | None,
    ) -> tuple[list[StockMovement], str | None]:
        return await paginate_list(
            self.session,
            movements_query(warehouse_id, variant_id, kind, order_id),
            query,
            sort_columns=MOVEMENT_SORTS,
            id_column=StockMovement.seq,
        )

    async def county_warehouse(self, region_id: uuid.UUID) -> Warehouse | None:
        """The region's first county warehouse: where stocked offers are held and shipped from."""
        return await self.session.scalar(
            select(Warehouse)
            .where(Warehouse.region_id == region_id, Warehouse.is_county_warehouse.is_(True))
            .order_by(Warehouse.created_at, Warehouse.id)
            .limit(1)
        )

    async def apply_deltas(
        self,
        warehouse_id: uuid.UUID,
        variant_id: uuid.UUID,
        on_hand_delta: int,
        reserved_delta: int,
    ) -> tuple[int, int] | None:
        """Change a balance in ONE statement, only if it stays whole; (on_hand, reserved) after.

        None when the row is missing or the change would take on-hand, reserved or available
        below zero. Concurrent callers queue on the row lock and each re-checks the condition
        against the committed row, so stock can never be promised twice.
        """
        after_on_hand = balances.c.on_hand + on_hand_delta
        after_reserved = balances.c.reserved + reserved_delta
        row = (
            await self.session.execute(
                update(balances)
                .where(
                    balances.c.warehouse_id == warehouse_id,
                    balances.c.variant_id == variant_id,
                    after_on_hand >= 0,
                    after_reserved >= 0,
                    after_on_hand >= after_reserved,
                )
                .values(on_hand=after_on_hand, reserved=after_reserved, updated_at=func.now())
                .returning(balances.c.on_hand, balances.c.reserved)
            )
        ).first()
        return (row.on_hand, row.reserved) if row is not None else None

    async def insert_held(
        self, movements: Sequence[dict[str, Any]], reservations: Sequence[dict[str, Any]]
    ) -> None:
        """The ledger rows and the held reservations of a placement, each as one INSERT
        (no ORM object per row); they are written now (`at`, `created_at`)."""
        now = utcnow()
        driver = DriverSQL(self.session)
        if movements:
            rows = [{**row, "at": now} for row in movements]
            await driver.execute(
                INSERT_MOVEMENTS, *[[row[c] for row in rows] for c in MOVEMENT_COLUMNS]
            )
        if reservations:
            rows = [{**row, "created_at": now, "updated_at": now} for row in reservations]
            await driver.execute(
                INSERT_RESERVATIONS, *[[row[c] for row in rows] for c in RESERVATION_COLUMNS]
            )

    async def reserve_many(
        self, wanted: dict[tuple[uuid.UUID, uuid.UUID], int]
    ) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[int, int]]:
        """Reserve cases on many balances in ONE statement; (on_hand, reserved) after, per
        (warehouse, variant) that had enough. A key missing from the answer had too little
        (or no row) and was not changed; the caller then fails the whole transaction.

        The rows are locked in (warehouse, variant) order first (the CTE), as every writer
        of balances locks them, so two placements cannot deadlock; each row's condition is
        re-checked against the committed row after its lock, so stock is never promised twice.
        """
        if not wanted:
            return {}
        keys = sorted(wanted, key=lambda k: (str(k[0]), str(k[1])))
        rows = await DriverSQL(self.session).fetch(
            RESERVE_MANY,
            [warehouse_id for warehouse_id, _ in keys],
            [variant_id for _, variant_id in keys],
            [wanted[key] for key in keys],
        )
        return {(row[0], row[1]): (row[2], row[3]) for row in rows}

    async def add_on_hand(
        self, warehouse_id: uuid.UUID, variant_id: uuid.UUID, cases: int
    ) -> tuple[int, int]:
        """Goods coming in (cases > 0): create the balance row or add to it, in one statement."""
        stmt = insert(balances).values(
            warehouse_id=warehouse_id, variant_id=variant_id, on_hand=cases, reserved=0
        )
        row = (
            await self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[balances.c.warehouse_id, balances.c.variant_id],
                    set_={"on_hand": balances.c.on_hand + cases, "updated_at": func.now()},
                ).returning(balances.c.on_hand, balances.c.reserved)
            )
        ).one()
        return row.on_hand, row.reserved

    async def current_values(
        self, warehouse_id: uuid.UUID, variant_id: uuid.UUID
    ) -> tuple[int, int] | None:
        row = (
            await self.session.execute(
                select(balances.c.on_hand, balances.c.reserved).where(
                    balances.c.warehouse_id == warehouse_id, balances.c.variant_id == variant_id
                )
            )
        ).first()
        return (row.on_hand, row.reserved) if row is not None else None

    async def lock_balances(
        self, warehouse_ids: Sequence[uuid.UUID], variant_id: uuid.UUID
    ) -> None:
        await self.session.execute(
            select(balances.c.warehouse_id)
            .where(balances.c.warehouse_id.in_(warehouse_ids), balances.c.variant_id == variant_id)
            .order_by(balances.c.warehouse_id)
            .with_for_update()
        )

    async def balance(self, warehouse_id: uuid.UUID, variant_id: uuid.UUID) -> StockBalance | None:
        return await self.session.scalar(
            select(StockBalance)
            .where(StockBalance.warehouse_id == warehouse_id, StockBalance.variant_id == variant_id)
            .execution_options(populate_existing=True)
        )

    async def available_by_variant(
        self, warehouse_id: uuid.UUID, variant_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, int]:
        """Cases free to promise per variant right now (a snapshot; placement re-checks)."""
        if not variant_ids:
            return {}
        rows = await self.session.execute(
            select(balances.c.variant_id, balances.c.on_hand - balances.c.reserved).where(
                balances.c.warehouse_id == warehouse_id, balances.c.variant_id.in_(set(variant_ids))
            )
        )
        return {variant_id: available for variant_id, available in rows}

    async def county_stock(
        self, region_id: uuid.UUID, variant_ids: Sequence[uuid.UUID]
    ) -> tuple[uuid.UUID | None, dict[uuid.UUID, int]]:
        """The region's county warehouse and the cases free to promise there per variant,
        in one round trip (a snapshot; placement re-checks)."""
        rows = await DriverSQL(self.session).fetch(COUNTY_STOCK, region_id, list(variant_ids))
        warehouse_id: uuid.UUID | None = None
        available: dict[uuid.UUID, int] = {}
        for found, variant_id, cases in rows:
            warehouse_id = found
            if variant_id is not None:
                available[variant_id] = cases
        return warehouse_id, available

    async def all_balances(self, warehouse_id: uuid.UUID) -> dict[uuid.UUID, Any]:
        rows = await self.session.execute(
            select(balances.c.variant_id, balances.c.on_hand, balances.c.reserved).where(
                balances.c.warehouse_id == warehouse_id
            )
        )
        return {r.variant_id: (r.on_hand, r.reserved) for r in rows}

    async def ledger_totals(self, warehouse_id: uuid.UUID) -> dict[uuid.UUID, Any]:
        """(on_hand, reserved) per variant summed from the movements alone."""
        rows = await self.session.execute(
            select(
                StockMovement.variant_id,
                func.coalesce(func.sum(_signed_cases(0)), 0),
                func.coalesce(func.sum(_signed_cases(1)), 0),
            )
            .where(StockMovement.warehouse_id == warehouse_id)
            .group_by(StockMovement.variant_id)
        )
        return {variant_id: (int(h), int(r)) for variant_id, h, r in rows}

    async def reservations_of_order(
        self, order_id: uuid.UUID, status: str | None = None
    ) -> list[Reservation]:
        stmt = select(Reservation).where(Reservation.order_id == order_id)
        if status is not None:
            stmt = stmt.where(Reservation.status == status)
        # Balance rows are always locked in (warehouse, variant) order: no deadlocks.
        result = await self.session.scalars(
            stmt.order_by(
                Reservation.warehouse_id, Reservation.variant_id, Reservation.order_line_id
            )
        )
        return list(result)

    async def reservation_of_line(self, order_line_id: uuid.UUID) -> Reservation | None:
        return await self.session.get(Reservation, order_line_id)

    async def set_reservation_expiry(
        self, order_id: uuid.UUID, expires_at: datetime | None
    ) -> None:
        await self.session.execute(
            update(Reservation)
            .where(Reservation.order_id == order_id, Reservation.status == "held")
            .values(expires_at=expires_at)
            .execution_options(synchronize_session="fetch")
        )
