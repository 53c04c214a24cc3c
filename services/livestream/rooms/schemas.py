from __future__ import annotations

from pydantic import Field, model_validator

from services.livestream import examples
from shared.schemas import Id, Schema, Timestamp, WriteSchema

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


class RoomCreate(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    name: str = Field(min_length=1, max_length=100, examples=["1号直播间"])
    equipment: list[str] = Field(
        default_factory=list, max_length=50, examples=[["补光灯", "声卡", "绿幕"]]
    )
    opens_at: str = Field("08:00", pattern=HHMM, description="HH:MM local time")
    closes_at: str = Field("23:00", pattern=HHMM, description="HH:MM local time (24:00 = midnight)")

    @model_validator(mode="after")
    def _hours(self) -> RoomCreate:
        if self.closes_at <= self.opens_at:
            raise ValueError("closes_at must be after opens_at")
        return self


class RoomUpdate(WriteSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    equipment: list[str] | None = Field(None, max_length=50)
    opens_at: str | None = Field(None, pattern=HHMM)
    closes_at: str | None = Field(None, pattern=HHMM)
    active: bool | None = None


class Room(Schema):
    id: Id
    region_id: Id
    name: str
    equipment: list[str]
    opens_at: str
    closes_at: str
    active: bool


class BookingCreate(WriteSchema):
    room_id: Id = Field(examples=[examples.ROOM_ID])
    starts_at: Timestamp = Field(examples=["2026-12-05T19:00:00+08:00"])
    ends_at: Timestamp = Field(examples=["2026-12-05T22:00:00+08:00"])
    streamer_id: Id | None = Field(None, description="Operator booking for a streamer")


class BookingCancel(WriteSchema):
    reason: str | None = Field(None, max_length=500)


class Booking(Schema):
    id: Id
    region_id: Id
    room_id: Id
    streamer_id: Id
    starts_at: Timestamp
    ends_at: Timestamp
    status: str
