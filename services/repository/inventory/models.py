"""Stock per warehouse and variant, and the ledger of movements it is derived from."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Warehouse(TimestampedMixin, Base):
    __tablename__ = "warehouses"
    __table_args__ = (UniqueConstraint("region_id", "code", name="uq_warehouse_region_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    # The county warehouse receives purchase orders and ships stocked goods.
    is_county_warehouse: Mapped[bool] = mapped_column(default=True)


class StockBalance(Base):
    """The running balance, kept by the same statements that append movements.

    The CHECKs are the last line against oversell: a conditional UPDATE that would
    take available below zero matches no row, and one that slipped past would fail.
    """

    __tablename__ = "stock_balances"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand"),
        CheckConstraint("reserved >= 0", name="reserved"),
        CheckConstraint("on_hand >= reserved", name="available"),
    )

    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    variant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StockMovement(Base):
    """Immutable: one row per change of stock (cases), with what caused it."""

    __tablename__ = "stock_movements"

    seq: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), index=True)
    variant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # receipt, reservation, release, allocation, pick, adjustment, return,
    # transfer_out, transfer_in (see inventory/ledger.py for their effects)
    kind: Mapped[str] = mapped_column(String(20))
    cases: Mapped[int] = mapped_column(Integer)
    on_hand_after: Mapped[int] = mapped_column(Integer)
    reserved_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    order_line_id: Mapped[uuid.UUID | None] = mapped_column()
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Reservation(TimestampedMixin, Base):
    """Stock held for one stocked order line until it is paid (then allocated) or expires."""

    __tablename__ = "reservations"

    order_line_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    variant_id: Mapped[uuid.UUID] = mapped_column()
    cases: Mapped[int] = mapped_column(Integer)
    # held -> allocated (order confirmed and consolidated) | released (cancelled/expired)
    status: Mapped[str] = mapped_column(String(12), default="held", index=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
