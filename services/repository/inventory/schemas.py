from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, computed_field, field_validator

from shared.schemas import Schema, WriteSchema

Cases = Field(gt=0, le=1_000_000, description="Whole cases")


class WarehouseCreate(WriteSchema):
    region_id: uuid.UUID
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    is_county_warehouse: bool = True


class Warehouse(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    code: str
    name: str
    is_county_warehouse: bool
    created_at: datetime


class ReceiptCreate(WriteSchema):
    variant_id: uuid.UUID
    cases: int = Cases
    reason: str | None = Field(default=None, max_length=500)
    purchase_order_id: uuid.UUID | None = None


class AdjustmentCreate(WriteSchema):
    variant_id: uuid.UUID
    cases: int = Field(
        ge=-1_000_000, le=1_000_000, description="Signed: negative takes cases off the count"
    )
    reason: str = Field(min_length=2, max_length=500, description="Why the count changes")

    @field_validator("cases")
    @classmethod
    def not_zero(cls, cases: int) -> int:
        if cases == 0:
            raise ValueError("an adjustment changes the count by at least one case")
        return cases


class ReturnCreate(WriteSchema):
    variant_id: uuid.UUID
    cases: int = Cases
    reason: str | None = Field(default=None, max_length=500)
    order_id: uuid.UUID | None = None


class TransferCreate(WriteSchema):
    to_warehouse_id: uuid.UUID
    variant_id: uuid.UUID
    cases: int = Cases
    reason: str | None = Field(default=None, max_length=500)


class Movement(Schema):
    seq: int
    warehouse_id: uuid.UUID
    variant_id: uuid.UUID
    kind: str
    cases: int
    on_hand_after: int
    reserved_after: int
    reason: str | None
    order_id: uuid.UUID | None
    order_line_id: uuid.UUID | None
    purchase_order_id: uuid.UUID | None
    actor_user_id: uuid.UUID | None
    at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def available_after(self) -> int:
        return self.on_hand_after - self.reserved_after


class StockLevel(Schema):
    warehouse_id: uuid.UUID
    variant_id: uuid.UUID
    on_hand: int
    reserved: int
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class DriftRow(Schema):
    variant_id: uuid.UUID
    on_hand: int
    reserved: int
    ledger_on_hand: int
    ledger_reserved: int


class StockVerification(Schema):
    warehouse_id: uuid.UUID
    variants_checked: int
    drift: list[DriftRow]
    consistent: bool
