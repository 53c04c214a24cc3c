"""Settlement SQL."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount
from services.payments.settlement.models import (
    BankReceipt,
    CodCollection,
    CodHandIn,
    CreditLine,
    Refund,
)

ORDER_SORT_COLUMNS = {"placed_at": OrderAccount.placed_at, "updated_at": OrderAccount.updated_at}
REFUND_SORT_COLUMNS = {"created_at": Refund.created_at}
RECEIPT_SORT_COLUMNS = {"created_at": BankReceipt.created_at}
CREDIT_LINE_SORT_COLUMNS = {"set_at": CreditLine.set_at}


class SettlementRepository:
    """Order money, card refunds and credit notes, bank receipts, cash on delivery, credit lines."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def order_for_update(self, order_id: uuid.UUID) -> OrderAccount | None:
        return await self.session.scalar(
            select(OrderAccount).where(OrderAccount.order_id == order_id).with_for_update()
        )

    async def order_by_reference(self, code: str) -> OrderAccount | None:
        return await self.session.scalar(
            select(OrderAccount).where(OrderAccount.reference_code == code).with_for_update()
        )

    async def refund_for_cause(self, cause: str) -> Refund | None:
        return await self.session.scalar(select(Refund).where(Refund.cause == cause))

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def insert_receipt_once(self, values: dict) -> bool:
        """Insert a bank receipt unless its account already has that bank reference (a
        concurrent insert of the same reference waits here and then inserts nothing)."""
        result = await self.session.execute(
            insert(BankReceipt)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["region_id", "bank_reference"])
            .returning(BankReceipt.id)
        )
        return result.scalar() is not None

    async def receipt_by_reference(
        self, region_id: uuid.UUID, bank_reference: str
    ) -> BankReceipt | None:
        return await self.session.scalar(
            select(BankReceipt).where(
                BankReceipt.region_id == region_id, BankReceipt.bank_reference == bank_reference
            )
        )

    async def cod_collection(self, order_id: uuid.UUID) -> CodCollection | None:
        return await self.session.get(CodCollection, order_id)

    async def run_totals(self, run_id: uuid.UUID) -> tuple[int, int, int]:
        """(collected, handed in, number of collections) for a delivery run."""
        collected, count = (
            await self.session.execute(
                select(func.coalesce(func.sum(CodCollection.amount_fen), 0), func.count()).where(
                    CodCollection.run_id == run_id
                )
            )
        ).one()
        handed = await self.session.scalar(
            select(func.coalesce(func.sum(CodHandIn.amount_fen), 0)).where(
                CodHandIn.run_id == run_id
            )
        )
        return int(collected), int(handed or 0), int(count)

    async def run_region(self, run_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(
            select(CodCollection.region_id).where(CodCollection.run_id == run_id).limit(1)
        )

    async def credit_line(
        self, buyer_org_id: uuid.UUID, *, lock: bool = False
    ) -> CreditLine | None:
        return await self.session.get(CreditLine, buyer_org_id, with_for_update=lock)

    async def credit_orders_outstanding(
        self, buyer_org_id: uuid.UUID, placed_before: datetime | None = None
    ) -> int:
        """What the buyer still owes on credit orders (optionally only on those placed before)."""
        owed = (
            OrderAccount.total_fen
            - OrderAccount.removed_fen
            - OrderAccount.paid_fen
            + OrderAccount.refunded_fen
        )
        stmt = select(func.coalesce(func.sum(owed), 0)).where(
            OrderAccount.buyer_org_id == buyer_org_id,
            OrderAccount.payment_method == "credit",
            OrderAccount.status == "accepted_on_credit",
        )
        if placed_before is not None:
            stmt = stmt.where(OrderAccount.placed_at < placed_before)
        return int(await self.session.scalar(stmt) or 0)

    async def pending_refunds(self, limit: int = 50) -> list[Refund]:
        rows = await self.session.scalars(
            select(Refund)
            .where(Refund.status == "pending")
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    def order_listing(
        self,
        *,
        region_id: uuid.UUID | None,
        buyer_org_id: uuid.UUID | None,
        status: str | None,
        payment_method: str | None,
    ) -> Select:
        stmt = select(OrderAccount)
        if region_id is not None:
            stmt = stmt.where(OrderAccount.region_id == region_id)
        if buyer_org_id is not None:
            stmt = stmt.where(OrderAccount.buyer_org_id == buyer_org_id)
        if status is not None:
            stmt = stmt.where(OrderAccount.status == status)
        if payment_method is not None:
            stmt = stmt.where(OrderAccount.payment_method == payment_method)
        return stmt

    def _of_orders(self, stmt: Select, region_id: uuid.UUID | None, buyer_org_id: uuid.UUID | None):
        """Rows that belong to an order, filtered by the order's region and buyer (the caller's
        visibility is added on OrderAccount's columns)."""
        if region_id is not None:
            stmt = stmt.where(OrderAccount.region_id == region_id)
        if buyer_org_id is not None:
            stmt = stmt.where(OrderAccount.buyer_org_id == buyer_org_id)
        return stmt

    def refund_listing(
        self,
        *,
        region_id: uuid.UUID | None,
        buyer_org_id: uuid.UUID | None,
        order_id: uuid.UUID | None,
        kind: str | None,
        status: str | None,
    ) -> Select:
        stmt = select(Refund).join(OrderAccount, OrderAccount.order_id == Refund.order_id)
        stmt = self._of_orders(stmt, region_id, buyer_org_id)
        if order_id is not None:
            stmt = stmt.where(Refund.order_id == order_id)
        if kind is not None:
            stmt = stmt.where(Refund.kind == kind)
        if status is not None:
            stmt = stmt.where(Refund.status == status)
        return stmt

    def receipt_listing(
        self,
        *,
        region_id: uuid.UUID | None,
        buyer_org_id: uuid.UUID | None,
        order_id: uuid.UUID | None,
    ) -> Select:
        stmt = select(BankReceipt).join(OrderAccount, OrderAccount.order_id == BankReceipt.order_id)
        stmt = self._of_orders(stmt, region_id, buyer_org_id)
        if order_id is not None:
            stmt = stmt.where(BankReceipt.order_id == order_id)
        return stmt

    def credit_line_listing(self, *, region_id: uuid.UUID | None) -> Select:
        stmt = select(CreditLine)
        if region_id is not None:
            stmt = stmt.where(CreditLine.region_id == region_id)
        return stmt
