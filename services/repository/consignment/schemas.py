from __future__ import annotations

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp, WriteSchema


class ConsignmentTransferCreate(WriteSchema):
    """Cases of a supplier's offer out of a warehouse to the livestream base."""

    warehouse_id: Id
    offer_id: Id
    cases: int = Field(ge=1, le=100_000)
    reason: str | None = Field(None, max_length=500)


class ConsignmentTransfer(Schema):
    id: Id
    region_id: Id
    warehouse_id: Id
    supplier_id: Id
    offer_id: Id
    variant_id: Id
    product_id: Id
    cases: int
    case_pack: int
    quantity: int = Field(description="units at the base: cases × case pack")
    reason: str | None
    at: Timestamp


class ConsignmentReturn(Schema):
    return_id: Id
    supplier_id: Id
    product_id: Id
    destination: str
    warehouse_id: Id | None
    variant_id: Id | None
    quantity: int
    cases: int = Field(
        description="whole cases put back into the warehouse's stock (this return's units "
        "with the loose units it already held)"
    )
    loose_units: int = Field(
        description="units short of a whole case the warehouse holds after this return, "
        "until a later return makes up the case"
    )
    outcome: str
    at: Timestamp
