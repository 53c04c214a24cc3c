from __future__ import annotations

from datetime import date

from pydantic import Field

from services.suppliers.applications.schemas import HouseholdKind
from shared.schemas import Id, Schema, Timestamp, WriteSchema


class HouseholdLinkCreate(WriteSchema):
    household_kind: HouseholdKind
    household_ref: str = Field(
        min_length=1,
        max_length=64,
        description="The county's reference for the household",
        examples=["FQ-TP-0001"],
    )
    head_name: str | None = Field(default=None, max_length=100)
    village: str | None = Field(default=None, max_length=100)
    started_on: date | None = Field(
        default=None, description="Local date the link starts; today when omitted"
    )


class HouseholdLinkEnd(WriteSchema):
    reason: str = Field(min_length=1, max_length=500, examples=["已迁出本村"])
    ended_on: date | None = Field(
        default=None, description="Local date the link ends; today when omitted"
    )


class HouseholdLinkRecord(Schema):
    """A household link with its life: current while `ended_on` is null."""

    id: Id
    supplier_id: Id
    household_kind: str
    household_ref: str
    head_name: str | None
    village: str | None
    started_on: date | None
    ended_on: date | None
    ended_reason: str | None
    added_by: Id | None
    ended_by: Id | None
    current: bool
    created_at: Timestamp


class HouseholdLinkList(Schema):
    items: list[HouseholdLinkRecord]
