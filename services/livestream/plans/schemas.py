from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from services.livestream import examples
from shared.schemas import Id, Schema, Timestamp, WriteSchema


class PlanKind(StrEnum):
    open = "open"
    directed = "directed"
    exclusive = "exclusive"
    agency = "agency"


class PlanCreate(WriteSchema):
    pool_entry_id: Id = Field(examples=[examples.POOL_ENTRY_ID])
    kind: PlanKind
    rate_bps: int = Field(
        ge=0, le=10000, description="Commission in basis points of the paid amount", examples=[2000]
    )
    service_fee_bps: int = Field(0, ge=0, le=10000, description="Agency activity: the agency's fee")
    streamer_ids: list[Id] = Field(default_factory=list, max_length=200)
    min_level: int | None = Field(None, ge=0, le=10)
    auto_approve: bool = False
    streamer_id: Id | None = None
    agency_id: Id | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    period_days: int | None = Field(None, description="Agency activity: 30, 90, 180 or 360")
    reason: str | None = Field(None, max_length=500)


class RateChange(WriteSchema):
    rate_bps: int = Field(ge=0, le=10000, examples=[1800])
    reason: str = Field(min_length=1, max_length=500, examples=["新茬金银花上市，利润空间收窄"])


class PlanEnd(WriteSchema):
    reason: str | None = Field(None, max_length=500)


class Plan(Schema):
    id: Id
    region_id: Id
    supplier_id: Id
    pool_entry_id: Id
    kind: str
    status: str
    rate_bps: int = Field(description="The rate in effect now")
    pending_rate_bps: int | None = Field(None, description="A cut waiting for local midnight")
    pending_effective_at: Timestamp | None = None
    service_fee_bps: int
    streamer_ids: list[Id]
    min_level: int | None
    auto_approve: bool
    streamer_id: Id | None
    agency_id: Id | None
    starts_on: date | None
    ends_on: date | None
    created_at: Timestamp


class PlanRate(Schema):
    rate_bps: int
    previous_bps: int | None
    change: str
    effective_at: Timestamp
    recorded_at: Timestamp
    superseded: bool
    actor_id: Id | None
    reason: str | None


class Step(Schema):
    from_state: str
    to_state: str
    action: str
    actor_id: Id | None
    reason: str | None
    at: Timestamp


class PlanHistory(Schema):
    plan_id: Id
    rates: list[PlanRate]
    steps: list[Step]


class ApplicationCreate(WriteSchema):
    note: str | None = Field(None, max_length=500)


class Application(Schema):
    id: Id
    plan_id: Id
    streamer_id: Id
    status: str
    decided_by: str | None
    note: str | None
    created_at: Timestamp


class BestRate(Schema):
    pool_entry_id: Id
    plan_id: Id | None
    kind: str | None
    rate_bps: int | None
