from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shared.schemas import Fen, Schema, SignedFen


class TrialBalanceAccount(Schema):
    purpose: str = Field(description="Account kind, e.g. buyer_receivable, supplier_payable")
    org_id: uuid.UUID | None = Field(description="The organisation; null for the platform's")
    debit_fen: Fen
    credit_fen: Fen
    balance_fen: SignedFen = Field(description="Debits less credits")


class TrialBalance(Schema):
    """Every account the region's journal entries touch, with totals (debits = credits)."""

    region_id: uuid.UUID
    accounts: list[TrialBalanceAccount]
    debit_fen: Fen
    credit_fen: Fen
    balanced: bool


class AccountLine(Schema):
    """One posting of an account statement, with the account's balance after it."""

    line_id: int
    entry_id: uuid.UUID
    cause_type: str
    cause_id: str
    memo: str
    at: datetime
    debit_fen: Fen
    credit_fen: Fen
    balance_fen: SignedFen = Field(description="Running balance (debits less credits)")
