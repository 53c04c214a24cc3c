"""All SQL for consignment stock: each change is one conditional UPDATE of the stock row
(on hand may not go below zero) and one movement row, in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.consignment.models import (
    ConsignedSale,
    ConsignmentMovement,
    ConsignmentStock,
)
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# kind -> the counter it adds its (absolute) quantity to
COUNTERS = {
    "receipt": "received",
    "sale": "sold",
    "sale_reversal": "sold",
    "return": "returned",
    "damage": "damaged",
    "stocktake": "adjusted",
}

# the lists' documented sort keys and their columns: stock in a stable order (the id, as
# before) or by what is left on hand; movements in ledger order (`seq` breaks ties)
STOCK_SORTS = {"id": ConsignmentStock.id, "on_hand": ConsignmentStock.on_hand}
MOVEMENT_SORTS = {"at": ConsignmentMovement.at}


class ConsignmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Any]:
        """The supplier's own products at the base, the region's for its operator."""
        return select(ConsignmentStock).where(
            readable_clause(
                principal,
                ConsignmentStock.__table__.c.supplier_id,
                region_column=ConsignmentStock.__table__.c.region_id,
            )
        )

    async def page(
        self, stmt: Select[Any], query: ListQuery
    ) -> tuple[list[ConsignmentStock], str | None]:
        return await paginate_list(
            self.session, stmt, query, sort_columns=STOCK_SORTS, id_column=ConsignmentStock.id
        )

    async def get(self, stock_id: uuid.UUID) -> ConsignmentStock | None:
        return await self.session.get(ConsignmentStock, stock_id)

    async def by_product(self, product_id: uuid.UUID) -> ConsignmentStock | None:
        return await self.session.scalar(
            select(ConsignmentStock).where(ConsignmentStock.product_id == product_id)
        )

    async def ensure(
        self, *, region_id: uuid.UUID, supplier_id: uuid.UUID, product_id: uuid.UUID
    ) -> uuid.UUID:
        """The product's stock row (created at zero on first use, race-free)."""
        await self.session.execute(
            insert(ConsignmentStock)
            .values(
                id=uuid.uuid4(),
                region_id=region_id,
                supplier_id=supplier_id,
                product_id=product_id,
                received=0,
                sold=0,
                returned=0,
                damaged=0,
                adjusted=0,
                on_hand=0,
            )
            .on_conflict_do_nothing(index_elements=[ConsignmentStock.product_id])
        )
        stock_id = await self.session.scalar(
            select(ConsignmentStock.id).where(ConsignmentStock.product_id == product_id)
        )
        assert stock_id is not None
        return stock_id

    async def lock(self, stock_id: uuid.UUID) -> ConsignmentStock | None:
        return await self.session.scalar(
            select(ConsignmentStock)
            .where(ConsignmentStock.id == stock_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def apply(self, stock_id: uuid.UUID, kind: str, delta: int) -> int | None:
        """Change on hand by `delta` and the kind's counter by |delta| (a reversal or a
        stocktake counts signed); None, with nothing changed, when on hand would go below 0."""
        counter = getattr(ConsignmentStock, COUNTERS[kind])
        if kind == "stocktake":
            counter_delta = delta
        elif kind == "sale_reversal":
            counter_delta = delta  # goods back: `sold` falls
        else:
            counter_delta = abs(delta)
        stmt = (
            update(ConsignmentStock)
            .where(ConsignmentStock.id == stock_id, ConsignmentStock.on_hand + delta >= 0)
            .values(
                {
                    ConsignmentStock.on_hand: ConsignmentStock.on_hand + delta,
                    counter: counter - counter_delta
                    if kind == "sale_reversal"
                    else counter + counter_delta,
                    ConsignmentStock.updated_at: func.now(),
                }
            )
            .returning(ConsignmentStock.on_hand)
            .execution_options(synchronize_session=False)
        )
        return await self.session.scalar(stmt)

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def movement_exists(self, kind: str, source_id: str, version: int = 0) -> bool:
        found = await self.session.scalar(
            select(ConsignmentMovement.seq).where(
                ConsignmentMovement.kind == kind,
                ConsignmentMovement.source_id == source_id,
                ConsignmentMovement.source_version == version,
            )
        )
        return found is not None

    async def movements_page(
        self, stock_id: uuid.UUID, query: ListQuery
    ) -> tuple[list[ConsignmentMovement], str | None]:
        return await paginate_list(
            self.session,
            select(ConsignmentMovement).where(ConsignmentMovement.stock_id == stock_id),
            query,
            sort_columns=MOVEMENT_SORTS,
            id_column=ConsignmentMovement.seq,
        )

    async def counted_lines(self, line_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these sale lines the base has counted already."""
        if not line_ids:
            return set()
        rows = await self.session.scalars(
            select(ConsignedSale.line_id).where(ConsignedSale.line_id.in_(line_ids))
        )
        return set(rows)

    async def sale(self, line_id: uuid.UUID, *, lock: bool = False) -> ConsignedSale | None:
        if not lock:
            return await self.session.get(ConsignedSale, line_id)
        return await self.session.scalar(
            select(ConsignedSale)
            .where(ConsignedSale.line_id == line_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def period_movements(
        self,
        *,
        region_id: uuid.UUID,
        supplier_id: uuid.UUID,
        starts: datetime,
        ends: datetime,
    ) -> list[ConsignmentMovement]:
        return list(
            await self.session.scalars(
                select(ConsignmentMovement)
                .where(
                    ConsignmentMovement.region_id == region_id,
                    ConsignmentMovement.supplier_id == supplier_id,
                    ConsignmentMovement.at >= starts,
                    ConsignmentMovement.at < ends,
                )
                .order_by(ConsignmentMovement.seq)
            )
        )

    async def stock_of_supplier(
        self, region_id: uuid.UUID, supplier_id: uuid.UUID
    ) -> list[ConsignmentStock]:
        return list(
            await self.session.scalars(
                select(ConsignmentStock).where(
                    ConsignmentStock.region_id == region_id,
                    ConsignmentStock.supplier_id == supplier_id,
                )
            )
        )

    async def on_hand(self, product_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(ConsignmentStock.on_hand).where(ConsignmentStock.product_id == product_id)
        )
        return int(value or 0)

    async def received_from(self, region_id: uuid.UUID, warehouse_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(ConsignmentMovement.seq)
            .where(
                ConsignmentMovement.region_id == region_id,
                ConsignmentMovement.kind == "receipt",
                ConsignmentMovement.warehouse_id == warehouse_id,
            )
            .limit(1)
        )
        return found is not None
