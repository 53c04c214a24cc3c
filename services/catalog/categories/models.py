from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.catalog.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Category(TimestampedMixin, Base):
    """A product category of a region (品类), managed by its operator, e.g. 金银花, 农资.

    Products and brands name categories by `name`: a rename rewrites them, a retired
    category stays on what already has it but cannot be chosen again.
    """

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column()


class CategoryChange(Base):
    """Who created, renamed, retired or reinstated a category, when and why."""

    __tablename__ = "category_changes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_name: Mapped[str | None] = mapped_column(String(100))
    to_name: Mapped[str] = mapped_column(String(100))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
