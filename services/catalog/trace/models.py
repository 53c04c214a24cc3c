from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.catalog.db import Base
from shared.db import new_id, utcnow


class Lot(Base):
    """A lot (批次) of one product from one supplier; its code is printed on the label."""

    __tablename__ = "lots"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20))
    produced_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LotEvent(Base):
    """An EPCIS-like event: what, when, where, why, who. Append-only (a trigger refuses edits)."""

    __tablename__ = "lot_events"
    __table_args__ = (UniqueConstraint("lot_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lots.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    biz_step: Mapped[str] = mapped_column(String(30))
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    location_kind: Mapped[str] = mapped_column(String(30))
    location_name: Mapped[str] = mapped_column(String(200))
    township: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    unit: Mapped[str | None] = mapped_column(String(20))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_org_id: Mapped[uuid.UUID | None] = mapped_column()
    recorded_by: Mapped[uuid.UUID | None] = mapped_column()
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    corrects_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lot_events.id"))
    correction_reason: Mapped[str | None] = mapped_column(String(500))
