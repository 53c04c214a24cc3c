from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shared.schemas import Fen, Schema, WriteSchema


class CloseIn(WriteSchema):
    region_id: uuid.UUID
    month: str = Field(pattern=r"^\d{4}-\d{2}$")


class SupplierStatementOut(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    supplier_id: uuid.UUID
    month: str
    sold_fen: Fen
    shortages_fen: Fen
    fee_fen: Fen
    payable_fen: Fen
    status: str
    paid_at: datetime | None
