from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id


class LiveSession(TimestampedMixin, Base):
    """A live session on a booking: planned → live → ended, or cancelled (lifecycle.SESSION)."""

    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id"), unique=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id"), index=True)
    streamer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streamers.id"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    link_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    planned_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    planned_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="planned")
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LineupItem(Base):
    """A pool product in a session's lineup, in order, with its live price and stock cap."""

    __tablename__ = "lineup_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    pool_entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pool_entries.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(index=True)
    live_price_fen: Mapped[int] = mapped_column(BigInteger)
    stock_cap: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        UniqueConstraint("session_id", "pool_entry_id"),
    )
