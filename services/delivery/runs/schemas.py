from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Schema, WriteSchema


class PlanRequest(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    delivery_date: date = Field(examples=["2026-12-02"])


RunStatus = Literal["planned", "in_transit", "completed", "cancelled"]
RunKind = Literal["route", "ad_hoc", "collection"]
ParcelStatus = Literal["registered", "in_transit", "at_station", "delivered", "returned"]


class Run(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    kind: str
    route_id: uuid.UUID | None
    delivery_date: date
    trip: int
    vehicle_id: uuid.UUID | None
    driver_user_id: uuid.UUID | None
    status: str
    weight_g: int
    volume_cm3: int
    overloaded: bool
    started_at: datetime | None = None
    completed_at: datetime | None = None


class RunStep(Schema):
    """One line of a run's history."""

    from_status: str | None
    to_status: str
    action: str
    actor_user_id: uuid.UUID | None
    actor_role: str = Field(description="driver or dispatcher")
    reason: str | None
    at: datetime


class RunDetail(Run):
    history: list[RunStep]
    parcels: dict[str, int] = Field(description="Parcels on the run by status")
    allowed_actions: list[str] = Field(
        description="What the caller may still do: start, finish (driver, dispatcher), "
        "assign, cancel (dispatcher)"
    )


class RunCancel(WriteSchema):
    reason: str = Field(min_length=1, max_length=500, examples=["车辆故障"])


class Parcel(Schema):
    id: uuid.UUID
    tracking_number: str
    order_id: uuid.UUID | None
    station_org_id: uuid.UUID
    stop_id: uuid.UUID
    stop_sequence: int
    delivery_date: date
    run_id: uuid.UUID | None
    weight_g: int
    volume_cm3: int
    chilled: bool
    cod_amount_fen: int
    status: str
    pickup_code: str | None = None


class PlanResult(Schema):
    runs: list[Run]
    unplaced_parcel_ids: list[uuid.UUID]


class HandOver(WriteSchema):
    pickup_code: str = Field(min_length=1, max_length=10, examples=["428913"])
    recipient_name: str | None = Field(default=None, max_length=100)


class TrackingStep(Schema):
    status: str
    action: str
    at: datetime


class Tracking(Schema):
    tracking_number: str
    status: str
    delivery_date: date
    history: list[TrackingStep]


class DeliveryException(WriteSchema):
    kind: Literal["absent", "refused", "damaged"]
    note: str | None = Field(default=None, max_length=500)


class RunAssignment(WriteSchema):
    driver_user_id: uuid.UUID | None = None
    vehicle_id: uuid.UUID | None = None
