from __future__ import annotations

from pydantic import Field, field_validator

from shared.schemas import Id, Schema, Timestamp, WriteSchema


class PayoutAccountUpdate(WriteSchema):
    account_name: str = Field(min_length=1, max_length=200, examples=["封丘县金银花种植专业合作社"])
    bank_name: str = Field(min_length=1, max_length=200, examples=["河南封丘农村商业银行"])
    branch_name: str | None = Field(default=None, max_length=200, examples=["城关支行"])
    account_number: str = Field(
        min_length=8,
        max_length=40,
        description="Digits only (spaces allowed)",
        examples=["6228480000012341234"],
    )

    @field_validator("account_number")
    @classmethod
    def digits_only(cls, value: str) -> str:
        digits = value.replace(" ", "")
        if not digits.isdigit() or not 8 <= len(digits) <= 32:
            raise ValueError("a bank account number is 8 to 32 digits")
        return digits


class PayoutAccount(Schema):
    supplier_id: Id
    account_name: str
    bank_name: str
    branch_name: str | None
    account_number_masked: str = Field(examples=["****1234"])
    updated_at: Timestamp
