"""Goods receipt SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.receipts.models import GoodsReceipt
from shared.auth import Principal, scope_to_caller

SORT_COLUMNS = {"received_at": GoodsReceipt.received_at}


class GoodsReceiptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select:
        """Receipts the caller may see: its supplier's, or its region's as operator."""
        return scope_to_caller(
            select(GoodsReceipt),
            principal,
            GoodsReceipt.supplier_id,  # type: ignore[arg-type]
            region_column=GoodsReceipt.region_id,  # type: ignore[arg-type]
        )

    async def insert_once(self, values: dict) -> bool:
        """Insert the purchase order's receipt; False when it is already recorded (a second
        delivery of the event, or two workers racing on it)."""
        result = await self.session.execute(
            insert(GoodsReceipt)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["purchase_order_id"])
            .returning(GoodsReceipt.purchase_order_id)
        )
        return result.scalar() is not None

    async def get(self, purchase_order_id: uuid.UUID) -> GoodsReceipt | None:
        return await self.session.get(GoodsReceipt, purchase_order_id)

    def listing(
        self,
        principal: Principal,
        *,
        region_id: uuid.UUID | None,
        supplier_id: uuid.UUID | None,
    ) -> Select:
        stmt = self.readable(principal)
        if region_id is not None:
            stmt = stmt.where(GoodsReceipt.region_id == region_id)
        if supplier_id is not None:
            stmt = stmt.where(GoodsReceipt.supplier_id == supplier_id)
        return stmt
