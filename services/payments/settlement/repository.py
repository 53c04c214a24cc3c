"""Settlement SQL."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount
from services.payments.settlement.models import CodCollection, CodHandIn, CreditLine, Refund


async def order_for_update(session: AsyncSession, order_id: uuid.UUID) -> OrderAccount | None:
    return await session.scalar(
        select(OrderAccount).where(OrderAccount.order_id == order_id).with_for_update()
    )


async def order_by_reference(session: AsyncSession, code: str) -> OrderAccount | None:
    return await session.scalar(
        select(OrderAccount).where(OrderAccount.reference_code == code).with_for_update()
    )


async def refund_for_cause(session: AsyncSession, cause: str) -> Refund | None:
    return await session.scalar(select(Refund).where(Refund.cause == cause))


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


async def cod_collection(session: AsyncSession, order_id: uuid.UUID) -> CodCollection | None:
    return await session.get(CodCollection, order_id)


async def run_totals(session: AsyncSession, run_id: uuid.UUID) -> tuple[int, int, int]:
    """(collected, handed in, number of collections) for a delivery run."""
    collected, count = (
        await session.execute(
            select(func.coalesce(func.sum(CodCollection.amount_fen), 0), func.count()).where(
                CodCollection.run_id == run_id
            )
        )
    ).one()
    handed = await session.scalar(
        select(func.coalesce(func.sum(CodHandIn.amount_fen), 0)).where(CodHandIn.run_id == run_id)
    )
    return int(collected), int(handed or 0), int(count)


async def run_region(session: AsyncSession, run_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(
        select(CodCollection.region_id).where(CodCollection.run_id == run_id).limit(1)
    )


async def credit_line(
    session: AsyncSession, buyer_org_id: uuid.UUID, *, lock: bool = False
) -> CreditLine | None:
    return await session.get(CreditLine, buyer_org_id, with_for_update=lock)


async def credit_orders_outstanding(
    session: AsyncSession, buyer_org_id: uuid.UUID, placed_before: datetime | None = None
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
        stmt = stmt.where(OrderAccount.created_at < placed_before)
    return int(await session.scalar(stmt) or 0)


async def pending_refunds(session: AsyncSession, limit: int = 50) -> list[Refund]:
    rows = await session.scalars(
        select(Refund)
        .where(Refund.status == "pending")
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)
