from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.suppliers.db import Base
from shared.db import TimestampedMixin, new_id


class QualificationDocument(TimestampedMixin, Base):
    """A qualification (licence, inspection report, certificate) and its stored file."""

    __tablename__ = "qualification_documents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    supplier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("suppliers.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(100))
    issuer: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True, comment="null: no expiry")
    # pending -> accepted | changes_requested; superseded when replaced by a newer upload
    review_status: Mapped[str] = mapped_column(String(20), default="pending")
    review_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[uuid.UUID | None]
    storage_key: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(200))
    uploaded_by: Mapped[uuid.UUID]
