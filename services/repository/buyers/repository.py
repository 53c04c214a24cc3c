"""All SQL for buyer accounts and what they bought before."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.buyers.models import DEFAULT_PAYMENT_METHODS, BuyerAccount
from services.repository.orders.models import Order, OrderLine

OPEN_CREDIT_STATUSES = (
    "placed",
    "confirmed",
    "consolidated",
    "purchased",
    "received",
    "ready_for_delivery",
    "delivered",
)


async def get(
    session: AsyncSession, org_id: uuid.UUID, *, lock: bool = False
) -> BuyerAccount | None:
    return await session.get(BuyerAccount, org_id, with_for_update=lock or None)


def add(session: AsyncSession, account: BuyerAccount) -> None:
    session.add(account)


async def ensure(
    session: AsyncSession,
    org_id: uuid.UUID,
    region_id: uuid.UUID,
    kind: str,
    *,
    lock: bool = False,
) -> BuyerAccount:
    """The buyer's account, opened with default terms if missing. A first request and
    identity's approval event may race to open it: ON CONFLICT lets both through."""
    await session.execute(
        insert(BuyerAccount)
        .values(
            org_id=org_id,
            region_id=region_id,
            kind=kind,
            name="",
            payment_methods=list(DEFAULT_PAYMENT_METHODS),
            credit_limit_fen=0,
            terms_days=0,
            status="active",
        )
        .on_conflict_do_nothing(index_elements=[BuyerAccount.org_id])
    )
    account = await session.get(
        BuyerAccount, org_id, populate_existing=True, with_for_update=lock or None
    )
    assert account is not None
    return account


async def in_region(session: AsyncSession, region_id: uuid.UUID) -> list[BuyerAccount]:
    rows = await session.execute(
        select(BuyerAccount).where(BuyerAccount.region_id == region_id).order_by(BuyerAccount.name)
    )
    return list(rows.scalars())


async def open_credit_fen(session: AsyncSession, org_id: uuid.UUID) -> int:
    """Value of the buyer's credit orders not yet closed or cancelled."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Order.placed_total_fen - Order.shortened_fen), 0)).where(
            Order.buyer_org_id == org_id,
            Order.payment_method == "credit",
            Order.status.in_(OPEN_CREDIT_STATUSES),
        )
    )
    return int(total or 0)


async def purchase_history(
    session: AsyncSession, org_id: uuid.UUID, since: datetime
) -> list[tuple[uuid.UUID, datetime, int]]:
    """(offer_id, placed_at, cases) of every line the buyer ordered since `since`."""
    rows = await session.execute(
        select(OrderLine.offer_id, Order.placed_at, OrderLine.cases)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.buyer_org_id == org_id,
            Order.placed_at >= since,
            Order.status != "cancelled",
        )
        .order_by(Order.placed_at)
    )
    return [(r[0], r[1], int(r[2])) for r in rows]
