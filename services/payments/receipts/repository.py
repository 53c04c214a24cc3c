"""Goods receipt SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.receipts.models import GoodsReceipt

SORT_COLUMNS = {"received_at": GoodsReceipt.received_at}


async def insert_once(session: AsyncSession, values: dict) -> bool:
    """Insert the purchase order's receipt; False when it is already recorded (a second
    delivery of the event, or two workers racing on it)."""
    result = await session.execute(
        insert(GoodsReceipt)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["purchase_order_id"])
        .returning(GoodsReceipt.purchase_order_id)
    )
    return result.scalar() is not None


async def get(session: AsyncSession, purchase_order_id: uuid.UUID) -> GoodsReceipt | None:
    return await session.get(GoodsReceipt, purchase_order_id)


def listing(*, region_id: uuid.UUID | None, supplier_id: uuid.UUID | None) -> Select:
    stmt = select(GoodsReceipt)
    if region_id is not None:
        stmt = stmt.where(GoodsReceipt.region_id == region_id)
    if supplier_id is not None:
        stmt = stmt.where(GoodsReceipt.supplier_id == supplier_id)
    return stmt
