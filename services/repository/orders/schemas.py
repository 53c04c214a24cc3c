from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from shared.schemas import Schema, WriteSchema

PaymentMethod = Literal["card", "bank_transfer", "cod", "credit"]
MAX_LINES = 200
# A window date outside these bounds is a mistake (0001-01-01, 9999-12-31), not a window.
WINDOW_DAYS_PAST = 400
WINDOW_DAYS_AHEAD = 60


def _reasonable_window_date(day: date) -> date:
    today = datetime.now(UTC).date()
    earliest, latest = (
        today - timedelta(days=WINDOW_DAYS_PAST),
        today + timedelta(days=WINDOW_DAYS_AHEAD),
    )
    if not earliest <= day <= latest:
        raise ValueError(
            f"a window date is between {earliest.isoformat()} and {latest.isoformat()}"
        )
    return day


WindowDate = Annotated[date, AfterValidator(_reasonable_window_date)]


class CartLineUpdate(WriteSchema):
    cases: int = Field(gt=0, le=100_000, examples=[6])
    buyer_org_id: uuid.UUID | None = Field(
        default=None, description="Needed only when you buy for several stations or shops"
    )


class CartProblem(Schema):
    code: str
    message: str


class CartLine(Schema):
    offer_id: uuid.UUID
    variant_id: uuid.UUID | None
    product_name: str | None
    variant_name: str | None
    cases: int
    unit_price_fen: int | None = Field(description="Per case, the tier this quantity reaches")
    amount_fen: int | None
    available_cases: int | None = Field(description="Stocked offers: cases free right now")
    problems: list[CartProblem] = Field(description="What would stop this line being ordered")


class Cart(Schema):
    buyer_org_id: uuid.UUID
    lines: list[CartLine]
    total_fen: int


class OrderLineCreate(WriteSchema):
    offer_id: uuid.UUID
    cases: int = Field(gt=0, le=100_000)


# Each line is checked by the service against OrderLineCreate, so that one malformed
# line is reported together with every other line's problems in one 422.
OrderLineInput = Annotated[
    Any,
    WithJsonSchema(
        {
            "type": "object",
            "title": "OrderLineCreate",
            "properties": {
                "offer_id": {"type": "string", "format": "uuid"},
                "cases": {"type": "integer", "exclusiveMinimum": 0, "maximum": 100_000},
            },
            "required": ["offer_id", "cases"],
            "additionalProperties": False,
        }
    ),
]


class OrderCreate(WriteSchema):
    buyer_org_id: uuid.UUID | None = None
    payment_method: PaymentMethod
    lines: list[OrderLineInput] | None = Field(default=None, max_length=MAX_LINES)
    from_cart: bool = False
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def lines_or_cart(self) -> OrderCreate:
        if self.from_cart == bool(self.lines):
            raise ValueError("send either lines or from_cart: true")
        return self


class OrderCancel(WriteSchema):
    reason: str = Field(min_length=2, max_length=500, examples=["村站下错了规格，改订 500 g 装"])


class OrderLine(Schema):
    id: uuid.UUID
    line_no: int
    offer_id: uuid.UUID
    variant_id: uuid.UUID
    supplier_id: uuid.UUID
    fulfilment: str
    cases: int
    case_pack: int
    unit_price_fen: int
    amount_fen: int
    allocated_cases: int
    shortened_cases: int


class OrderTransition(Schema):
    from_status: str | None
    to_status: str
    action: str
    actor_user_id: uuid.UUID | None
    reason: str | None
    at: datetime


class OrderSummary(Schema):
    id: uuid.UUID
    number: str
    region_id: uuid.UUID
    buyer_org_id: uuid.UUID
    status: str
    payment_method: str
    window_date: date = Field(description="Local date of the cut-off closing the order's window")
    cutoff_at: datetime
    delivery_date: date | None
    station_org_id: uuid.UUID | None
    placed_at: datetime
    reserved_until: datetime | None
    total_fen: int
    placed_total_fen: int
    shortened_fen: int
    line_count: int
    version: int


class Order(OrderSummary):
    route_id: uuid.UUID | None
    stop_id: uuid.UUID | None
    note: str | None
    parcels_expected: int
    parcels_delivered: int
    delivered_at: datetime | None
    lines: list[OrderLine]
    transitions: list[OrderTransition]
    allowed_actions: list[str] = Field(
        description="What you may still do: cancel before the cut-off"
    )


class WindowClosureCreate(WriteSchema):
    route_id: uuid.UUID | None = Field(
        default=None, description="Close the window for this route only (else the region)"
    )
    reason: str | None = Field(default=None, max_length=500)


class WindowClosure(Schema):
    region_id: uuid.UUID
    window_date: date
    route_id: uuid.UUID | None
    closed_at: datetime
    closed_by_user_id: uuid.UUID | None
    reason: str | None
    orders_closed: int = Field(description="Orders of the window whose cut-off became now")
