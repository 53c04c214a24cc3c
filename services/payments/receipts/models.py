"""Goods the county warehouse received from a supplier against a purchase order."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base


class GoodsReceipt(Base):
    """One per purchase order (repository.purchase_order.received), kept as a memo beside
    the supplier's payable: it is never journalled as money (ledger.core.goods_received_memo
    says why)."""

    __tablename__ = "goods_receipts"

    purchase_order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # [{variant_id, accepted, rejected, unit_cost_fen}] as the repository sent them
    lines: Mapped[list] = mapped_column(JSON, default=list)
    accepted_amount_fen: Mapped[int] = mapped_column(BigInteger)
    rejected_amount_fen: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
