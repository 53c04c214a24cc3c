"""Frozen figures: what the dashboard said at a moment, readable later unchanged."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.insights.db import Base
from shared.db import new_id, utcnow


class Snapshot(Base):
    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("region_id", "year", "label"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    year: Mapped[int] = mapped_column(Integer)
    # nightly-YYYY-MM-DD, or what the operator named it
    label: Mapped[str] = mapped_column(String(80))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    figures: Mapped[dict[str, Any]] = mapped_column()
