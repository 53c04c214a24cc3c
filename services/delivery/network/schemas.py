from __future__ import annotations

import uuid
from datetime import date, time
from typing import Literal

from pydantic import Field

from shared.schemas import Schema, WriteSchema

StopKind = Literal["warehouse", "hub", "station", "farm"]


class StopCreate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    kind: StopKind
    name: str = Field(min_length=1, max_length=200, examples=["前吴村服务站"])
    township: str | None = Field(default=None, examples=["应举镇"])
    village: str | None = None
    station_org_id: uuid.UUID | None = None
    supplier_org_id: uuid.UUID | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    opening_hours: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    aliases: list[str] = Field(default_factory=list, max_length=20)


class Stop(Schema):
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
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    plate: str = Field(min_length=1, max_length=20, examples=["豫G·A1234"])
    max_weight_g: int = Field(gt=0, examples=[1_500_000])
    max_volume_cm3: int = Field(gt=0, examples=[8_000_000])
    cold_chain: bool = False
    cost_per_run_fen: int = Field(default=0, ge=0)


class Vehicle(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    plate: str
    max_weight_g: int
    max_volume_cm3: int
    cold_chain: bool
    cost_per_run_fen: int


class RouteCreate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    name: str = Field(min_length=1, max_length=200, examples=["应举线"])
    weekdays: list[int] = Field(
        min_length=1, description="ISO weekdays (1 = Monday)", examples=[[1, 3, 5]]
    )
    departure_time: time = Field(description="Local time", examples=["07:30:00"])
    vehicle_id: uuid.UUID = Field(examples=["9a7b5c3d-1e2f-4a6b-8c0d-2e4f6a8b0c1d"])
    driver_user_id: uuid.UUID | None = None
    stop_ids: list[uuid.UUID] = Field(
        min_length=1,
        description="In driving order",
        examples=[["1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed", "2c8e7a10-4f3b-4d6e-8a9c-1e2f3a4b5c6d"]],
    )


class Route(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    name: str
    weekdays: list[int]
    departure_time: time
    vehicle_id: uuid.UUID
    driver_user_id: uuid.UUID | None
    stop_ids: list[uuid.UUID]


class RouteStop(Schema):
    """A stop of a fixed route, in driving order."""

    sequence: int
    stop_id: uuid.UUID
    name: str
    kind: str
    township: str | None
    village: str | None
    station_org_id: uuid.UUID | None


class RouteDetail(Route):
    """A route with its stops in order, its schedule and its vehicle."""

    timezone: str = Field(description="The region's time zone the departure time is in")
    stops: list[RouteStop]
    vehicle: Vehicle


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


class NetworkImportRow(Schema):
    sheet: str
    row: int
    status: str  # created, error
    id: uuid.UUID | None = None
    errors: list[str] = []


class NetworkImportReport(Schema):
    created: int
    failed: int
    rows: list[NetworkImportRow]
