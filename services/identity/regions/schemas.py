from __future__ import annotations

from zoneinfo import available_timezones

from pydantic import Field, field_validator

from shared.schemas import Id, Schema, Timestamp, WriteSchema


class RegionCreate(WriteSchema):
    code: str = Field(min_length=2, max_length=32, pattern=r"^[a-z0-9-]+$", examples=["fengqiu"])
    name: str = Field(min_length=1, max_length=100, examples=["封丘县"])
    timezone: str = Field(default="Asia/Shanghai", examples=["Asia/Shanghai"])

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError("unknown IANA time zone")
        return value


class Region(Schema):
    id: Id
    code: str
    name: str
    timezone: str
    created_at: Timestamp
