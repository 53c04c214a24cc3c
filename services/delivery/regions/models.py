from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.delivery.db import Base

DEFAULT_TIMEZONE = "Asia/Shanghai"


class Region(Base):
    """Read model of identity's regions: the time zone business days are counted in."""

    __tablename__ = "regions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
