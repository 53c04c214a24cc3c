from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from shared.schemas import Schema, WriteSchema

RecordKind = Literal["training", "new_shops", "leaders", "media_reports"]


class RecordedFigureCreate(WriteSchema):
    kind: RecordKind
    on_date: date = Field(examples=["2026-03-15"])
    title: str = Field(min_length=1, max_length=200, examples=["电商技能提升培训（第3期）"])
    value: int = Field(
        ge=0, le=10**9, description="attendees, shops, leaders or reports", examples=[120]
    )
    advanced: int = Field(default=0, ge=0, le=10**9, description="of whom advanced training")
    township: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=2000)


class Evidence(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class RecordedFigure(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    kind: str
    on_date: date
    title: str
    value: int
    advanced: int
    township: str | None
    note: str | None
    recorded_at: datetime
    evidence: list[Evidence] = []


class SettingsUpdate(WriteSchema):
    national_rural_growth_percent: float | None = Field(
        default=None, ge=-100, le=1000, description="全国农村网络零售额同比增速 (%)"
    )
    targets: dict[str, float] | None = None


class RegionSettings(Schema):
    region_id: uuid.UUID
    national_rural_growth_percent: float | None
    targets: dict[str, Any]
