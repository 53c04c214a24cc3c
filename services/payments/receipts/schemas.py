from __future__ import annotations

import uuid
from datetime import datetime

from shared.schemas import Fen, Schema


class GoodsReceiptLine(Schema):
    variant_id: uuid.UUID
    accepted: int
    rejected: int
    unit_cost_fen: Fen


class GoodsReceipt(Schema):
    purchase_order_id: uuid.UUID
    region_id: uuid.UUID
    supplier_id: uuid.UUID
    lines: list[GoodsReceiptLine]
    accepted_amount_fen: Fen
    rejected_amount_fen: Fen
    received_at: datetime
