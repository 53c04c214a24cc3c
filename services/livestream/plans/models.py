from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Plan(TimestampedMixin, Base):
    """A commission plan on a pool product (kind: open, directed, exclusive, agency)."""

    __tablename__ = "plans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pool_entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pool_entries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="active")  # lifecycle.PLAN
    service_fee_bps: Mapped[int] = mapped_column(Integer, default=0)  # agency activity
    streamer_ids: Mapped[list[Any]] = mapped_column(default=list)  # directed: named streamers
    min_level: Mapped[int | None] = mapped_column(Integer)  # directed: or a minimum level
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)  # directed
    streamer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # exclusive
    agency_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # agency activity
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[uuid.UUID]

    __table_args__ = (
        Index(
            "uq_plans_one_open_per_entry",
            "pool_entry_id",
            unique=True,
            postgresql_where=text("kind = 'open' AND status = 'active'"),
        ),
    )


class PlanRate(Base):
    """Every rate a plan had or will have: who set it, why, and when it takes effect."""

    __tablename__ = "plan_rates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    rate_bps: Mapped[int] = mapped_column(Integer)
    previous_bps: Mapped[int | None] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(10))  # set, raise, cut
    effective_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    actor_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(String(500))


class PlanApplication(TimestampedMixin, Base):
    """A streamer's application to a directed plan."""

    __tablename__ = "plan_applications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    streamer_id: Mapped[uuid.UUID] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # lifecycle.APPLICATION
    decided_by: Mapped[str | None] = mapped_column(String(10))  # rule, supplier
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("uq_plan_applications_plan_streamer", "plan_id", "streamer_id", unique=True),
    )
