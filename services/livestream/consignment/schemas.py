from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from services.livestream import examples
from shared.schemas import Id, Schema, Timestamp, WriteSchema

Quantity = Annotated[int, Field(ge=1, le=10**7, examples=[20])]


class ConsignmentStock(Schema):
    id: Id
    region_id: Id
    supplier_id: Id
    product_id: Id
    received: int
    sold: int
    returned: int
    damaged: int
    adjusted: int = Field(description="the net of stocktake variances")
    on_hand: int


class ConsignmentMovement(Schema):
    id: Id
    kind: str
    quantity: int = Field(description="signed change of on hand")
    on_hand_after: int
    counted: int | None
    expected: int | None
    supply_price_fen: int | None
    amount_fen: int | None
    destination: str | None
    warehouse_id: Id | None
    source_id: str | None
    reason: str | None
    at: Timestamp


class ConsignmentStockCreate(WriteSchema):
    """Register a product's stock at the base at zero (before an opening stocktake)."""

    product_id: Id = Field(examples=[examples.PRODUCT_ID])


class ConsignmentReturnCreate(WriteSchema):
    quantity: Quantity
    destination: Literal["supplier", "warehouse"]
    warehouse_id: Id | None = None
    reason: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _warehouse(self) -> ConsignmentReturnCreate:
        if (self.destination == "warehouse") != (self.warehouse_id is not None):
            raise ValueError("a warehouse_id with destination warehouse, and only then")
        return self


class ConsignmentDamageCreate(WriteSchema):
    quantity: Quantity
    reason: str = Field(min_length=1, max_length=500, examples=["运输挤压，包装破损受潮"])


class StocktakeCreate(WriteSchema):
    counted: int = Field(ge=0, le=10**7, examples=[98])
    reason: str | None = Field(
        None, max_length=500, description="required when the count differs from on hand"
    )


class ConsignmentStatementLine(Schema):
    product_id: Id
    name: str | None
    received: int
    sold: int
    sold_fen: int = Field(description="sold × the supply price at each sale")
    returned: int
    damaged: int
    variance: int = Field(description="net stocktake variance in the period")
    payable_fen: int
    on_hand: int = Field(description="now")


class ConsignmentStatement(Schema):
    region_id: Id
    supplier_id: Id
    period: str
    timezone: str
    starts_at: Timestamp
    ends_at: Timestamp
    lines: list[ConsignmentStatementLine]
    received: int
    sold: int
    returned: int
    damaged: int
    payable_fen: int
