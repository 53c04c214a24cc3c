from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.livestream import examples
from shared.schemas import MONTH_PATTERN, Id, Schema, Timestamp, WriteSchema

PERIOD = MONTH_PATTERN


class StatementGenerate(WriteSchema):
    region_id: Id = Field(examples=[examples.REGION_ID])
    period: str = Field(
        pattern=PERIOD, description="YYYY-MM, the region's local month", examples=["2026-11"]
    )


class StatementEntry(Schema):
    entry_id: Id
    line_id: Id
    platform: str
    platform_order_id: str
    kind: Literal["commission", "clawback"]
    amount_fen: int
    paid_fen: int
    refunded_fen: int
    rate_bps: int
    paid_at: Timestamp
    occurred_at: Timestamp


class Statement(Schema):
    id: Id
    region_id: Id
    payee_org_id: Id
    payee_kind: Literal["streamer", "agency"]
    period: str
    status: Literal["draft", "approved", "paid", "settled"]
    commission_fen: int
    clawback_fen: int
    carried_in_fen: int = Field(
        description="Opening line: the payee's earlier statement that closed at <= 0 (<= 0)"
    )
    total_fen: int = Field(description="commission + clawbacks + carried in")
    line_count: int
    approved_at: Timestamp | None
    paid_at: Timestamp | None
    paid_fen: int | None
    bank_batch_id: str | None


class StatementDetail(Schema):
    statement: Statement
    entries: list[StatementEntry]
