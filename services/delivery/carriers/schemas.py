from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Schema, WriteSchema


class CarrierParcelCreate(WriteSchema):
    tracking_number: str = Field(min_length=4, max_length=40, examples=["YT7741200001"])
    township: str | None = Field(default=None, max_length=100, examples=["应举镇"])
    village: str | None = Field(default=None, max_length=100, examples=["前吴村"])
    address: str | None = Field(default=None, max_length=500)
    weight_g: int = Field(default=500, ge=0)
    volume_cm3: int = Field(default=1000, ge=0)


class CarrierBatch(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    carrier: str = Field(min_length=1, max_length=50, examples=["圆通"])
    delivery_date: date = Field(examples=["2026-12-02"])
    parcels: list[CarrierParcelCreate] = Field(min_length=1, max_length=5000)


class CarrierRow(Schema):
    tracking_number: str
    status: str  # matched, review, duplicate, no_route
    parcel_id: uuid.UUID | None = None
    station_org_id: uuid.UUID | None = None


class CarrierReport(Schema):
    matched: int
    review: int
    rows: list[CarrierRow]


ReviewStatus = Literal["open", "assigned", "returned"]


class AddressReview(Schema):
    id: uuid.UUID
    carrier: str
    tracking_number: str
    township: str | None
    village: str | None
    address: str | None
    delivery_date: date
    status: str
    resolution: str | None = None
    created_at: datetime


class ReviewAssign(WriteSchema):
    stop_id: uuid.UUID = Field(
        description="The village station's stop the parcel goes to",
        examples=["2c8e7a10-4f3b-4d6e-8a9c-1e2f3a4b5c6d"],
    )
    learn_alias: bool = Field(
        default=True,
        description="Remember the parcel's village spelling for this stop, so it matches next time",
    )


class ReviewReturn(WriteSchema):
    reason: str = Field(min_length=1, max_length=500, examples=["地址不在本县"])


class ReviewOutcome(Schema):
    id: uuid.UUID
    tracking_number: str
    status: str
    parcel_id: uuid.UUID | None = None
    station_org_id: uuid.UUID | None = None
