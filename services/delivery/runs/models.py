from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.delivery.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Run(TimestampedMixin, Base):
    """One vehicle trip along a route on a delivery date (a second one takes the overflow)."""

    __tablename__ = "runs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20), default="route")  # route, ad_hoc, collection
    route_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("routes.id"))
    delivery_date: Mapped[date] = mapped_column(Date, index=True)
    trip: Mapped[int] = mapped_column(Integer, default=1)
    vehicle_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vehicles.id"))
    driver_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # planned -> in_transit -> completed, or planned -> cancelled (lifecycle.RUN)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    volume_cm3: Mapped[int] = mapped_column(Integer, default=0)
    overloaded: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("route_id", "delivery_date", "trip"),)


class RunTransition(Base):
    """A run's history: its planning, every status change and reassignment, who and when."""

    __tablename__ = "run_transitions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(16), comment="driver or dispatcher")
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunStop(Base):
    """A stop of an ad-hoc or collection run, in driving order, with its planned arrival."""

    __tablename__ = "run_stops"

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    stop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stops.id"))
    eta: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    demand_g: Mapped[int] = mapped_column(Integer, default=0)
    collected_weight_g: Mapped[int | None] = mapped_column(Integer)
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Parcel(TimestampedMixin, Base):
    __tablename__ = "parcels"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    tracking_number: Mapped[str] = mapped_column(String(40), unique=True)
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    station_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    stop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stops.id"))
    route_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routes.id"))
    stop_sequence: Mapped[int] = mapped_column(Integer)
    delivery_date: Mapped[date] = mapped_column(Date, index=True)
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("runs.id"), index=True)
    weight_g: Mapped[int] = mapped_column(Integer)
    volume_cm3: Mapped[int] = mapped_column(Integer)
    chilled: Mapped[bool] = mapped_column(Boolean, default=False)
    cod_amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    pickup_code: Mapped[str | None] = mapped_column(String(10))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recipient_name: Mapped[str | None] = mapped_column(String(100))
    carrier: Mapped[str | None] = mapped_column(String(50), index=True)
    proof_key: Mapped[str | None] = mapped_column(String(300))
    cod_collected_fen: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("station_org_id", "delivery_date", "pickup_code", name="uq_pickup_code"),
    )


class ParcelEvent(Base):
    """Tracking history: every status change with who, when and why."""

    __tablename__ = "parcel_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    parcel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parcels.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
