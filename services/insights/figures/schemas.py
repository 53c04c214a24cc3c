"""The figures' read schemas: a figure, the dashboard, the household list, a rebuild asked."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from shared.schemas import Schema


class Figure(Schema):
    name: str
    title: str
    value: float | None
    unit: str
    target: float | None
    status: str
    how: str
    detail: dict[str, Any]


class Dashboard(Schema):
    region_id: uuid.UUID
    year: int
    months: list[int]
    township: str | None
    supplier_id: uuid.UUID | None
    product_id: uuid.UUID | None
    figures: list[Figure]


class HouseholdSupplier(Schema):
    supplier_id: uuid.UUID
    name: str | None
    township: str | None
    poverty_alleviated: int
    monitored: int
    sales_fen: int


class RebuildStarted(Schema):
    emptied_at: datetime
    replay_asked_of: list[str]
