from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from shared.schemas import Fen, Schema, TermsDays, WriteSchema

PaymentMethod = Literal["card", "bank_transfer", "cod", "credit"]


class BuyerTermsUpdate(WriteSchema):
    payment_methods: list[PaymentMethod] | None = Field(default=None, min_length=1)
    credit_limit_fen: Fen | None = None
    terms_days: TermsDays | None = Field(
        default=None, description="账期 in days (the shared rule with payments: 0-180)"
    )
    stop_id: uuid.UUID | None = Field(
        default=None, description="The delivery stop the buyer is served at"
    )
    station_org_id: uuid.UUID | None = Field(
        default=None, description="For a shop: the village station it collects from"
    )


class BuyerAccount(Schema):
    org_id: uuid.UUID
    region_id: uuid.UUID
    kind: str
    name: str
    status: str
    stop_id: uuid.UUID | None
    station_org_id: uuid.UUID | None
    payment_methods: list[str]
    credit_limit_fen: int
    terms_days: int
    credit_used_fen: int = 0
    credit_available_fen: int = 0


class BuyAgainItem(Schema):
    offer_id: uuid.UUID
    product_name: str
    variant_name: str
    times_ordered: int
    last_ordered_at: datetime
    last_cases: int
    selling: bool
    price_fen_per_case: int | None


class Suggestion(Schema):
    offer_id: uuid.UUID
    product_name: str
    variant_name: str
    suggested_cases: int
    due_on: date
    reason: str
    reason_zh: str
    basis: dict


class SuggestionReport(Schema):
    """The suggestions and why: `status` tells an empty answer's cause apart."""

    items: list[Suggestion]
    status: Literal["suggested", "no_history", "history_too_short", "nothing_due", "not_on_sale"]
    reason: str
    reason_zh: str
    orders_considered: int = Field(description="Distinct (offer, day) order lines looked at")
    next_due_on: date | None = Field(description="nothing_due: when the first offer is due")
    as_of: date


class PastPurchaseLine(WriteSchema):
    offer_id: uuid.UUID = Field(examples=["5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"])
    ordered_on: date = Field(
        description="the local day it was bought (in the last 400 days)", examples=["2026-10-12"]
    )
    cases: int = Field(gt=0, le=100_000, examples=[6])


class PastPurchasesCreate(WriteSchema):
    """Purchases a buyer made before ordering here; a day recorded again replaces it."""

    source: str = Field(min_length=1, max_length=200, examples=["村站进货台账 2026"])
    lines: list[PastPurchaseLine] = Field(
        min_length=1,
        max_length=1000,
        examples=[
            [
                {
                    "offer_id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
                    "ordered_on": "2026-10-12",
                    "cases": 6,
                }
            ]
        ],
    )


class PastPurchases(Schema):
    buyer_org_id: uuid.UUID
    recorded: int
