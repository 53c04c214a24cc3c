from __future__ import annotations

from pydantic import Field, field_validator

from services.livestream import examples
from shared.schemas import Fen, Id, Schema, Timestamp, WriteSchema


class SampleCreate(WriteSchema):
    pool_entry_id: Id = Field(examples=[examples.POOL_ENTRY_ID])
    note: str | None = Field(None, max_length=500)


class SampleDecision(WriteSchema):
    reason: str | None = Field(None, max_length=500)


class SampleShipment(WriteSchema):
    carrier: str = Field(min_length=1, max_length=50, examples=["顺丰"])
    tracking_number: str = Field(min_length=4, max_length=60, examples=["SF1428630957214"])


class Band(WriteSchema):
    min_gmv_30d_fen: Fen = Field(examples=[0])
    monthly_quota: int = Field(ge=0, le=1000, examples=[3])


class QuotaBandsWrite(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    bands: list[Band] = Field(
        min_length=1,
        max_length=10,
        examples=[[{"min_gmv_30d_fen": 0, "monthly_quota": 3},
                   {"min_gmv_30d_fen": 10_000_000, "monthly_quota": 10}]],
    )  # fmt: skip

    @field_validator("bands")
    @classmethod
    def _starts_at_zero(cls, bands: list[Band]) -> list[Band]:
        if min(b.min_gmv_30d_fen for b in bands) != 0:
            raise ValueError("the lowest band starts at 0")
        return bands


class SampleQuotaBands(Schema):
    region_id: Id
    bands: list[dict[str, int]]


class Sample(Schema):
    id: Id
    region_id: Id
    pool_entry_id: Id
    product_id: Id
    supplier_id: Id
    streamer_id: Id
    status: str
    requested_at: Timestamp
    decide_by: Timestamp
    auto_approved: bool
    return_required: bool
    carrier: str | None
    tracking_number: str | None
    shipped_at: Timestamp | None
    received_at: Timestamp | None
    feature_by: Timestamp | None
    featured_session_id: Id | None
    note: str | None
