"""Read model of identity's regions: the time zone a region's calendar runs in."""

from __future__ import annotations

import uuid

from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from services.payments.db import Base

# a region payments has not heard of yet (its identity event is still on its way)
DEFAULT_TIMEZONE = "Asia/Shanghai"


class Region(Base):
    """Kept from identity.organisation.* events, which carry the region's IANA time zone."""

    __tablename__ = "regions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
