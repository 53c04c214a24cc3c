from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Identity, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import TimestampedMixin


class Streamer(TimestampedMixin, Base):
    """A streamer organisation's profile (id = identity's organisation id)."""

    __tablename__ = "streamers"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # A small integer per streamer for the booking exclusion constraint (no btree_gist).
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # [{platform, account_id, followers, level}]
    platform_accounts: Mapped[list[Any]] = mapped_column(default=list)
    focus_categories: Mapped[list[Any]] = mapped_column(default=list)
    gmv_30d_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    sales_30d: Mapped[int] = mapped_column(Integer, default=0)
    overdue_samples: Mapped[int] = mapped_column(Integer, default=0)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agencies.id"), index=True)

    @property
    def followers(self) -> int:
        """The largest single account's followers (thresholds judge one audience)."""
        return max((int(a.get("followers", 0)) for a in self.platform_accounts), default=0)

    @property
    def level(self) -> int:
        return max((int(a.get("level", 0)) for a in self.platform_accounts), default=0)


class Agency(TimestampedMixin, Base):
    """A livestream agency (团长/机构): member streamers and its service-fee share."""

    __tablename__ = "agencies"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    service_fee_bps: Mapped[int] = mapped_column(Integer, default=0)
