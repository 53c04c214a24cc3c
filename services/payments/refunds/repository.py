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


async def lock_buyer_credit(session: AsyncSession, buyer_org_id: uuid.UUID) -> None:
    """Serialise every bank refund request of one buyer until the transaction ends: two
    requests at once must not both spend the same credit."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"payments:buyer-credit:{buyer_org_id}"},
    )


async def bank_account(
    session: AsyncSession, buyer_org_id: uuid.UUID, *, lock: bool = False
) -> BuyerBankAccount | None:
    return await session.get(BuyerBankAccount, buyer_org_id, with_for_update=lock)


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


async def get(session: AsyncSession, refund_id: uuid.UUID, *, lock: bool = False):
    return await session.get(BankRefund, refund_id, with_for_update=lock)


async def credit_noted_for_order(session: AsyncSession, order_id: uuid.UUID) -> int:
    """What the order gave back as buyer credit (credit notes: shortages, cancellation,
    overpayment)."""
    value = await session.scalar(
        select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(
            Refund.order_id == order_id, Refund.kind == "credit_note"
        )
    )
    return int(value or 0)


async def bank_refunded_for_order(session: AsyncSession, order_id: uuid.UUID) -> int:
    value = await session.scalar(
        select(func.coalesce(func.sum(BankRefund.amount_fen), 0)).where(
            BankRefund.order_id == order_id, BankRefund.status.in_(HOLDING_STATUSES)
        )
    )
    return int(value or 0)


async def requested_in_region(session: AsyncSession, region_id: uuid.UUID) -> list[BankRefund]:
    """Refunds waiting for a bank file, locked: a refund concurrently put into another file
    no longer matches once that one commits, so it lands in one file only."""
    rows = await session.scalars(
        select(BankRefund)
        .where(BankRefund.region_id == region_id, BankRefund.status == "requested")
        .order_by(BankRefund.created_at, BankRefund.id)
        .with_for_update()
    )
    return list(rows)


async def in_batch(session: AsyncSession, batch_id: uuid.UUID) -> list[BankRefund]:
    rows = await session.scalars(
        select(BankRefund)
        .where(BankRefund.batch_id == batch_id)
        .order_by(BankRefund.created_at, BankRefund.id)
    )
    return list(rows)


async def get_batch(session: AsyncSession, batch_id: uuid.UUID) -> BankRefundBatch | None:
    return await session.get(BankRefundBatch, batch_id)


async def history(session: AsyncSession, refund_id: uuid.UUID) -> list[BankRefundHistory]:
    rows = await session.scalars(
        select(BankRefundHistory)
        .where(BankRefundHistory.bank_refund_id == refund_id)
        .order_by(BankRefundHistory.id)
    )
    return list(rows)


def listing(
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


def batch_listing(region_id: uuid.UUID | None) -> Select:
    stmt = select(BankRefundBatch)
    if region_id is not None:
        stmt = stmt.where(BankRefundBatch.region_id == region_id)
    return stmt
