from __future__ import annotations

import uuid
from datetime import date, datetime, time

from pydantic import Field, model_validator

from services.delivery.runs.schemas import Run
from shared.schemas import Schema, WriteSchema


class AdHocVisit(WriteSchema):
    stop_id: uuid.UUID = Field(examples=["2c8e7a10-4f3b-4d6e-8a9c-1e2f3a4b5c6d"])
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
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    delivery_date: date = Field(examples=["2026-12-02"])
    depot_stop_id: uuid.UUID = Field(examples=["1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"])
    vehicle_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=50, examples=[["9a7b5c3d-1e2f-4a6b-8c0d-2e4f6a8b0c1d"]]
    )
    visits: list[AdHocVisit] = Field(
        min_length=1,
        max_length=500,
        examples=[
            [
                {
                    "stop_id": "2c8e7a10-4f3b-4d6e-8a9c-1e2f3a4b5c6d",
                    "demand_g": 20_000,
                    "window_start": "09:00:00",
                }
            ]
        ],
    )


class CollectionRequest(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    collection_date: date = Field(examples=["2026-12-02"])
    vehicle_id: uuid.UUID = Field(examples=["9a7b5c3d-1e2f-4a6b-8c0d-2e4f6a8b0c1d"])
    driver_user_id: uuid.UUID | None = None
    stop_ids: list[uuid.UUID] = Field(
        min_length=1,
        max_length=100,
        description="The farms, in driving order",
        examples=[["2c8e7a10-4f3b-4d6e-8a9c-1e2f3a4b5c6d"]],
    )


class Pickup(WriteSchema):
    weight_g: int = Field(ge=0, examples=[120_000])


class RunStop(Schema):
    sequence: int
    stop_id: uuid.UUID
    eta: datetime | None
    demand_g: int
    collected_weight_g: int | None
    arrived_at: datetime | None


class Trip(Schema):
    run: Run
    stops: list[RunStop]


class AdHocResult(Schema):
    trips: list[Trip]
    dropped_stop_ids: list[uuid.UUID]
