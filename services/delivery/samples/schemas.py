from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Schema, WriteSchema


class SampleParcelHistoryEntry(Schema):
    from_status: str
    to_status: str
    action: str
    reason: str | None
    at: datetime


class SampleParcel(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    source: str
    reference_id: uuid.UUID = Field(description="The livestream sample request")
    sender_org_id: uuid.UUID = Field(description="The supplier")
    recipient_org_id: uuid.UUID = Field(description="The streamer, at the livestream base")
    product_id: uuid.UUID | None
    carrier: str
    tracking_number: str
    status: str
    shipped_at: datetime | None
    delivered_at: datetime | None
    recipient_name: str | None
    history: list[SampleParcelHistoryEntry] = []


class SampleParcelStatusUpdate(WriteSchema):
    """The carrier's status update for a sample's parcel, entered by the base's operator."""

    status: Literal["delivered", "returned"]
    recipient_name: str | None = Field(default=None, max_length=100, examples=["李主播"])
    reason: str | None = Field(default=None, max_length=500, examples=["圆通签收"])
