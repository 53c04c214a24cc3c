from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field, computed_field

from services.payments.refunds.rules import mask_account
from shared.schemas import Fen, Schema, WriteSchema

BankRefundStatus = Literal["requested", "batched", "paid", "failed", "cancelled"]

# a name or bank never starts like a spreadsheet formula (the bank file is a CSV)
_TEXT = r"^[^=+\-@\t\r\n][^\t\r\n]*$"


class BankAccountCreate(WriteSchema):
    account_name: str = Field(
        min_length=1, max_length=100, pattern=_TEXT, examples=["封丘县李庄村服务站"]
    )
    bank_name: str = Field(
        min_length=1, max_length=100, pattern=_TEXT, examples=["中国农业银行封丘支行"]
    )
    account_number: str = Field(pattern=r"^\d{8,34}$", examples=["6228480012345678901"])


class BankAccountUpdate(BankAccountCreate):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])


class BankAccount(Schema):
    """A buyer's bank account as answers show it: the number masked to its last 4 digits."""

    buyer_org_id: uuid.UUID
    region_id: uuid.UUID
    account_name: str
    bank_name: str
    account_number: str = Field(exclude=True)
    set_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def account_number_masked(self) -> str:
        return mask_account(self.account_number)


class BankRefundCreate(WriteSchema):
    buyer_org_id: uuid.UUID = Field(examples=["4a6c8e02-3b5d-4f7a-9c1e-2d4f6a8b0c2e"])
    amount_fen: int | None = Field(
        default=None,
        gt=0,
        le=10**13,
        description="Omitted: everything that may go back (the order's, or all the credit)",
    )
    order_id: uuid.UUID | None = Field(
        default=None, description="Refund what this order gave back as credit"
    )
    bank_account: BankAccountCreate | None = Field(
        default=None, description="Omitted: the account the operator recorded for the buyer"
    )
    reason: str | None = Field(default=None, max_length=500)


class BankRefundConfirm(WriteSchema):
    bank_reference: str = Field(min_length=1, max_length=100, examples=["ABC-20261201-0001"])


class BankRefundFail(WriteSchema):
    reason: str = Field(min_length=1, max_length=500, examples=["户名与账号不符，银行退回"])


class BankRefundCancel(WriteSchema):
    reason: str | None = Field(default=None, max_length=500)


class BankRefund(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    buyer_org_id: uuid.UUID
    order_id: uuid.UUID | None
    amount_fen: Fen
    status: BankRefundStatus
    account_name: str
    bank_name: str
    account_number: str = Field(exclude=True)
    reason: str | None
    batch_id: uuid.UUID | None
    bank_reference: str | None
    paid_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def account_number_masked(self) -> str:
        return mask_account(self.account_number)


class BankRefundBatch(Schema):
    id: uuid.UUID
    region_id: uuid.UUID
    refund_count: int
    total_fen: Fen
    created_at: datetime


class BankRefundBatchCreate(WriteSchema):
    region_id: uuid.UUID = Field(examples=["6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"])
