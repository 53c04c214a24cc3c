"""Carts, bulk orders, their lines and every transition an order went through."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class CartLine(TimestampedMixin, Base):
    """What a buyer means to order; placing the order empties the cart."""

    __tablename__ = "cart_lines"
    __table_args__ = (CheckConstraint("cases > 0", name="cases"),)

    buyer_org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    cases: Mapped[int] = mapped_column(Integer)


class Order(TimestampedMixin, Base):
    __tablename__ = "orders"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    # From a sequence: the readable number FQ-<local date>-<serial> never repeats and
    # handing it out never makes concurrent placements wait for each other.
    serial: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    placed_by_user_id: Mapped[uuid.UUID | None] = mapped_column()
    # see orders/lifecycle.py
    status: Mapped[str] = mapped_column(String(24), default="placed", index=True)
    payment_method: Mapped[str] = mapped_column(String(20))
    # The window is named by the local date of its cut-off; cutoff_at is that instant.
    window_date: Mapped[date] = mapped_column(Date, index=True)
    cutoff_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivery_date: Mapped[date | None] = mapped_column(Date)
    route_id: Mapped[uuid.UUID | None] = mapped_column()
    stop_id: Mapped[uuid.UUID | None] = mapped_column()
    station_org_id: Mapped[uuid.UUID | None] = mapped_column()
    placed_total_fen: Mapped[int] = mapped_column(BigInteger)
    shortened_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reserved_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    parcels_expected: Mapped[int] = mapped_column(Integer, default=0)
    parcels_delivered: Mapped[int] = mapped_column(Integer, default=0)
    # delivery may report a parcel twice (two event ids): each one counts once
    delivered_parcel_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(Uuid), default=list, server_default="{}"
    )
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)

    @property
    def total_fen(self) -> int:
        return self.placed_total_fen - self.shortened_fen


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no", name="uq_order_line_no"),
        CheckConstraint("cases > 0", name="cases"),
        CheckConstraint("allocated_cases + shortened_cases <= cases", name="settled"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    offer_id: Mapped[uuid.UUID] = mapped_column()
    variant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    fulfilment: Mapped[str] = mapped_column(String(12))
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column()
    cases: Mapped[int] = mapped_column(Integer)
    case_pack: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)  # per case, the tier's price
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    allocated_cases: Mapped[int] = mapped_column(Integer, default=0)
    shortened_cases: Mapped[int] = mapped_column(Integer, default=0)
    purchase_order_line_id: Mapped[uuid.UUID | None] = mapped_column(index=True)

    @property
    def settled(self) -> bool:
        return self.allocated_cases + self.shortened_cases >= self.cases


@dataclass(slots=True)
class PlacedLine:
    """An order line as placement writes it: a plain row (one multi-row INSERT, no ORM
    object per line); the same attributes as OrderLine."""

    id: uuid.UUID
    order_id: uuid.UUID
    line_no: int
    offer_id: uuid.UUID
    variant_id: uuid.UUID
    supplier_id: uuid.UUID
    fulfilment: str
    warehouse_id: uuid.UUID | None
    cases: int
    case_pack: int
    unit_price_fen: int
    amount_fen: int
    allocated_cases: int = 0
    shortened_cases: int = 0
    purchase_order_line_id: uuid.UUID | None = None

    @property
    def settled(self) -> bool:
        return self.allocated_cases + self.shortened_cases >= self.cases

    def row(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class OrderTransition(Base):
    __tablename__ = "order_transitions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(24))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WindowClosure(Base):
    """The operator closed a window before its cut-off ("close now"), for the whole
    region (route_id null) or for one route: its open orders' cut-off became that
    instant, and orders placed afterwards join the next window."""

    __tablename__ = "window_closures"
    __table_args__ = (
        UniqueConstraint("region_id", "window_date", "route_id", name="uq_window_closure"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    window_date: Mapped[date] = mapped_column(Date)
    route_id: Mapped[uuid.UUID | None] = mapped_column()
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_by_user_id: Mapped[uuid.UUID | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(500))
