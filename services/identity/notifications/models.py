from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.identity.db import Base
from shared.db import TimestampedMixin, new_id


class Notification(TimestampedMixin, Base):
    """Something an organisation should look at (e.g. an operator: a new application)."""

    __tablename__ = "notifications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    organisation_id: Mapped[uuid.UUID] = mapped_column(index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[uuid.UUID | None]
    message: Mapped[str] = mapped_column(Text)
    source_event_id: Mapped[uuid.UUID | None]
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
