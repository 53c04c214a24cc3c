from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp, WriteSchema

PlatformName = Literal["douyin", "kuaishou", "wechat_channels"]


class PlatformProductWrite(WriteSchema):
    region_id: Id
    platform: PlatformName
    platform_product_id: str = Field(min_length=1, max_length=64)
    pool_entry_id: Id


class SalesPush(WriteSchema):
    region_id: Id
    platform: PlatformName
    mode: Literal["good_rows", "all_or_nothing"] = "good_rows"
    rows: list[dict[str, Any]] = Field(max_length=5000)


class RowRejection(Schema):
    row: int
    reason: str


class ImportReport(Schema):
    received: int
    created: int
    updated: int
    unchanged: int
    rejected: list[RowRejection]
    imported: bool = Field(description="false when all_or_nothing refused the file")


class SaleLine(Schema):
    id: Id
    platform: str
    platform_order_id: str
    platform_product_id: str
    author_id: str | None
    paid_fen: int
    commission_rate_bps: int
    status: str
    paid_at: Timestamp
    pool_entry_id: Id | None
    session_id: Id | None
    streamer_id: Id | None
    attributed_by: str
