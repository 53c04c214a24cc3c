from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shared.schemas import Fen, Schema, WriteSchema


class OrderMoney(Schema):
    order_id: uuid.UUID
    payment_method: str
    status: str
    total_fen: Fen
    removed_fen: Fen
    paid_fen: Fen
    refunded_fen: Fen
    owed_fen: Fen
    reference_code: str | None
    delivered_at: datetime | None = Field(
        default=None, description="When the goods reached the buyer (not kept for COD)"
    )
    closed_at: datetime | None = Field(
        default=None, description="When the repository closed the order"
    )


class BankReceiptIn(WriteSchema):
    reference_code: str = Field(min_length=4, max_length=40)
    amount_fen: int = Field(gt=0)
    bank_reference: str = Field(min_length=1, max_length=100)


class HandInIn(WriteSchema):
    amount_fen: int = Field(ge=0)


class RunReport(Schema):
    run_id: uuid.UUID
    collections: int
    collected_fen: Fen
    handed_in_fen: Fen
    missing_fen: Fen
    surplus_fen: Fen


class CreditLineIn(WriteSchema):
    region_id: uuid.UUID
    limit_fen: int = Field(ge=0)
    terms_days: int = Field(default=30, ge=1, le=365)


class CreditLineOut(Schema):
    buyer_org_id: uuid.UUID
    region_id: uuid.UUID
    limit_fen: Fen
    terms_days: int
    set_at: datetime | None = Field(default=None, description="When these terms were set")
