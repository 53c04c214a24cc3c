from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.catalog.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class PublicBrand(TimestampedMixin, Base):
    """A region's public brand (区域公共品牌), e.g. 封丘金银花."""

    __tablename__ = "public_brands"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(100))
    story: Mapped[str] = mapped_column(Text, default="")
    logo_key: Mapped[str | None] = mapped_column(String(300))
    logo_content_type: Mapped[str | None] = mapped_column(String(50))
    vi_assets: Mapped[list[Any]] = mapped_column(default=list)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    trademark_classes: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[uuid.UUID | None] = mapped_column()


class BrandLicence(TimestampedMixin, Base):
    """The right of one supplier to sell named products under the brand, for a period."""

    __tablename__ = "brand_licences"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    brand_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("public_brands.id"), index=True)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    number: Mapped[str] = mapped_column(String(64))
    product_ids: Mapped[list[Any]] = mapped_column(default=list)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    status_reason: Mapped[str | None] = mapped_column(String(500))


class LicenceTransition(Base):
    """Who moved a licence from one status to another, when and why."""

    __tablename__ = "brand_licence_transitions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    licence_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("brand_licences.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
