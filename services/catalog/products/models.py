from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.catalog.db import Base
from shared.db import TimestampedMixin, new_id, utcnow


class Product(TimestampedMixin, Base):
    """A product (SPU) of one supplier; public only once approved and while it may be sold."""

    __tablename__ = "products"
    __table_args__ = (
        # the public list's default order: newest listed first in a county, on sale only
        Index(
            "ix_catalog_products_public_listing",
            "region_id",
            text("listed_at DESC"),
            text("id DESC"),
            postgresql_where=text("on_sale"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    region_id: Mapped[uuid.UUID] = mapped_column(index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    # The supplier's pinyin, or generated from the name (products.pinyin); initials always
    # from the name. Both feed search (typed pinyin, abbreviations, the database fallback).
    pinyin: Mapped[str | None] = mapped_column(String(300))
    pinyin_initials: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    origin_township: Mapped[str | None] = mapped_column(String(100))
    origin_village: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str | None] = mapped_column(String(50))
    storage: Mapped[str] = mapped_column(String(20), default="ambient")
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    storage_notes: Mapped[str | None] = mapped_column(String(500))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    channels: Mapped[list[Any]] = mapped_column(default=list)
    retail_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    brand_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("public_brands.id"), index=True, doc="the brand the supplier asks to carry"
    )
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)
    review_reasons: Mapped[list[Any]] = mapped_column(default=list)
    # Derived, recomputed by products.service.refresh_listing whenever an input changes.
    brand_licence_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    brand_name: Mapped[str | None] = mapped_column(String(100))
    certificate_kinds: Mapped[list[Any]] = mapped_column(default=list)
    certificate_hold: Mapped[bool] = mapped_column(default=False)
    on_sale: Mapped[bool] = mapped_column(default=False, index=True)
    listed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    variants: Mapped[list[Variant]] = relationship(
        lazy="raise", order_by="Variant.position", cascade="all, delete-orphan"
    )
    images: Mapped[list[ProductImage]] = relationship(
        lazy="raise", order_by="ProductImage.position", cascade="all, delete-orphan"
    )


class Variant(TimestampedMixin, Base):
    """A sellable unit (SKU) of a product: its specification and packaging."""

    __tablename__ = "variants"
    __table_args__ = (UniqueConstraint("supplier_id", "sku"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    supplier_id: Mapped[uuid.UUID] = mapped_column()
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    net_weight_g: Mapped[int | None] = mapped_column(Integer)
    volume_cm3: Mapped[int | None] = mapped_column(Integer)
    packaging: Mapped[str | None] = mapped_column(String(100))
    retail_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductImage(Base):
    __tablename__ = "product_images"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    thumbnail_key: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(50))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProductHistory(Base):
    """Audit history: every change and review step of a product, who, when and why."""

    __tablename__ = "product_history"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str | None] = mapped_column(String(30))
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_org_id: Mapped[uuid.UUID | None] = mapped_column()
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class PublicVersion(Base):
    """One row whose `version` changes in the transaction of every change to products,
    variants, product images or suppliers (deferred database triggers, migration
    9b1e2c7d4a10): the public page cache is keyed by it."""

    __tablename__ = "public_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
