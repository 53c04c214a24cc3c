"""The read model: facts copied from other services' events, and two monthly roll-ups.

Facts are keyed by the producer's ids, so a repeated fact changes nothing; the roll-ups
(sales per month and variant, sales per month and station) move only when a fact is
first recorded, which keeps the dashboard's reads small whatever the order of events.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.insights.db import Base


class Region(Base):
    __tablename__ = "regions"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")


class Organisation(Base):
    """Organisations from identity; a station's township is learned from its parcels."""

    __tablename__ = "organisations"

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str | None] = mapped_column(String(20))
    township: Mapped[str | None] = mapped_column(String(100))


class Supplier(Base):
    __tablename__ = "suppliers"

    supplier_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    township: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str | None] = mapped_column(String(20))
    supports_households: Mapped[bool] = mapped_column(Boolean, default=False)
    # occurred_at of the event the row was last set from: an older event changes nothing
    as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HouseholdLink(Base):
    """A supplier's link to a poverty-alleviated or monitored household (kind only: the
    county's household references stay in the suppliers service)."""

    __tablename__ = "household_links"

    link_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    household_kind: Mapped[str] = mapped_column(String(24))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class Product(Base):
    __tablename__ = "products"

    product_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(200), index=True)
    first_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delisted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Variant(Base):
    __tablename__ = "variants"

    variant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(index=True)


class Order(Base):
    """What is known of an order; any of its events may arrive first."""

    __tablename__ = "orders"

    order_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    buyer_org_id: Mapped[uuid.UUID | None]
    placed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    month: Mapped[date | None] = mapped_column(Date)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OrderLine(Base):
    __tablename__ = "order_lines"

    line_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    variant_id: Mapped[uuid.UUID]
    supplier_id: Mapped[uuid.UUID]
    quantity: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class OrderAdjustment(Base):
    """Value taken off a line after placing (a shortage refunded or credited)."""

    __tablename__ = "order_adjustments"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    line_id: Mapped[uuid.UUID] = mapped_column(index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class SalesByVariant(Base):
    """Net sales (placed, less shortages, cancelled orders removed) per local month."""

    __tablename__ = "sales_by_variant"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    variant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    supplier_id: Mapped[uuid.UUID]
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    lines: Mapped[int] = mapped_column(Integer, default=0)


class SalesByStation(Base):
    """Net order value per buyer (station or shop) and local month."""

    __tablename__ = "sales_by_station"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    orders: Mapped[int] = mapped_column(Integer, default=0)


class Parcel(Base):
    __tablename__ = "parcels"

    parcel_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    order_id: Mapped[uuid.UUID | None]
    station_org_id: Mapped[uuid.UUID | None]
    run_id: Mapped[uuid.UUID | None]
    township: Mapped[str | None] = mapped_column(String(100))
    carrier: Mapped[str | None] = mapped_column(String(50))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    month: Mapped[date] = mapped_column(Date, index=True)


class Run(Base):
    __tablename__ = "runs"

    run_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    delivery_date: Mapped[date | None] = mapped_column(Date)
    month: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    cost_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    weight_g: Mapped[int] = mapped_column(BigInteger, default=0)
    parcels: Mapped[int] = mapped_column(Integer, default=0)


class StreamSession(Base):
    """A livestream session and what it sold (GMV)."""

    __tablename__ = "stream_sessions"

    session_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    month: Mapped[date | None] = mapped_column(Date)
    gmv_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class DeliveriesByMonth(Base):
    """Delivered parcels per local month, stop township and carrier ('' when unknown),
    moved once when a parcel is first recorded."""

    __tablename__ = "deliveries_by_month"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    township: Mapped[str] = mapped_column(String(100), primary_key=True)
    carrier: Mapped[str] = mapped_column(String(50), primary_key=True)
    delivered: Mapped[int] = mapped_column(Integer, default=0)
    timed: Mapped[int] = mapped_column(Integer, default=0)
    within: Mapped[int] = mapped_column(Integer, default=0)


class StreamSaleLine(Base):
    """A livestream sale line as last published (`livestream.sale_line.recorded`): only a
    higher `version` replaces it, so a late or repeated event changes nothing."""

    __tablename__ = "stream_sale_lines"

    line_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID | None]
    product_id: Mapped[uuid.UUID | None]
    month: Mapped[date] = mapped_column(Date)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_fen: Mapped[int] = mapped_column(BigInteger)
    net_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(BigInteger)


class StreamSalesByMonth(Base):
    """Livestream GMV (paid less refunded) per local month of payment, supplier and catalog
    product (the nil UUID when the line names none)."""

    __tablename__ = "stream_sales_by_month"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    gmv_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    lines: Mapped[int] = mapped_column(Integer, default=0)
