from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from services.catalog.freeform import FreeForm
from shared.schemas import Id, Schema, WriteSchema

BizStep = Literal[
    "planting", "harvest", "processing", "inspection", "packing", "shipping", "receiving"
]
LocationKind = Literal["farm", "plot", "processing_site", "warehouse", "lab", "station"]


class LotCreate(WriteSchema):
    code: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9-]{4,64}$",
        description="Printed on the label; generated when omitted",
    )
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3, examples=["500"])
    unit: str = Field(min_length=1, max_length=20, examples=["kg"])
    produced_on: date | None = Field(default=None, examples=["2026-06-18"])


class LotEventCreate(WriteSchema):
    biz_step: BizStep
    event_time: datetime = Field(examples=["2026-06-18T07:30:00+08:00"])
    location_kind: LocationKind
    location_name: str = Field(min_length=1, max_length=200, examples=["陈固镇树莓基地 3 号地块"])
    township: str | None = Field(default=None, max_length=100)
    village: str | None = Field(default=None, max_length=100)
    quantity: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=3)
    unit: str | None = Field(default=None, max_length=20)
    actor_name: str = Field(min_length=1, max_length=200, examples=["张建国"])
    details: FreeForm = Field(
        default_factory=dict, examples=[{"result": "合格", "report_number": "ZJ-2026-118"}]
    )
    corrects_event_id: Id | None = Field(
        default=None, description="This event corrects an earlier one (which stays recorded)"
    )
    correction_reason: str | None = Field(default=None, max_length=500)


class LotEvent(Schema):
    id: Id
    seq: int
    biz_step: str
    event_time: datetime
    recorded_at: datetime
    location_kind: str
    location_name: str
    township: str | None
    village: str | None
    quantity: Decimal | None
    unit: str | None
    actor_name: str
    details: dict[str, Any]
    corrects_event_id: Id | None
    correction_reason: str | None
    superseded_by: Id | None = None


class Lot(Schema):
    id: Id
    code: str
    product_id: Id
    supplier_id: Id
    quantity: Decimal
    unit: str
    produced_on: date | None
    created_at: datetime
    trace_url: str
    events: list[LotEvent] = []


class TraceCertificate(Schema):
    kind: str
    issuer: str
    number: str
    valid_until: date | None
    result: str | None
    valid: bool
    details: dict[str, Any]


class TracePage(Schema):
    """What a consumer sees after scanning the QR code on a jar."""

    lot_code: str
    product: dict[str, Any]
    producer: dict[str, Any]
    farm: dict[str, Any] | None
    harvest_date: date | None
    inspection: dict[str, Any] | None
    certificates: list[TraceCertificate]
    events: list[LotEvent]
