from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.catalog.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Certificate(TimestampedMixin, Base):
    """An inspection report, compliance certificate (合格证), organic/green food or GI certificate."""

    __tablename__ = "certificates"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    issuer: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    required: Mapped[bool] = mapped_column(default=True)
    result: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    file_key: Mapped[str | None] = mapped_column(String(300))
    file_content_type: Mapped[str | None] = mapped_column(String(50))


class CatalogNotification(Base):
    """A message to a supplier (certificate about to expire, product hidden)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("certificate_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"))
    product_id: Mapped[uuid.UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    due_date: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
