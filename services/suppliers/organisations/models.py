from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.suppliers.db import Base
from shared.db import TimestampedMixin

DEFAULT_TIMEZONE = "Asia/Shanghai"


class SupplierOrganisation(TimestampedMixin, Base):
    """Read model of identity's supplier organisations (from identity.organisation.* events)."""

    __tablename__ = "supplier_organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    # the region's IANA zone (identity's events carry it): document validity days are local
    timezone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE
    )
