from __future__ import annotations

import uuid

from pydantic import Field

from shared.schemas import Fen, Schema, WriteSchema


class PaymentOut(Schema):
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


class IntentRequest(WriteSchema):
    payment_method: str | None = Field(default=None, pattern=r"^pm_[A-Za-z0-9_]+$")
