from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from shared.schemas import Id, Schema, WriteSchema

Kind = Literal[
    "inspection_report",
    "compliance_certificate",
    "organic",
    "green_food",
    "geographical_indication",
]


class ComplianceDetails(WriteSchema):
    """食用农产品承诺达标合格证: what the producer commits to for this quantity."""

    producer: str = Field(min_length=1, max_length=200, examples=["封丘县绿源树莓合作社"])
    product_name: str = Field(min_length=1, max_length=200, examples=["鲜树莓"])
    quantity: str = Field(min_length=1, max_length=50, examples=["500 kg"])
    issued_on: date
    contact: str = Field(min_length=1, max_length=100, examples=["13800000000"])
    address: str | None = Field(default=None, max_length=300)
    commitments: list[str] = Field(
        min_length=1,
        examples=[
            [
                "不使用禁用农药兽药",
                "遵守农药安全间隔期",
                "销售的食用农产品符合农药兽药残留食品安全国家强制性标准",
            ]
        ],
    )


class CertificateCreate(WriteSchema):
    kind: Kind
    issuer: str = Field(min_length=1, max_length=200)
    number: str = Field(min_length=1, max_length=100)
    valid_from: date | None = None
    valid_until: date | None = None
    required: bool = Field(
        default=True, description="The product is hidden from sale while no valid one of this kind"
    )
    result: str | None = Field(default=None, max_length=200, examples=["合格"])
    lot_code: str | None = Field(default=None, description="Attach to one lot of the product")
    details: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def check(self) -> CertificateCreate:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        if self.kind == "compliance_certificate":
            self.details = ComplianceDetails.model_validate(self.details).model_dump(mode="json")
        return self


class Certificate(Schema):
    id: Id
    product_id: Id
    lot_id: Id | None
    supplier_id: Id
    kind: str
    issuer: str
    number: str
    valid_from: date | None
    valid_until: date | None
    required: bool
    result: str | None
    details: dict[str, Any]
    has_file: bool = False
    created_at: datetime


class Notification(Schema):
    id: Id
    certificate_id: Id
    product_id: Id
    kind: str
    due_date: date
    message: str
    created_at: datetime
    read_at: datetime | None


class CertificateCheckRun(Schema):
    """What one run of the certificate check did (the daily job or an operator's "run now")."""

    as_of: date
    held: int = Field(description="Products taken off sale: a required certificate lapsed")
    released: int = Field(description="Products back on sale: the lapsed kind was renewed")
    warnings: int = Field(description="Suppliers warned 30 or 7 days ahead")
    licences_expired: int
