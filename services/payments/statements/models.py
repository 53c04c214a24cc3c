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
    payable_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), default="open")
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
