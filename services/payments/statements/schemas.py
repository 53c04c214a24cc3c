from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shared.schemas import MONTH_DOC, MONTH_PATTERN, Fen, Schema, SignedFen, WriteSchema


class SupplierStatementCreate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    month: str = Field(pattern=MONTH_PATTERN, description=MONTH_DOC, examples=["2026-11"])


class SupplierStatement(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    supplier_id: uuid.UUID
    month: str
    timezone: str = Field(description="The region's time zone the month was counted in")
    period_start: datetime | None = Field(description="First instant of the month (UTC)")
    period_end: datetime | None = Field(description="End of the month, exclusive (UTC)")
    sold_fen: Fen
    shortages_fen: Fen
    fee_fen: Fen
    consignment_fen: SignedFen = Field(
        0, description="Consigned goods sold live at the base in the month, at supply price"
    )
    payable_fen: SignedFen
    status: str
    paid_at: datetime | None


class BuyerStatementOrder(Schema):
    order_id: uuid.UUID
    placed_at: datetime
    payment_method: str
    status: str
    total_fen: Fen
    removed_fen: Fen
    paid_fen: Fen
    refunded_fen: Fen
    owed_fen: Fen
    delivered_at: datetime | None
    closed_at: datetime | None


class BuyerStatement(Schema):
    buyer_org_id: uuid.UUID
    month: str
    timezone: str = Field(description="The buyer's region's time zone the month is counted in")
    period_start: datetime = Field(description="First instant of the month (UTC)")
    period_end: datetime = Field(description="End of the month, exclusive (UTC)")
    orders: list[BuyerStatementOrder]
    total_fen: Fen
    paid_fen: Fen
    refunded_fen: Fen
    owed_fen: Fen
    credit_balance_fen: Fen = Field(description="Credit held, not set aside for a bank refund")
