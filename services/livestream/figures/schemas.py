from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp

GmvBy = Literal["session", "streamer", "product", "day"]


class GmvRow(Schema):
    key: Id | date | None = Field(
        description="the session, streamer or pool entry id, or the local day; null: unmatched"
    )
    lines: int
    quantity: int
    paid_fen: int
    gmv_fen: int = Field(description="paid less refunded")


class GmvFigures(Schema):
    region_id: Id
    by: GmvBy
    rows: list[GmvRow]


class SampleConversionRow(Schema):
    streamer_id: Id
    received: int
    featured: int
    conversion_bps: int


class SampleConversion(Schema):
    region_id: Id
    received: int
    featured: int
    conversion_bps: int = Field(description="featured in a session ÷ received, ×10000")
    streamers: list[SampleConversionRow]


class LivePeak(Schema):
    region_id: Id
    starts: Timestamp
    ends: Timestamp
    peak: int = Field(description="the most sessions live at once in the window")
    at: Timestamp | None
    sessions: int
