from __future__ import annotations

import uuid
from datetime import date, time
from typing import Literal

from pydantic import Field

from shared.schemas import Schema, WriteSchema

StopKind = Literal["warehouse", "hub", "station", "farm"]


class StopCreate(WriteSchema):
    region_id: uuid.UUID
    kind: StopKind
    name: str = Field(min_length=1, max_length=200)
    township: str | None = None
    village: str | None = None
    station_org_id: uuid.UUID | None = None
    supplier_org_id: uuid.UUID | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    opening_hours: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    aliases: list[str] = Field(default_factory=list, max_length=20)


class StopView(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    kind: str
    name: str
    township: str | None
    village: str | None
    station_org_id: uuid.UUID | None
    latitude: float | None
    longitude: float | None
    opening_hours: str | None


class VehicleCreate(WriteSchema):
    region_id: uuid.UUID
    plate: str = Field(min_length=1, max_length=20)
    max_weight_g: int = Field(gt=0)
    max_volume_cm3: int = Field(gt=0)
    cold_chain: bool = False
    cost_per_run_fen: int = Field(default=0, ge=0)


class VehicleView(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    plate: str
    max_weight_g: int
    max_volume_cm3: int
    cold_chain: bool
    cost_per_run_fen: int


class RouteCreate(WriteSchema):
    region_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    weekdays: list[int] = Field(min_length=1)
    departure_time: time
    vehicle_id: uuid.UUID
    driver_user_id: uuid.UUID | None = None
    stop_ids: list[uuid.UUID] = Field(min_length=1)


class RouteView(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    name: str
    weekdays: list[int]
    departure_time: time
    vehicle_id: uuid.UUID
    driver_user_id: uuid.UUID | None
    stop_ids: list[uuid.UUID]


class RouteStopView(Schema):
    """A stop of a fixed route, in driving order."""

    sequence: int
    stop_id: uuid.UUID
    name: str
    kind: str
    township: str | None
    village: str | None
    station_org_id: uuid.UUID | None


class RouteDetail(RouteView):
    """A route with its stops in order, its schedule and its vehicle."""

    timezone: str = Field(description="The region's time zone the departure time is in")
    stops: list[RouteStopView]
    vehicle: VehicleView


class DriverRoute(Schema):
    id: uuid.UUID
    name: str
    weekdays: list[int]
    departure_time: time


class DriverRun(Schema):
    id: uuid.UUID
    kind: str
    route_id: uuid.UUID | None
    delivery_date: date
    trip: int
    status: str
    vehicle_id: uuid.UUID | None


class Driver(Schema):
    """A driver of the region and what they are assigned: fixed routes, runs from today on."""

    driver_user_id: uuid.UUID
    region_id: uuid.UUID
    routes: list[DriverRoute]
    upcoming_runs: list[DriverRun]


class ImportRow(Schema):
    sheet: str
    row: int
    status: str  # created, error
    id: uuid.UUID | None = None
    errors: list[str] = []


class ImportReport(Schema):
    created: int
    failed: int
    rows: list[ImportRow]
