from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from services.catalog.freeform import FreeForm
from shared.schemas import Id, Schema, WriteSchema

Kind = Literal[
    "inspection_report",
    "compliance_certificate",
    "organic",
    "green_food",
    "geographical_indication",
]
OtherKind = Literal["inspection_report", "organic", "green_food", "geographical_indication"]

# 承诺依据: what the producer's commitment rests on (食用农产品合格证管理办法, 2026).
CommitmentBasis = Literal["委托检测", "自我检测", "内部质量控制", "自律管理"]
COMMITMENT_BASES: tuple[str, ...] = ("委托检测", "自我检测", "内部质量控制", "自律管理")


class ComplianceDetails(WriteSchema):
    """食用农产品承诺达标合格证: what the producer commits to for this quantity."""

    producer: str = Field(min_length=1, max_length=200, examples=["封丘县绿源树莓合作社"])
    product_name: str = Field(min_length=1, max_length=200, examples=["鲜树莓"])
    quantity: str = Field(min_length=1, max_length=50, examples=["500 kg"])
    issued_on: date = Field(examples=["2026-06-18"])
    contact: str = Field(min_length=1, max_length=100, examples=["13800000000"])
    address: str | None = Field(default=None, max_length=300)
    basis: list[CommitmentBasis] = Field(
        min_length=1,
        max_length=4,
        description=(
            "承诺依据, one or more of 委托检测 (commissioned testing), 自我检测 (own testing), "
            "内部质量控制 (internal quality control), 自律管理 (self-regulation)"
        ),
        examples=[["自我检测", "内部质量控制"]],
    )
    commitments: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1,
        max_length=10,
        examples=[
            [
                "不使用禁用农药兽药",
                "遵守农药安全间隔期",
                "销售的食用农产品符合农药兽药残留食品安全国家强制性标准",
            ]
        ],
    )


class CertificateFields(WriteSchema):
    issuer: str = Field(min_length=1, max_length=200, examples=["新乡市农产品质量检测中心"])
    number: str = Field(min_length=1, max_length=100, examples=["XXJC-2026-0418"])
    valid_from: date | None = Field(default=None, examples=["2026-06-18"])
    valid_until: date | None = Field(default=None, examples=["2027-06-17"])
    required: bool = Field(
        default=True, description="The product is hidden from sale while no valid one of this kind"
    )
    result: str | None = Field(default=None, max_length=200, examples=["合格"])
    lot_code: str | None = Field(
        default=None, max_length=64, description="Attach to one lot of the product"
    )

    @model_validator(mode="after")
    def check(self) -> CertificateFields:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class ComplianceCertificateCreate(CertificateFields):
    """A 合格证: its fields are typed (`details`), printable at .../print.pdf."""

    kind: Literal["compliance_certificate"]
    details: ComplianceDetails


class OtherCertificateCreate(CertificateFields):
    """An inspection report, organic / green food certificate or GI: free-form details."""

    kind: OtherKind
    details: FreeForm = Field(
        default_factory=dict, examples=[{"items": ["农药残留", "重金属"], "lab": "CMA 2019"}]
    )


CertificateCreate = Annotated[
    ComplianceCertificateCreate | OtherCertificateCreate, Field(discriminator="kind")
]


class ComplianceCertificate(Schema):
    """The typed fields of a 合格证 as recorded."""

    producer: str
    product_name: str
    quantity: str
    issued_on: date
    contact: str
    address: str | None = None
    basis: list[str] = []
    commitments: list[str]


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
    details: dict[str, Any] = Field(
        description="As given; for a compliance certificate the same fields as `compliance`"
    )
    compliance: ComplianceCertificate | None = Field(
        default=None, description="The 合格证's typed fields (kind compliance_certificate)"
    )
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
