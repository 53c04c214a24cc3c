from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Fen, Schema, WriteSchema

Direction = Literal["upstream", "downstream"]
Fulfilment = Literal["stocked", "to_order"]
BuyerKind = Literal["station", "retailer"]


class PriceTierCreate(WriteSchema):
    min_cases: int = Field(ge=1, le=1_000_000, examples=[20])
    price_fen: Fen = Field(
        gt=0, description="Price of one case in fen at this quantity", examples=[11800]
    )


class OfferCreate(WriteSchema):
    variant_id: uuid.UUID = Field(
        examples=["3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f"],
        description="The catalog variant, e.g. 封丘金银花茶 250 g tin",
    )
    direction: Direction = Field(description="upstream 上行 (farm goods) or downstream 下行")
    unit_name: str = Field(min_length=1, max_length=40, examples=["罐 (250 g)"])
    case_pack: int = Field(ge=1, le=10_000, description="Sellable units in one case", examples=[12])
    min_order_cases: int = Field(default=1, ge=1, le=100_000)
    multiple_cases: int = Field(default=1, ge=1, le=100_000)
    price_tiers: list[PriceTierCreate] = Field(
        min_length=1,
        max_length=10,
        description="Price of a case by quantity: from 1 case 128.00 元, from 20 cases 118.00 元",
        examples=[[{"min_cases": 1, "price_fen": 12800}, {"min_cases": 20, "price_fen": 11800}]],
    )
    buyer_kinds: list[BuyerKind] = Field(default=["station", "retailer"], min_length=1)
    open_regions: list[uuid.UUID] = Field(default=[], max_length=50)
    fulfilment: Fulfilment
    lead_time_days: int = Field(default=1, ge=0, le=60)


class OfferUpdate(WriteSchema):
    unit_name: str | None = Field(default=None, min_length=1, max_length=40)
    case_pack: int | None = Field(default=None, ge=1, le=10_000)
    min_order_cases: int | None = Field(default=None, ge=1, le=100_000)
    multiple_cases: int | None = Field(default=None, ge=1, le=100_000)
    price_tiers: list[PriceTierCreate] | None = Field(default=None, min_length=1, max_length=10)
    buyer_kinds: list[BuyerKind] | None = Field(default=None, min_length=1)
    open_regions: list[uuid.UUID] | None = Field(default=None, max_length=50)
    fulfilment: Fulfilment | None = None
    lead_time_days: int | None = Field(default=None, ge=0, le=60)


class OfferStatusChange(WriteSchema):
    reason: str | None = Field(default=None, max_length=500)


class PriceTier(Schema):
    min_cases: int
    price_fen: int


class Offer(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_name: str
    variant_id: uuid.UUID
    product_id: uuid.UUID
    product_name: str
    variant_name: str
    category: str | None
    brand: str | None
    storage: str
    direction: str
    unit_name: str
    case_pack: int
    min_order_cases: int
    multiple_cases: int
    price_tiers: list[PriceTier]
    buyer_kinds: list[str]
    open_regions: list[uuid.UUID]
    fulfilment: str
    lead_time_days: int
    status: str
    selling: bool
    not_selling_reason: str | None = None
    available_cases: int | None = Field(
        default=None, description="Stocked offers: cases available now in the county warehouse"
    )
    your_price_fen: int | None = Field(
        default=None, description="Price per case for the quantity asked (`cases`, else MOQ)"
    )
    version: int
    updated_at: datetime
