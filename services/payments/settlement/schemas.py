from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Fen, Schema, TermsDays, WriteSchema

OrderStatus = Literal["placed", "paid", "accepted_on_credit", "credit_refused", "cancelled"]
PaymentMethod = Literal["card", "bank_transfer", "cod", "credit"]


class OrderMoney(Schema):
    order_id: uuid.UUID
    payment_method: str
    status: str
    placed_at: datetime
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


class BankReceiptCreate(WriteSchema):
    reference_code: str = Field(
        min_length=4,
        max_length=40,
        description="The code the buyer wrote in the transfer's remark (the order's)",
        examples=["FQ3A7C9E21B04D"],
    )
    amount_fen: Fen = Field(gt=0, examples=[153600])
    bank_reference: str = Field(min_length=1, max_length=100, examples=["ABC-20261201-0001"])


class HandInCreate(WriteSchema):
    amount_fen: Fen = Field(description="Cash the driver handed in", examples=[86400])


class RunReport(Schema):
    run_id: uuid.UUID
    collections: int
    collected_fen: Fen
    handed_in_fen: Fen
    missing_fen: Fen
    surplus_fen: Fen


class CreditLineUpdate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
    limit_fen: Fen = Field(description="Credit limit (0: no credit)", examples=[500000])
    terms_days: TermsDays = 30


class CreditLine(Schema):
    buyer_org_id: uuid.UUID
    region_id: uuid.UUID
    limit_fen: Fen
    terms_days: TermsDays
    set_at: datetime = Field(description="When these terms were set")


class Refund(Schema):
    """Money an order gave back: a Stripe refund to the card, or a credit note (buyer
    credit, which the buyer may have paid back by bank: see bank refunds)."""

    id: uuid.UUID
    order_id: uuid.UUID
    kind: Literal["stripe_refund", "credit_note"]
    amount_fen: Fen
    status: Literal["pending", "done"]
    created_at: datetime


class BankReceipt(Schema):
    id: uuid.UUID
    order_id: uuid.UUID
    amount_fen: Fen
    bank_reference: str
    created_at: datetime
