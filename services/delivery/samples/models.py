from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.delivery.db import Base
from shared.db import TimestampedMixin, new_id


class SampleParcel(TimestampedMixin, Base):
    """A parcel outside the village network: a livestream sample from its supplier to the
    streamer at the base, carried by the supplier's carrier (samples/lifecycle.SAMPLE_PARCEL)."""

    __tablename__ = "sample_parcels"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    source: Mapped[str] = mapped_column(String(30), default="livestream_sample")
    # the livestream sample request: one parcel per sample, however often the event comes
    reference_id: Mapped[uuid.UUID]
    sender_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    recipient_org_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID | None]
    carrier: Mapped[str] = mapped_column(String(50))
    tracking_number: Mapped[str] = mapped_column(String(60), index=True)
    # in_transit -> delivered | returned
    status: Mapped[str] = mapped_column(String(20), default="in_transit")
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recipient_name: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        UniqueConstraint("source", "reference_id", name="uq_sample_parcels_reference"),
    )
