from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from shared.schemas import Id, Schema, WriteSchema


class VIAsset(WriteSchema):
    name: str = Field(min_length=1, max_length=100, examples=["标准色"])
    value: str = Field(min_length=1, max_length=500, examples=["#C8102E"])


class BrandFields(WriteSchema):
    name: str = Field(min_length=1, max_length=100, examples=["封丘树莓"])
    story: str = Field(default="", max_length=10000)
    categories: list[str] = Field(default_factory=list, examples=[["树莓", "金银花", "芹菜"]])
    trademark_classes: list[int] = Field(
        default_factory=list, description="Nice classes, 1-45", examples=[[29, 31]]
    )
    vi_assets: list[VIAsset] = Field(default_factory=list)

    @model_validator(mode="after")
    def classes_in_range(self) -> BrandFields:
        if any(not 1 <= c <= 45 for c in self.trademark_classes):
            raise ValueError("trademark classes are 1 to 45")
        return self


class BrandCreate(BrandFields):
    region_id: Id = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])


class BrandUpdate(BrandFields):
    pass


class Brand(Schema):
    id: Id
    region_id: Id
    name: str
    story: str
    categories: list[str]
    trademark_classes: list[int]
    vi_assets: list[dict[str, Any]]
    logo_url: str | None = None


class LicenceCreate(WriteSchema):
    supplier_id: Id = Field(examples=["3b9d6c2e-1f4a-4e8b-9c7d-5a6b7c8d9e0f"])
    product_ids: list[Id] = Field(
        default_factory=list, max_length=500, examples=[["8a1e4c6f-2b3d-4f5a-8c9e-0d1f2a3b4c5d"]]
    )
    valid_from: date = Field(examples=["2026-01-01"])
    valid_until: date = Field(examples=["2028-12-31"])
    number: str | None = Field(
        default=None,
        max_length=64,
        examples=["FQJYH-2026-0012"],
        description="Generated when omitted",
    )

    @model_validator(mode="after")
    def period(self) -> LicenceCreate:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class LicenceProducts(WriteSchema):
    product_ids: list[Id] = Field(
        max_length=500, examples=[["8a1e4c6f-2b3d-4f5a-8c9e-0d1f2a3b4c5d"]]
    )


class LicenceAction(WriteSchema):
    reason: str | None = Field(default=None, max_length=500)
    valid_until: date | None = Field(default=None, description="New end date (renew)")


LicenceActionName = Literal["suspend", "reinstate", "revoke", "renew"]


class LicenceTransition(Schema):
    action: str
    from_status: str
    to_status: str
    reason: str | None
    actor_user_id: Id | None
    at: datetime


class Licence(Schema):
    id: Id
    brand_id: Id
    region_id: Id
    supplier_id: Id
    number: str
    product_ids: list[Id]
    valid_from: date
    valid_until: date
    status: str
    status_reason: str | None
    allowed_actions: list[str] = []
    history: list[LicenceTransition] = []
