"""What the platform cannot see, recorded by the operator with evidence; and its settings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.insights.db import Base
from shared.db import new_id, utcnow


class RegionSettings(Base):
    """The national rural average growth the operator enters, and target overrides."""

    __tablename__ = "region_settings"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # national rural online retail growth, year on year, in basis points (1 % = 100)
    national_rural_growth_bp: Mapped[int | None] = mapped_column(Integer)
    targets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[uuid.UUID | None]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecordedFigure(Base):
    """One entry: e.g. a training session with its attendees, a media report, new shops."""

    __tablename__ = "recorded_figures"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(40))
    on_date: Mapped[date] = mapped_column(Date)
    value: Mapped[int] = mapped_column(BigInteger)
    advanced: Mapped[int] = mapped_column(BigInteger, default=0)
    township: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID]
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("recorded_figures.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    filename: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
