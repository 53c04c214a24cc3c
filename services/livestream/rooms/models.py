from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, String, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id


class Room(TimestampedMixin, Base):
    """A studio room of the base, with its equipment and opening hours in local time."""

    __tablename__ = "rooms"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    # A small integer per room for the booking exclusion constraint (no btree_gist).
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(100))
    equipment: Mapped[list[Any]] = mapped_column(default=list)
    opens_at: Mapped[str] = mapped_column(String(5), default="08:00")  # HH:MM local
    closes_at: Mapped[str] = mapped_column(String(5), default="23:00")  # HH:MM local, 24:00 ok
    active: Mapped[bool] = mapped_column(default=True)


class Booking(TimestampedMixin, Base):
    """A room held for a streamer over [starts_at, ends_at).

    Two exclusion constraints refuse overlaps for the same room and the same streamer
    while booked. Without btree_gist, equality on the room is `int8range(seq, seq, '[]')
    WITH &&` (two one-point ranges overlap exactly when the numbers are equal).
    """

    __tablename__ = "bookings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rooms.id"), index=True)
    room_seq: Mapped[int] = mapped_column(BigInteger)
    streamer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streamers.id"), index=True)
    streamer_seq: Mapped[int] = mapped_column(BigInteger)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="booked")  # lifecycle.BOOKING
    booked_by: Mapped[uuid.UUID]

    __table_args__ = (
        ExcludeConstraint(
            (text("int8range(room_seq, room_seq, '[]')"), "&&"),
            (text("tstzrange(starts_at, ends_at)"), "&&"),
            using="gist",
            where=text("status = 'booked'"),
            name="bookings_room_no_overlap",
        ),
        ExcludeConstraint(
            (text("int8range(streamer_seq, streamer_seq, '[]')"), "&&"),
            (text("tstzrange(starts_at, ends_at)"), "&&"),
            using="gist",
            where=text("status = 'booked'"),
            name="bookings_streamer_no_overlap",
        ),
    )
