from __future__ import annotations

import uuid
from datetime import date, datetime, time

from pydantic import Field, model_validator

from services.delivery.runs.schemas import RunView
from shared.schemas import Schema, WriteSchema


class AdHocVisit(WriteSchema):
    stop_id: uuid.UUID
    demand_g: int = Field(default=0, ge=0)
    window_start: time = time(7, 0)
    window_end: time = time(20, 0)

    @model_validator(mode="after")
    def _window_in_order(self) -> AdHocVisit:
        # Local times of the day: one with an offset and one without cannot be compared.
        if (self.window_start.tzinfo is None) != (self.window_end.tzinfo is None):
            raise ValueError("window_start and window_end must both be local times (no offset)")
        if self.window_end <= self.window_start:
            raise ValueError("window_end must be after window_start")
        return self


class AdHocRequest(WriteSchema):
    region_id: uuid.UUID
    delivery_date: date
    depot_stop_id: uuid.UUID
    vehicle_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)
    visits: list[AdHocVisit] = Field(min_length=1, max_length=500)


class CollectionRequest(WriteSchema):
    region_id: uuid.UUID
    collection_date: date
    vehicle_id: uuid.UUID
    driver_user_id: uuid.UUID | None = None
    stop_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)


class Pickup(WriteSchema):
    weight_g: int = Field(ge=0)


class RunStopView(Schema):
    sequence: int
    stop_id: uuid.UUID
    eta: datetime | None
    demand_g: int
    collected_weight_g: int | None
    arrived_at: datetime | None


class TripView(Schema):
    run: RunView
    stops: list[RunStopView]


class AdHocResult(Schema):
    trips: list[TripView]
    dropped_stop_ids: list[uuid.UUID]
