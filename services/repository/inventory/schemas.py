from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, computed_field, field_validator

from shared.schemas import Schema, WriteSchema

Cases = Field(gt=0, le=1_000_000, description="Whole cases", examples=[40])
# one variant of the examples: 封丘金银花 (honeysuckle) tea, 250 g tin
VARIANT_ID = Field(examples=["3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f"])


class WarehouseCreate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    code: str = Field(min_length=1, max_length=40, examples=["FQ-WH-01"])
    name: str = Field(min_length=1, max_length=200, examples=["封丘县公共仓储中心"])
    is_county_warehouse: bool = True


class Warehouse(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    code: str
    name: str
    is_county_warehouse: bool
    created_at: datetime


class ReceiptCreate(WriteSchema):
    variant_id: uuid.UUID = VARIANT_ID
    cases: int = Cases
    reason: str | None = Field(default=None, max_length=500)
    purchase_order_id: uuid.UUID | None = None


class AdjustmentCreate(WriteSchema):
    variant_id: uuid.UUID = VARIANT_ID
    cases: int = Field(
        ge=-1_000_000,
        le=1_000_000,
        description="Signed: negative takes cases off the count",
        examples=[-2],
    )
    reason: str = Field(
        min_length=2,
        max_length=500,
        description="Why the count changes",
        examples=["盘点少两箱（受潮报损）"],
    )

    @field_validator("cases")
    @classmethod
    def not_zero(cls, cases: int) -> int:
        if cases == 0:
            raise ValueError("an adjustment changes the count by at least one case")
        return cases


class ReturnCreate(WriteSchema):
    variant_id: uuid.UUID = VARIANT_ID
    cases: int = Cases
    reason: str | None = Field(default=None, max_length=500)
    order_id: uuid.UUID | None = None


class TransferCreate(WriteSchema):
    to_warehouse_id: uuid.UUID = Field(examples=["8b2d4f60-7a1c-4e3b-9d5f-6c7e8f9a0b1c"])
    variant_id: uuid.UUID = VARIANT_ID
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
