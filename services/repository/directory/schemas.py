from __future__ import annotations

import uuid
from datetime import time

from pydantic import Field

from shared.schemas import Schema, WriteSchema


class RegionRulesUpdate(WriteSchema):
    cutoff_time: time | None = Field(
        default=None, description="Local time the daily order window closes", examples=["16:00"]
    )
    reservation_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    close_after_hours: int | None = Field(default=None, ge=0, le=30 * 24)


class RegionRules(Schema):
    id: uuid.UUID
    name: str | None
    timezone: str
    cutoff_time: time
    reservation_minutes: int
    close_after_hours: int


class OrderableVariant(Schema):
    variant_id: uuid.UUID
    product_id: uuid.UUID
    region_id: uuid.UUID
    supplier_id: uuid.UUID
    product_name: str
    variant_name: str
    sku: str | None
    unit: str | None
    category: str | None
    brand: str | None
    storage: str
    net_weight_g: int | None
    volume_cm3: int | None
    channels: list[str]
    listed: bool
