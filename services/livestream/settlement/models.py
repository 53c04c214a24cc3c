from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id


class PlatformProduct(Base):
    """A platform's product id mapped once to a pool entry (remembered for every import)."""

    __tablename__ = "platform_products"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    platform: Mapped[str] = mapped_column(String(20))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    pool_entry_id: Mapped[uuid.UUID] = mapped_column(index=True)

    __table_args__ = (UniqueConstraint("region_id", "platform", "platform_product_id"),)


class SaleLine(TimestampedMixin, Base):
    """One platform order line, keyed by platform and platform order id (imports are
    idempotent; a later export with a new status updates the line)."""

    __tablename__ = "sale_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    platform: Mapped[str] = mapped_column(String(20))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str | None] = mapped_column(String(64))
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    commission_rate_bps: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # paid, confirmed, settled, refunded
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pool_entry_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    streamer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    attributed_by: Mapped[str] = mapped_column(String(20), default="unmatched")

    __table_args__ = (UniqueConstraint("platform", "platform_order_id"),)
