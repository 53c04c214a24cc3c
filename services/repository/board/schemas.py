from __future__ import annotations

import uuid
from datetime import date

from shared.schemas import Fen, Schema, Timestamp


class RunState(Schema):
    status: str
    attempts: int
    finished_at: Timestamp | None


class WindowTotals(Schema):
    orders: int
    lines: int
    cases: int
    buyers: int
    value_fen: Fen
    shortened_fen: Fen


class StatusGroup(Schema):
    status: str
    orders: int
    lines: int
    cases: int
    buyers: int
    value_fen: Fen


class BoardOrder(Schema):
    order_id: uuid.UUID
    number: str
    buyer_org_id: uuid.UUID
    buyer_name: str | None
    status: str
    payment_method: str
    placed_at: Timestamp
    delivery_date: date | None
    lines: int
    cases: int
    placed_total_fen: Fen
    shortened_fen: Fen
    value_fen: Fen


class BoardPurchaseOrder(Schema):
    purchase_order_id: uuid.UUID
    number: str
    supplier_id: uuid.UUID
    supplier_name: str | None
    status: str
    expected_arrival: date | None
    lines: int
    ordered_cases: int
    confirmed_cases: int | None
    accepted_cases: int
    rejected_cases: int
    total_cost_fen: Fen


class BoardShortage(Schema):
    variant_id: uuid.UUID
    product_name: str | None
    variant_name: str | None
    supplier_id: uuid.UUID
    supplier_name: str | None
    ordered_cases: int
    shortened_cases: int
    shortened_fen: Fen
    orders_affected: int


class WindowBoard(Schema):
    region_id: uuid.UUID
    window_date: date
    consolidation: RunState | None
    totals: WindowTotals
    orders_by_status: list[StatusGroup]
    orders: list[BoardOrder]
    purchase_orders: list[BoardPurchaseOrder]
    shortages: list[BoardShortage]
