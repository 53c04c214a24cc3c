from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from services.catalog.freeform import FreeForm
from services.catalog.products.rules import SORT_FIELDS
from shared.pagination import DEFAULT_LIMIT, MAX_LIMIT
from shared.schemas import Fen, Id, Page, Schema, WriteSchema

Channel = Literal["wholesale", "livestream", "retail"]
Storage = Literal["ambient", "chilled", "frozen"]


class VariantCreate(WriteSchema):
    sku: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200, examples=["250g 玻璃瓶"])
    unit: str = Field(min_length=1, max_length=20, examples=["瓶"])
    net_weight_g: int | None = Field(default=None, ge=1, le=1_000_000)
    volume_cm3: int | None = Field(default=None, ge=1, le=10_000_000)
    packaging: str | None = Field(default=None, max_length=100, examples=["玻璃瓶"])
    retail_price_fen: Fen | None = None


class ProductFields(WriteSchema):
    name: str = Field(min_length=1, max_length=200, examples=["封丘树莓果酱"])
    name_en: str | None = Field(default=None, max_length=200, examples=["Fengqiu raspberry jam"])
    pinyin: str | None = Field(
        default=None,
        max_length=300,
        description="Generated from the name when not given",
        examples=["fengqiu shumei guojiang"],
    )
    category: str = Field(
        min_length=1,
        max_length=100,
        description="An active category of the region (GET /v1/catalog/categories)",
        examples=["树莓"],
    )
    description: str = Field(default="", max_length=5000)
    origin_township: str | None = Field(default=None, max_length=100, examples=["陈固镇"])
    origin_village: str | None = Field(default=None, max_length=100)
    grade: str | None = Field(default=None, max_length=50, examples=["特级"])
    storage: Storage = "ambient"
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)
    storage_notes: str | None = Field(default=None, max_length=500)
    attributes: FreeForm = Field(default_factory=dict, examples=[{"sugar": "低糖"}])
    channels: list[Channel] = Field(default_factory=list)
    retail_price_fen: Fen | None = Field(
        default=None, description="Indicative retail price; wholesale prices live in repository"
    )
    brand_id: Id | None = Field(default=None, description="The public brand to carry (licence)")
    variants: list[VariantCreate] = Field(default_factory=list, max_length=50)

    @field_validator("channels")
    @classmethod
    def unique_channels(cls, value: list[str]) -> list[str]:
        return sorted(set(value))

    @field_validator("variants")
    @classmethod
    def unique_skus(cls, value: list[VariantCreate]) -> list[VariantCreate]:
        skus = [v.sku for v in value]
        if len(skus) != len(set(skus)):
            raise ValueError("SKUs must be unique within a product")
        return value


class ProductCreate(ProductFields):
    supplier_id: Id | None = Field(
        default=None, description="Needed only when the caller belongs to several suppliers"
    )


class ProductUpdate(ProductFields):
    """The whole editable product (variants are matched by SKU)."""


class ReviewAction(WriteSchema):
    reasons: list[str] = Field(default_factory=list, max_length=20)


class Variant(Schema):
    id: Id
    sku: str
    name: str
    unit: str
    net_weight_g: int | None
    volume_cm3: int | None
    packaging: str | None
    retail_price_fen: int | None


class Image(Schema):
    id: Id
    url: str
    thumbnail_url: str
    content_type: str
    width: int
    height: int


class Product(Schema):
    id: Id
    region_id: Id
    supplier_id: Id
    supplier_name: str | None = None
    name: str
    name_en: str | None
    pinyin: str | None
    pinyin_initials: str | None = Field(description="e.g. fqjyhc for 封丘金银花茶")
    category: str
    description: str
    origin_township: str | None
    origin_village: str | None
    grade: str | None
    storage: str
    shelf_life_days: int | None
    storage_notes: str | None
    attributes: dict[str, Any]
    channels: list[str]
    retail_price_fen: int | None
    brand_id: Id | None
    brand: str | None = Field(description="The public brand it carries now (null if unlicensed)")
    certificates: list[str] = Field(description="Kinds of certificate valid today")
    variants: list[Variant]
    images: list[Image]
    listed_at: datetime | None


class ManagedProduct(Product):
    status: str
    review_reasons: list[str]
    on_sale: bool
    certificate_hold: bool
    allowed_actions: list[str]
    version: int
    created_at: datetime
    updated_at: datetime


class HistoryEntry(Schema):
    id: Id
    action: str
    from_status: str | None
    to_status: str | None
    reasons: list[str]
    changes: dict[str, Any]
    actor_user_id: Id | None
    actor_org_id: Id | None
    at: datetime


class ProductPage(Page[Product]):
    pass


PUBLIC_DEFAULT_SORT = "-listed_at"


class PublicListQuery(BaseModel):
    """The public list's query parameters: one model, validated in one call (a dozen
    separate parameters cost FastAPI more per request than the page itself)."""

    region_id: uuid.UUID
    category: str | None = None
    township: str | None = None
    grade: str | None = None
    channel: Channel | None = None
    brand_id: uuid.UUID | None = None
    branded: bool | None = Field(None, description="Only products carrying a brand (or not)")
    supplier_id: uuid.UUID | None = None
    cursor: str | None = Field(
        None, max_length=500, description="`next_cursor` of the previous page; omit for the first"
    )
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})"
    )
    sort: str | None = Field(
        None,
        max_length=60,
        description=f"Sort by one of: {', '.join(SORT_FIELDS)}; prefix `-` for descending. "
        f"Default `{PUBLIC_DEFAULT_SORT}`.",
    )


class ManagedProductPage(Page[ManagedProduct]):
    pass


class ImportRowReport(Schema):
    row: int
    sku: str | None = None
    product: str | None = None
    status: Literal["ok", "error"]
    errors: list[dict[str, str]] = Field(default_factory=list)


class ProductImportReport(Schema):
    imported: bool
    dry_run: bool
    rows: int
    products: int
    variants: int
    product_ids: list[Id] = Field(default_factory=list)
    report: list[ImportRowReport]
