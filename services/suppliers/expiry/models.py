from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.suppliers.db import Base
from shared.db import TimestampedMixin, new_id


class SupplierNotification(TimestampedMixin, Base):
    """Something the supplier should act on (a document about to expire, or expired).

    One per (document, kind): the daily job may run again without repeating itself.
    """

    __tablename__ = "supplier_notifications"
    __table_args__ = (UniqueConstraint("document_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    document_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(
        String(40), comment="expires_in_30_days, expires_in_7_days, expired"
    )
    due_date: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
