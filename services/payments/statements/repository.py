"""Statement SQL."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount
from services.payments.statements.models import SupplierStatement

SORT_COLUMNS = {
    "month": SupplierStatement.month,
    "created_at": SupplierStatement.created_at,
    "updated_at": SupplierStatement.updated_at,
}


async def orders_in_period(
    session: AsyncSession, region_id: uuid.UUID, start: datetime, end: datetime
) -> list[OrderAccount]:
    rows = await session.scalars(
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
    session: AsyncSession, buyer_org_id: uuid.UUID, start: datetime, end: datetime
) -> list[OrderAccount]:
    rows = await session.scalars(
        select(OrderAccount)
        .where(
            OrderAccount.buyer_org_id == buyer_org_id,
            OrderAccount.placed_at >= start,
            OrderAccount.placed_at < end,
        )
        .order_by(OrderAccount.placed_at, OrderAccount.order_id)
    )
    return list(rows)


async def statement(session: AsyncSession, supplier_id: uuid.UUID, month: str):
    return await session.scalar(
        select(SupplierStatement)
        .where(SupplierStatement.supplier_id == supplier_id, SupplierStatement.month == month)
        .with_for_update()
    )


async def get(session: AsyncSession, statement_id: uuid.UUID, *, lock: bool = False):
    stmt = select(SupplierStatement).where(SupplierStatement.id == statement_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def for_region_month(
    session: AsyncSession, region_id: uuid.UUID, month: str
) -> list[SupplierStatement]:
    rows = await session.scalars(
        select(SupplierStatement)
        .where(SupplierStatement.region_id == region_id, SupplierStatement.month == month)
        .order_by(SupplierStatement.supplier_id)
    )
    return list(rows)


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


def listing(
    *,
    region_id: uuid.UUID | None,
    supplier_id: uuid.UUID | None,
    month: str | None,
    status: str | None,
) -> Select:
    stmt = select(SupplierStatement)
    if region_id is not None:
        stmt = stmt.where(SupplierStatement.region_id == region_id)
    if supplier_id is not None:
        stmt = stmt.where(SupplierStatement.supplier_id == supplier_id)
    if month is not None:
        stmt = stmt.where(SupplierStatement.month == month)
    if status is not None:
        stmt = stmt.where(SupplierStatement.status == status)
    return stmt
