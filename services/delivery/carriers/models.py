from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.delivery.db import Base
from shared.db import TimestampedMixin, new_id


class AddressReview(TimestampedMixin, Base):
    """A carrier's parcel whose address matched no station: waits for a person to assign it."""

    __tablename__ = "address_reviews"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    carrier: Mapped[str] = mapped_column(String(50))
    tracking_number: Mapped[str] = mapped_column(String(40))
    township: Mapped[str | None] = mapped_column(String(100))
    village: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(500))
    delivery_date: Mapped[date] = mapped_column(Date)
    weight_g: Mapped[int] = mapped_column(Integer)
    volume_cm3: Mapped[int] = mapped_column(Integer)
    # open -> assigned (a person chose the station) | returned (back to the carrier)
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("carrier", "tracking_number"),)
