from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Fen, Schema, WriteSchema


class CardPaymentSummary(Schema):
    """A payment in a list (without the client secret, which only its buyer's app needs)."""

    id: uuid.UUID
    order_id: uuid.UUID
    buyer_org_id: uuid.UUID
    provider: str
    method: str
    amount_fen: Fen
    currency: str
    status: str
    provider_ref: str | None
    last_error: str | None
    paid_fen: Fen
    refunded_fen: Fen
    created_at: datetime
    updated_at: datetime


class CardPayment(Schema):
    id: uuid.UUID
    order_id: uuid.UUID
    provider: str
    method: str
    amount_fen: Fen
    currency: str
    status: str
    provider_ref: str | None
    client_secret: str | None
    last_error: str | None
    refunded_fen: Fen


class CardIntentCreate(WriteSchema):
    payment_method: str | None = Field(default=None, pattern=r"^pm_[A-Za-z0-9_]+$")


PaymentStatus = Literal["requires_payment", "processing", "succeeded", "failed", "canceled"]
