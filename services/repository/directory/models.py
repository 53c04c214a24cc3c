"""What the repository knows of other services' records: regions, suppliers, catalog
variants and delivery routes (read models fed by events, never edited by hand)."""

from __future__ import annotations

import uuid
from datetime import time
from typing import NamedTuple

from sqlalchemy import ARRAY, Boolean, ForeignKey, Integer, String, Time
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.repository.db import Base
from shared.db import TimestampedMixin

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_CUTOFF = time(16, 0)


class RegionRules(NamedTuple):
    """What placing an order reads of its region, as a plain row (no ORM object)."""

    id: uuid.UUID
    timezone: str
    cutoff_time: time
    reservation_minutes: int


class Region(TimestampedMixin, Base):
    """A county as the repository sees it: its time zone and its order cut-off rules."""

    __tablename__ = "regions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    # Local wall-clock time at which each day's order window closes.
    cutoff_time: Mapped[time] = mapped_column(Time, default=DEFAULT_CUTOFF)
    # How long stock stays reserved for an order that is not yet paid.
    reservation_minutes: Mapped[int] = mapped_column(Integer, default=120)
    # Delivered orders close (and settle) after this many hours without a dispute.
    close_after_hours: Mapped[int] = mapped_column(Integer, default=48)


class KnownSupplier(TimestampedMixin, Base):
    """A supplier may sell while identity (organisation) and suppliers (review) both let it."""

    __tablename__ = "suppliers"

    org_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    organisation_status: Mapped[str] = mapped_column(String(20), default="active")
    supplier_status: Mapped[str] = mapped_column(String(20), default="active")
    reason: Mapped[str | None] = mapped_column(String(500))

    @property
    def sellable(self) -> bool:
        return supplier_sellable(self.organisation_status, self.supplier_status)


def supplier_sellable(organisation_status: str | None, supplier_status: str | None) -> bool:
    """Identity and the suppliers' review both let the supplier sell (None: not known yet)."""
    return organisation_status == "active" and supplier_status == "active"


class CatalogVariant(TimestampedMixin, Base):
    """A catalog SKU with what ordering, packing and delivery need to know of it."""

    __tablename__ = "catalog_variants"

    variant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_name: Mapped[str] = mapped_column(String(200))
    variant_name: Mapped[str] = mapped_column(String(200), default="")
    sku: Mapped[str | None] = mapped_column(String(80))
    unit: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str | None] = mapped_column(String(100))
    brand: Mapped[str | None] = mapped_column(String(200))
    storage: Mapped[str] = mapped_column(String(20), default="ambient")
    net_weight_g: Mapped[int | None] = mapped_column(Integer)
    volume_cm3: Mapped[int | None] = mapped_column(Integer)
    channels: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    # False once catalog delists the product (or drops the variant).
    listed: Mapped[bool] = mapped_column(Boolean, default=True)
    delist_reason: Mapped[str | None] = mapped_column(String(500))


class RouteSchedule(TimestampedMixin, Base):
    """A fixed delivery route: the weekdays it runs decide an order's delivery date."""

    __tablename__ = "routes"

    route_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer))  # ISO, Monday = 1
    departure_time: Mapped[str] = mapped_column(String(5), default="06:00")
    stops: Mapped[list[dict]] = mapped_column(JSONB, default=list)


class RouteStopRef(Base):
    """Which route serves a stop (and the station organisation at it)."""

    __tablename__ = "route_stops"

    route_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("routes.route_id", ondelete="CASCADE"), primary_key=True
    )
    stop_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    station_org_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    sequence: Mapped[int] = mapped_column(Integer)
