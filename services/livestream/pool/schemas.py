from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from services.livestream import examples
from shared.schemas import Fen, Id, Schema, Timestamp, WriteSchema


class SampleRule(WriteSchema):
    min_followers: int = Field(0, ge=0, le=10**10)
    min_gmv_30d_fen: Fen = 0
    min_level: int = Field(0, ge=0, le=10)
    return_required: bool = False


class PoolEntryCreate(WriteSchema):
    product_id: Id = Field(examples=[examples.PRODUCT_ID])
    supply_price_fen: Fen = Field(examples=[2200])
    suggested_retail_fen: Fen = Field(examples=[4990])
    floor_price_fen: Fen = Field(examples=[3590])
    sample_rule: SampleRule | None = None

    @model_validator(mode="after")
    def _prices(self) -> PoolEntryCreate:
        if not self.supply_price_fen <= self.floor_price_fen <= self.suggested_retail_fen:
            raise ValueError("supply price ≤ floor price ≤ suggested retail price")
        return self


class PoolEntryUpdate(WriteSchema):
    supply_price_fen: Fen | None = None
    suggested_retail_fen: Fen | None = None
    floor_price_fen: Fen | None = None
    sample_rule: SampleRule | None = None


class PoolEntry(Schema):
    id: Id
    region_id: Id
    supplier_id: Id
    product_id: Id
    name: str
    brand: str | None
    category: str | None
    supply_price_fen: int
    suggested_retail_fen: int
    floor_price_fen: int
    stock_at_base: int = Field(description="consignment goods on hand at the base")
    sales_count: int
    open_rate_bps: int
    sample_min_followers: int
    sample_min_gmv_30d_fen: int
    sample_min_level: int
    sample_return_required: bool
    status: str
    status_reason: str | None
    created_at: Timestamp


class PoolSort(StrEnum):
    commission = "-commission"
    sales = "-sales"
    price = "price"
    price_desc = "-price"


class PoolHit(Schema):
    id: Id
    product_id: Id
    name: str
    brand: str | None
    category: str | None
    suggested_retail_fen: int
    floor_price_fen: int
    open_rate_bps: int
    sales_count: int
    stock_at_base: int


class PoolPage(Schema):
    hits: list[PoolHit]
    total: int
    source: str = Field(description="meilisearch, or database when the index is unavailable")
