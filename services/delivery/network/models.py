from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.delivery.db import Base
from shared.db import TimestampedMixin, new_id

STOP_KINDS = ("warehouse", "hub", "station", "farm")


class Stop(TimestampedMixin, Base):
    """A place on the network: the county warehouse, a township hub or a village station."""

    __tablename__ = "stops"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    township: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    station_org_id: Mapped[uuid.UUID | None] = mapped_column(index=True, unique=True)
    supplier_org_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    opening_hours: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class Vehicle(TimestampedMixin, Base):
    __tablename__ = "vehicles"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    plate: Mapped[str] = mapped_column(String(20))
    max_weight_g: Mapped[int] = mapped_column(Integer)
    max_volume_cm3: Mapped[int] = mapped_column(Integer)
    cold_chain: Mapped[bool] = mapped_column(Boolean, default=False)
    cost_per_run_fen: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("region_id", "plate"),)


class Route(TimestampedMixin, Base):
    """A fixed route: ordered stops, the weekdays it runs, its local departure time, vehicle."""

    __tablename__ = "routes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    weekdays: Mapped[list[int]] = mapped_column(JSON)
    departure_time: Mapped[time] = mapped_column(Time)
    vehicle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vehicles.id"))
    driver_user_id: Mapped[uuid.UUID | None]


class RouteStop(Base):
    __tablename__ = "route_stops"

    route_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routes.id"), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    stop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stops.id"), index=True)
