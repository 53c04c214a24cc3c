from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class SampleRequest(TimestampedMixin, Base):
    """A streamer's sample request for a pool product (lifecycle.SAMPLE)."""

    __tablename__ = "sample_requests"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pool_entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pool_entries.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    streamer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streamers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decide_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    auto_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    return_required: Mapped[bool] = mapped_column(Boolean, default=False)
    carrier: Mapped[str | None] = mapped_column(String(50))
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feature_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    featured_session_id: Mapped[uuid.UUID | None]
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        # one open request per product per streamer, held by the database under concurrency
        Index(
            "uq_sample_requests_one_open",
            "pool_entry_id",
            "streamer_id",
            unique=True,
            postgresql_where=text("status IN ('requested', 'approved', 'shipped', 'received')"),
        ),
    )


class QuotaBands(Base):
    """A region's monthly sample quota by 30-day GMV band: [[min_gmv_fen, quota], ...]."""

    __tablename__ = "sample_quota_bands"

    region_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    bands: Mapped[list[Any]] = mapped_column()
    updated_by: Mapped[uuid.UUID | None]
