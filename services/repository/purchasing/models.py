"""Centralized purchasing (集采): consolidation runs, purchase orders and goods receipts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class ConsolidationRun(TimestampedMixin, Base):
    """One per region and window; re-running it finishes what a crashed run left."""

    __tablename__ = "consolidation_runs"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    window_date: Mapped[date] = mapped_column(Date, primary_key=True)
    # queued (asked for, the worker will start it) | running | done
    status: Mapped[str] = mapped_column(String(12), default="running")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # progress the operator polls: orders, then suppliers, then the closing sweep
    phase: Mapped[str] = mapped_column(String(12), default="queued", server_default="queued")
    orders_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    orders_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    suppliers_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    suppliers_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    requested_by_user_id: Mapped[uuid.UUID | None] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    orders: Mapped[int] = mapped_column(Integer, default=0)
    lines: Mapped[int] = mapped_column(Integer, default=0)
    purchase_orders: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PurchaseOrder(TimestampedMixin, Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        UniqueConstraint(
            "region_id",
            "window_date",
            "supplier_id",
            "round_no",
            name="uq_po_window_supplier_round",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    window_date: Mapped[date] = mapped_column(Date, index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # 1 for the window's first purchase order from the supplier; a window consolidated
    # again after the supplier answered (the cut-off was moved later) gets round 2, ...
    round_no: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column()
    # sent -> confirmed | partially_confirmed -> shipped -> received; sent -> cancelled
    status: Mapped[str] = mapped_column(String(24), default="sent", index=True)
    expected_arrival: Mapped[date | None] = mapped_column(Date)
    total_cost_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        UniqueConstraint("purchase_order_id", "variant_id", name="uq_po_line_variant"),
        CheckConstraint("ordered_cases > 0", name="ordered"),
        CheckConstraint("accepted_cases + rejected_cases >= 0", name="received"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id"), index=True
    )
    variant_id: Mapped[uuid.UUID] = mapped_column()
    ordered_cases: Mapped[int] = mapped_column(Integer)
    confirmed_cases: Mapped[int | None] = mapped_column(Integer)
    accepted_cases: Mapped[int] = mapped_column(Integer, default=0)
    rejected_cases: Mapped[int] = mapped_column(Integer, default=0)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    unit_cost_fen: Mapped[int] = mapped_column(BigInteger)


class PurchaseOrderTransition(Base):
    __tablename__ = "purchase_order_transitions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(24))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GoodsReceipt(Base):
    """What the county warehouse accepted and rejected (with quality reasons) for a PO."""

    __tablename__ = "goods_receipts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    purchase_order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("purchase_orders.id"), unique=True
    )
    received_by_user_id: Mapped[uuid.UUID | None] = mapped_column()
    # [{"variant_id", "accepted", "rejected", "reason"}]
    lines: Mapped[list[dict]] = mapped_column(JSONB)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
