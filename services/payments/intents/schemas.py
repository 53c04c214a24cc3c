from __future__ import annotations

import uuid

from shared.schemas import Fen, Schema


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
