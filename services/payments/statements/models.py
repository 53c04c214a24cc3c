"""Supplier statements per period; once paid they are journalled and frozen."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base
from shared.db import TimestampedMixin, new_id


class SupplierStatement(TimestampedMixin, Base):
    __tablename__ = "supplier_statements"
    __table_args__ = (UniqueConstraint("supplier_id", "month"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    month: Mapped[str] = mapped_column(String(7))
    # the month in the region's calendar when the statement was computed: the instants it
    # covers and the time zone they were counted in (kept, so a paid statement still says
    # what it covered if the region's zone changes later)
    timezone: Mapped[str] = mapped_column(String(64), server_default="Asia/Shanghai")
    period_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sold_fen: Mapped[int] = mapped_column(BigInteger)
    shortages_fen: Mapped[int] = mapped_column(BigInteger)
    fee_fen: Mapped[int] = mapped_column(BigInteger)
    # consigned goods sold live at the base in the month, at their supply price
    consignment_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    payable_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="open")
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConsignmentPayable(Base):
    """A supplier's payable for consigned goods sold live (`livestream.consignment.payable`),
    one per consignment movement; a reversal has a negative quantity and amount."""

    __tablename__ = "consignment_payables"

    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    catalog_product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sale_line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    quantity: Mapped[int] = mapped_column(BigInteger)
    supply_price_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    sold_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
