"""Bank refund SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.refunds.models import (
    BankRefund,
    BankRefundBatch,
    BankRefundHistory,
    BuyerBankAccount,
)
from services.payments.settlement.models import Refund

SORT_COLUMNS = {"created_at": BankRefund.created_at, "updated_at": BankRefund.updated_at}
BATCH_SORT_COLUMNS = {"created_at": BankRefundBatch.created_at}

# money that is on its way back by bank or already went back
HOLDING_STATUSES = ("requested", "batched", "paid")


class BankRefundRepository:
    """Bank refunds, the buyer's account on file, refund batches."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_buyer_credit(self, buyer_org_id: uuid.UUID) -> None:
        """Serialise every bank refund request of one buyer until the transaction ends: two
        requests at once must not both spend the same credit."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"payments:buyer-credit:{buyer_org_id}"},
        )

    async def bank_account(
        self, buyer_org_id: uuid.UUID, *, lock: bool = False
    ) -> BuyerBankAccount | None:
        return await self.session.get(BuyerBankAccount, buyer_org_id, with_for_update=lock)

    async def add(self, row: object) -> None:
        self.session.add(row)
        await self.session.flush()

    async def get(self, refund_id: uuid.UUID, *, lock: bool = False):
        return await self.session.get(BankRefund, refund_id, with_for_update=lock)

    async def credit_noted_for_order(self, order_id: uuid.UUID) -> int:
        """What the order gave back as buyer credit (credit notes: shortages, cancellation,
        overpayment)."""
        value = await self.session.scalar(
            select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(
                Refund.order_id == order_id, Refund.kind == "credit_note"
            )
        )
        return int(value or 0)

    async def bank_refunded_for_order(self, order_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(func.coalesce(func.sum(BankRefund.amount_fen), 0)).where(
                BankRefund.order_id == order_id, BankRefund.status.in_(HOLDING_STATUSES)
            )
        )
        return int(value or 0)

    async def requested_in_region(self, region_id: uuid.UUID) -> list[BankRefund]:
        """Refunds waiting for a bank file, locked: a refund concurrently put into another file
        no longer matches once that one commits, so it lands in one file only."""
        rows = await self.session.scalars(
            select(BankRefund)
            .where(BankRefund.region_id == region_id, BankRefund.status == "requested")
            .order_by(BankRefund.created_at, BankRefund.id)
            .with_for_update()
        )
        return list(rows)

    async def in_batch(self, batch_id: uuid.UUID) -> list[BankRefund]:
        rows = await self.session.scalars(
            select(BankRefund)
            .where(BankRefund.batch_id == batch_id)
            .order_by(BankRefund.created_at, BankRefund.id)
        )
        return list(rows)

    async def get_batch(self, batch_id: uuid.UUID) -> BankRefundBatch | None:
        return await self.session.get(BankRefundBatch, batch_id)

    async def history(self, refund_id: uuid.UUID) -> list[BankRefundHistory]:
        rows = await self.session.scalars(
            select(BankRefundHistory)
            .where(BankRefundHistory.bank_refund_id == refund_id)
            .order_by(BankRefundHistory.id)
        )
        return list(rows)

    def listing(
        self,
        *,
        region_id: uuid.UUID | None,
        buyer_org_id: uuid.UUID | None,
        order_id: uuid.UUID | None,
        status: str | None,
        batch_id: uuid.UUID | None,
    ) -> Select:
        stmt = select(BankRefund)
        if region_id is not None:
            stmt = stmt.where(BankRefund.region_id == region_id)
        if buyer_org_id is not None:
            stmt = stmt.where(BankRefund.buyer_org_id == buyer_org_id)
        if order_id is not None:
            stmt = stmt.where(BankRefund.order_id == order_id)
        if status is not None:
            stmt = stmt.where(BankRefund.status == status)
        if batch_id is not None:
            stmt = stmt.where(BankRefund.batch_id == batch_id)
        return stmt

    def batch_listing(self, region_id: uuid.UUID | None) -> Select:
        stmt = select(BankRefundBatch)
        if region_id is not None:
            stmt = stmt.where(BankRefundBatch.region_id == region_id)
        return stmt
