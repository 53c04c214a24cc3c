"""A snapshot: the year's figures frozen under a name."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from shared.schemas import Schema, WriteSchema


class SnapshotCreate(WriteSchema):
    year: int = Field(ge=2000, le=2100, examples=[2026])
    label: str = Field(min_length=1, max_length=80, examples=["2026年度验收报送"])


class SnapshotSummary(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    year: int
    label: str
    taken_at: datetime


class Snapshot(SnapshotSummary):
    figures: dict[str, Any]
