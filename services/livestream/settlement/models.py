from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


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
    idempotent; a later export with a new status updates the line).

    `platform_*` and the amounts are what the platform reported; `status` is the line's
    commission status (lifecycle.SALE_LINE: estimated, settled, cancelled, clawed_back);
    the attribution, the rate and the supply price are fixed when the line is first
    recorded; the four shares split the amount kept (paid − refunded)."""

    __tablename__ = "sale_lines"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID]  # (region_id, status) below serves it
    platform: Mapped[str] = mapped_column(String(20))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    commission_rate_bps: Mapped[int] = mapped_column(Integer)  # as the platform reported
    platform_status: Mapped[str] = mapped_column(String(20))  # paid, confirmed, settled, refunded
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    platform_settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pool_entry_id: Mapped[uuid.UUID | None]  # no query filters by it (import cost)
    session_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    streamer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    attributed_by: Mapped[str] = mapped_column(String(20), default="unmatched")
    # fixed at the first record: who else shares the line, at which rate and supply price
    agency_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID | None]  # no query filters by it (import cost)
    catalog_product_id: Mapped[uuid.UUID | None]
    plan_id: Mapped[uuid.UUID | None]
    rate_source: Mapped[str] = mapped_column(String(10), default="none")  # plan, platform, none
    rate_bps: Mapped[int] = mapped_column(Integer, default=0)
    agency_fee_bps: Mapped[int] = mapped_column(Integer, default=0)  # of the paid amount
    agency_share_bps: Mapped[int] = mapped_column(Integer, default=0)  # of the commission
    supply_price_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # per unit
    # the split of the amount kept (settlement/split.py)
    supplier_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    agency_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    streamer_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    base_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(20), default="estimated")
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("platform", "platform_order_id"),
        Index("ix_livestream_sale_lines_region_status", "region_id", "status"),
    )

    @property
    def kept_fen(self) -> int:
        return self.paid_fen - self.refunded_fen


class ReturnWindow(Base):
    """A region's return window per platform (days after delivery/confirmation); 7 if none."""

    __tablename__ = "return_windows"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    days: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[uuid.UUID | None]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CommissionEntry(Base):
    """What a payee earned or gives back on one line: the real commission when the line
    settles, a negative clawback when a refund comes after. Each entry lands on exactly one
    statement (the first one generated for a period ending after it occurred)."""

    __tablename__ = "commission_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    payee_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    payee_kind: Mapped[str] = mapped_column(String(10))  # streamer, agency
    kind: Mapped[str] = mapped_column(String(10))  # commission, clawback
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    statement_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
