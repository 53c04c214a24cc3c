from __future__ import annotations

from pydantic import Field

from shared.schemas import Id, Schema, Timestamp, WriteSchema


class ConsignmentTransferCreate(WriteSchema):
    """Cases of a supplier's offer out of a warehouse to the livestream base."""

    warehouse_id: Id = Field(examples=["8b2d4f60-7a1c-4e3b-9d5f-6c7e8f9a0b1c"])
    offer_id: Id = Field(
        examples=["5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"],
        description="The supplier's offer, e.g. 封丘金银花茶 250 g × 12 a case",
    )
    cases: int = Field(ge=1, le=100_000, examples=[4])
    reason: str | None = Field(None, max_length=500, examples=["双十一直播备货"])


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
