from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.trace.models import Lot, LotEvent
from shared.auth.access import scope_to_caller
from shared.auth.principal import Principal


class TraceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def lot(self, lot_id: uuid.UUID) -> Lot | None:
        return await self.session.get(Lot, lot_id)

    async def lot_by_code(self, code: str) -> Lot | None:
        return (await self.session.execute(select(Lot).where(Lot.code == code))).scalars().first()

    async def lot_for_caller(
        self, principal: Principal, lot_id: uuid.UUID, *, lock: bool = False
    ) -> Lot | None:
        stmt = scope_to_caller(
            select(Lot).where(Lot.id == lot_id),
            principal,
            Lot.supplier_id,
            region_column=Lot.region_id,
        )
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalars().first()

    async def lots_of_product(self, product_id: uuid.UUID) -> list[Lot]:
        stmt = select(Lot).where(Lot.product_id == product_id).order_by(Lot.created_at)
        return list((await self.session.execute(stmt)).scalars().all())

    async def events(self, lot_id: uuid.UUID) -> list[LotEvent]:
        stmt = select(LotEvent).where(LotEvent.lot_id == lot_id).order_by(LotEvent.seq)
        return list((await self.session.execute(stmt)).scalars().all())

    async def next_seq(self, lot_id: uuid.UUID) -> int:
        stmt = select(func.coalesce(func.max(LotEvent.seq), 0)).where(LotEvent.lot_id == lot_id)
        return int((await self.session.execute(stmt)).scalar_one()) + 1
