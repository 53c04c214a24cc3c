from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from services.livestream import examples
from shared.schemas import Id, Schema, Timestamp, WriteSchema

PlatformName = Literal["douyin", "kuaishou", "wechat_channels"]


class PlatformProductWrite(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    platform: PlatformName
    platform_product_id: str = Field(min_length=1, max_length=64, examples=["3658201947"])
    pool_entry_id: Id = Field(examples=[examples.POOL_ENTRY_ID])


class SalesPush(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    platform: PlatformName
    mode: Literal["good_rows", "all_or_nothing"] = "good_rows"
    rows: list[dict[str, Any]] = Field(
        max_length=5000,
        description="The platform export's rows, by its own column names",
        examples=[[examples.DOUYIN_ROW]],
    )


class RowRejection(Schema):
    row: int
    reason: str


class SalesImportReport(Schema):
    received: int
    created: int
    updated: int
    unchanged: int
    rejected: list[RowRejection]
    imported: bool = Field(description="false when all_or_nothing refused the file")


class SaleLine(Schema):
    id: Id
    region_id: Id
    platform: str
    platform_order_id: str
    platform_product_id: str
    author_id: str | None
    quantity: int
    paid_fen: int
    refunded_fen: int
    commission_rate_bps: int = Field(description="the rate the platform reported (×10000)")
    platform_status: str = Field(description="paid, confirmed, settled, refunded (platform's)")
    status: str = Field(description="commission: estimated, settled, cancelled, clawed_back")
    paid_at: Timestamp
    confirmed_at: Timestamp | None
    platform_settled_at: Timestamp | None
    refunded_at: Timestamp | None
    settled_at: Timestamp | None = Field(description="when the commission became real")
    pool_entry_id: Id | None
    session_id: Id | None
    streamer_id: Id | None
    agency_id: Id | None
    supplier_id: Id | None
    attributed_by: str
    rate_source: str = Field(description="plan (in effect when paid), platform, none")
    plan_id: Id | None
    rate_bps: int
    agency_fee_bps: int
    agency_share_bps: int
    supply_price_fen: int
    supplier_fen: int
    agency_fen: int
    streamer_fen: int
    base_fen: int
    version: int


class SaleLineStep(Schema):
    from_state: str
    to_state: str
    action: str
    actor_id: Id | None
    reason: str | None
    at: Timestamp


class SaleLineDetail(Schema):
    line: SaleLine
    history: list[SaleLineStep]


class ReturnWindowWrite(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    platform: PlatformName
    days: int = Field(
        ge=0, le=90, description="days after the confirmation of receipt", examples=[7]
    )


class ReturnWindow(Schema):
    platform: str
    days: int


class LineAttribution(WriteSchema):
    """A session (the line goes to its streamer) or a streamer without a session."""

    session_id: Id | None = None
    streamer_id: Id | None = None
    reason: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _one(self) -> LineAttribution:
        if (self.session_id is None) == (self.streamer_id is None):
            raise ValueError("give a session_id or a streamer_id")
        return self


class SettlementRun(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    as_of: Timestamp | None = Field(None, description="settle as of this time (default: now)")


class SettlementResult(Schema):
    settled: int
