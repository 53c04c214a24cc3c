from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Fen, Schema, SignedFen, WriteSchema

CommissionPayoutStatus = Literal["payable", "carried_forward", "batched", "paid"]
CommissionBatchStatus = Literal["open", "paid"]
PayeeKind = Literal["streamer", "agency"]


class CommissionPayout(Schema):
    """An approved livestream commission statement as payments books and pays it."""

    id: uuid.UUID
    statement_id: uuid.UUID
    region_id: uuid.UUID
    payee_org_id: uuid.UUID
    payee_kind: PayeeKind
    period: str = Field(description="The statement's local month, YYYY-MM")
    total_fen: SignedFen = Field(description="The statement's total (negative: clawbacks)")
    line_count: int
    approved_at: datetime
    carried_in_fen: SignedFen = Field(description="Clawback carried in from before (<= 0)")
    amount_fen: Fen = Field(description="What this statement pays (total + carried in, >= 0)")
    carried_out_fen: SignedFen = Field(description="Carried on to the next statement (<= 0)")
    status: CommissionPayoutStatus
    batch_id: uuid.UUID | None
    paid_at: datetime | None
    created_at: datetime
    updated_at: datetime


class CommissionPayee(Schema):
    """A streamer's or agency's commission account with payments."""

    payee_org_id: uuid.UUID
    region_id: uuid.UUID
    payee_kind: PayeeKind
    carried_forward_fen: SignedFen = Field(
        description="Clawback the next positive statement nets first (<= 0)"
    )
    payable_fen: Fen = Field(description="Booked and not paid yet (payable or in a bank file)")
    paid_fen: Fen
    ledger_balance_fen: SignedFen = Field(
        description="The ledger's commission_payable balance (credit-positive): "
        "payable_fen + carried_forward_fen"
    )


class CommissionPayoutBatchCreate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])


class CommissionPayoutBatchUpdate(WriteSchema):
    """Marking the batch paid: the bank's reference of the transfer, when there is one."""

    bank_reference: str | None = Field(default=None, min_length=1, max_length=100)


class CommissionPayoutBatch(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    status: CommissionBatchStatus
    payout_count: int
    total_fen: Fen
    bank_reference: str | None
    paid_at: datetime | None
    created_at: datetime
