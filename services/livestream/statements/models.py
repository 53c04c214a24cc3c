from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id


class Statement(TimestampedMixin, Base):
    """A payee's commission statement for one local month (lifecycle.STATEMENT: draft →
    approved → paid, or → settled when its total is <= 0). Once approved its entries and
    total never change. `carried_in_fen` is the opening line: the total (<= 0) of the
    payee's earlier settled statement, carried into this one (`carried_into_id` there)."""

    __tablename__ = "statements"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    payee_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    payee_kind: Mapped[str] = mapped_column(String(10))  # streamer, agency
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM, the region's local month
    status: Mapped[str] = mapped_column(String(10), default="draft")
    commission_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    clawback_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    carried_in_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    line_count: Mapped[int] = mapped_column(Integer, default=0)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[uuid.UUID | None]
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_fen: Mapped[int | None] = mapped_column(BigInteger)
    bank_batch_id: Mapped[str | None] = mapped_column(String(64))
    carried_into_id: Mapped[uuid.UUID | None] = mapped_column(index=True)

    __table_args__ = (UniqueConstraint("payee_org_id", "payee_kind", "period"),)
