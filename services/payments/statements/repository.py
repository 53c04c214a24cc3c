"""Statement SQL."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount
from services.payments.statements.models import ConsignmentPayable, SupplierStatement
from shared.auth import Principal, scope_to_caller

SORT_COLUMNS = {
    "month": SupplierStatement.month,
    "created_at": SupplierStatement.created_at,
    "updated_at": SupplierStatement.updated_at,
}


class StatementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select:
        """Statements the caller may see: its supplier's, or its region's as operator."""
        return scope_to_caller(
            select(SupplierStatement),
            principal,
            SupplierStatement.supplier_id,  # type: ignore[arg-type]
            region_column=SupplierStatement.region_id,  # type: ignore[arg-type]
        )

    async def orders_in_period(
        self, region_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[OrderAccount]:
        rows = await self.session.scalars(
            select(OrderAccount).where(
                OrderAccount.region_id == region_id,
                OrderAccount.placed_at >= start,
                OrderAccount.placed_at < end,
                # a refused or cancelled order sold nothing (a cancelled one's money, even
                # paid late, went back to the buyer)
                OrderAccount.status.not_in(("credit_refused", "cancelled")),
            )
        )
        return list(rows)

    async def buyer_orders(
        self, buyer_org_id: uuid.UUID, start: datetime, end: datetime
    ) -> list[OrderAccount]:
        rows = await self.session.scalars(
            select(OrderAccount)
            .where(
                OrderAccount.buyer_org_id == buyer_org_id,
                OrderAccount.placed_at >= start,
                OrderAccount.placed_at < end,
            )
            .order_by(OrderAccount.placed_at, OrderAccount.order_id)
        )
        return list(rows)

    async def statement(self, supplier_id: uuid.UUID, month: str):
        return await self.session.scalar(
            select(SupplierStatement)
            .where(SupplierStatement.supplier_id == supplier_id, SupplierStatement.month == month)
            .with_for_update()
        )

    async def get(self, statement_id: uuid.UUID, *, lock: bool = False):
        stmt = select(SupplierStatement).where(SupplierStatement.id == statement_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def for_region_month(self, region_id: uuid.UUID, month: str) -> list[SupplierStatement]:
        rows = await self.session.scalars(
            select(SupplierStatement)
            .where(SupplierStatement.region_id == region_id, SupplierStatement.month == month)
            .order_by(SupplierStatement.supplier_id)
        )
        return list(rows)

    async def insert_consignment_payable_once(self, values: dict) -> bool:
        """Keep a consignment payable unless its movement is already kept (a replay)."""
        result = await self.session.execute(
            insert(ConsignmentPayable)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["entry_id"])
            .returning(ConsignmentPayable.entry_id)
        )
        return result.scalar() is not None

    async def consignment_in_period(
        self, region_id: uuid.UUID, start: datetime, end: datetime
    ) -> dict[uuid.UUID, int]:
        """Consignment payable per supplier sold (or reversed) in the period."""
        rows = await self.session.execute(
            select(ConsignmentPayable.supplier_id, func.sum(ConsignmentPayable.amount_fen))
            .where(
                ConsignmentPayable.region_id == region_id,
                ConsignmentPayable.sold_at >= start,
                ConsignmentPayable.sold_at < end,
            )
            .group_by(ConsignmentPayable.supplier_id)
        )
        return {supplier: int(total or 0) for supplier, total in rows}

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    def listing(
        self,
        principal: Principal,
        *,
        region_id: uuid.UUID | None,
        supplier_id: uuid.UUID | None,
        month: str | None,
        status: str | None,
    ) -> Select:
        stmt = self.readable(principal)
        if region_id is not None:
            stmt = stmt.where(SupplierStatement.region_id == region_id)
        if supplier_id is not None:
            stmt = stmt.where(SupplierStatement.supplier_id == supplier_id)
        if month is not None:
            stmt = stmt.where(SupplierStatement.month == month)
        if status is not None:
            stmt = stmt.where(SupplierStatement.status == status)
        return stmt
