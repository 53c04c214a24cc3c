from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from shared.schemas import Fen, Schema, Timestamp, WriteSchema

PurchaseOrderStatus = Literal[
    "sent", "confirmed", "partially_confirmed", "shipped", "received", "cancelled"
]


class ConsolidationRun(Schema):
    region_id: uuid.UUID
    window_date: date
    status: str = Field(
        description="queued (asked for; the worker starts it) | running | done "
        "(a crashed run stays running until re-run)"
    )
    phase: str = Field(description="queued | orders | suppliers | running | done")
    attempts: int
    orders_total: int = Field(description="Confirmed orders this attempt consolidates")
    orders_done: int
    suppliers_total: int = Field(description="Suppliers with lines to buy this attempt")
    suppliers_done: int
    orders: int
    lines: int
    purchase_orders: int
    requested_by_user_id: uuid.UUID | None
    started_at: Timestamp | None
    finished_at: Timestamp | None


class PurchaseOrderLine(Schema):
    variant_id: uuid.UUID
    product_name: str | None = None
    variant_name: str | None = None
    sku: str | None = None
    ordered_cases: int
    confirmed_cases: int | None
    accepted_cases: int
    rejected_cases: int
    rejection_reason: str | None
    unit_cost_fen: Fen = Field(
        description="Paid to the supplier per case: the case-weighted mean of the order "
        "lines' unit prices (rounded down)"
    )


class PurchaseOrderSummary(Schema):
    id: uuid.UUID
    number: str
    region_id: uuid.UUID
    window_date: date
    supplier_id: uuid.UUID
    round_no: int = Field(
        description="1 for the window's first purchase order from the supplier; 2, 3 ... "
        "for lines that reached the window after the supplier answered"
    )
    warehouse_id: uuid.UUID | None
    status: str
    expected_arrival: date | None
    total_cost_fen: Fen
    confirmed_at: Timestamp | None
    shipped_at: Timestamp | None
    received_at: Timestamp | None
    created_at: Timestamp
    version: int


class PurchaseOrder(PurchaseOrderSummary):
    allowed_actions: list[str]
    lines: list[PurchaseOrderLine]


class ConfirmationLine(WriteSchema):
    variant_id: uuid.UUID
    confirmed_cases: int = Field(ge=0, le=1_000_000)


class PurchaseOrderConfirm(WriteSchema):
    lines: list[ConfirmationLine] = Field(
        default_factory=list,
        max_length=1000,
        description="Lines the supplier cannot deliver in full; a line not listed is "
        "confirmed in full (an empty list confirms everything)",
    )


class ReceiptLine(WriteSchema):
    variant_id: uuid.UUID = Field(examples=["3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f"])
    accepted_cases: int = Field(ge=0, le=1_000_000, examples=[38])
    rejected_cases: int = Field(default=0, ge=0, le=1_000_000)
    reason: str | None = Field(
        default=None, max_length=500, description="Quality reason; required when rejecting"
    )


class GoodsReceiptCreate(WriteSchema):
    lines: list[ReceiptLine] = Field(
        min_length=1,
        max_length=1000,
        description="One entry per line the supplier confirmed (more than zero cases)",
        examples=[
            [
                {
                    "variant_id": "3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
                    "accepted_cases": 38,
                    "rejected_cases": 2,
                    "reason": "两箱受潮结块",
                }
            ]
        ],
    )
