"""The cut-off board of one window for the region's operator: its orders by status,
purchase orders by supplier and their state, and the shortages per variant."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.board.repository import BoardRepository
from services.repository.board.workbook import board_workbook
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of


@dataclass
class StatusTotals:
    status: str
    orders: int = 0
    lines: int = 0
    cases: int = 0
    value_fen: int = 0
    buyer_ids: set[uuid.UUID] = field(default_factory=set)

    def add(self, row: Any) -> None:
        self.orders += 1
        self.lines += int(row.lines)
        self.cases += int(row.cases)
        self.value_fen += order_value(row)
        self.buyer_ids.add(row.buyer_org_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "orders": self.orders,
            "lines": self.lines,
            "cases": self.cases,
            "buyers": len(self.buyer_ids),
            "value_fen": self.value_fen,
        }


@dataclass(frozen=True)
class Board:
    region_id: uuid.UUID
    window_date: date
    consolidation: dict[str, Any] | None
    totals: dict[str, Any]
    orders_by_status: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    purchase_orders: list[dict[str, Any]]
    shortages: list[dict[str, Any]]


def order_value(row: Any) -> int:
    """What the order is worth now: placed total less what was shortened."""
    return int(row.placed_total_fen) - int(row.shortened_fen)


async def window_board(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, window_date: date
) -> Board:
    ensure_operator_of(principal, region_id)
    order_rows = await BoardRepository(session).orders(region_id, window_date)
    run = await BoardRepository(session).run_of(region_id, window_date)
    return Board(
        region_id=region_id,
        window_date=window_date,
        consolidation=None
        if run is None
        else {
            "status": run.status,
            "attempts": run.attempts,
            "finished_at": run.finished_at,
        },
        totals=_totals(order_rows),
        orders_by_status=_by_status(order_rows),
        orders=[_order(row) for row in order_rows],
        purchase_orders=[
            _purchase_order(row)
            for row in await BoardRepository(session).purchase_orders(region_id, window_date)
        ],
        shortages=[
            _shortage(row)
            for row in await BoardRepository(session).shortages(region_id, window_date)
        ],
    )


def _totals(rows: list[Any]) -> dict[str, Any]:
    """The window's orders that still count (cancelled ones are left out)."""
    live = StatusTotals("all")
    for row in rows:
        if row.status != "cancelled":
            live.add(row)
    totals = live.as_dict()
    totals.pop("status")
    totals["shortened_fen"] = sum(int(row.shortened_fen) for row in rows)
    return totals


def _by_status(rows: list[Any]) -> list[dict[str, Any]]:
    groups: dict[str, StatusTotals] = defaultdict(lambda: StatusTotals(""))
    for row in rows:
        group = groups[row.status]
        group.status = row.status
        group.add(row)
    return [groups[status].as_dict() for status in sorted(groups)]


def _order(row: Any) -> dict[str, Any]:
    return {
        "order_id": row.id,
        "number": row.number,
        "buyer_org_id": row.buyer_org_id,
        "buyer_name": row.buyer_name,
        "status": row.status,
        "payment_method": row.payment_method,
        "placed_at": row.placed_at,
        "delivery_date": row.delivery_date,
        "lines": int(row.lines),
        "cases": int(row.cases),
        "placed_total_fen": int(row.placed_total_fen),
        "shortened_fen": int(row.shortened_fen),
        "value_fen": order_value(row),
    }


def _purchase_order(row: Any) -> dict[str, Any]:
    return {
        "purchase_order_id": row.id,
        "number": row.number,
        "supplier_id": row.supplier_id,
        "supplier_name": row.supplier_name,
        "status": row.status,
        "expected_arrival": row.expected_arrival,
        "lines": int(row.lines),
        "ordered_cases": int(row.ordered),
        "confirmed_cases": None if row.confirmed is None else int(row.confirmed),
        "accepted_cases": int(row.accepted),
        "rejected_cases": int(row.rejected),
        "total_cost_fen": int(row.total_cost_fen),
    }


def _shortage(row: Any) -> dict[str, Any]:
    return {
        "variant_id": row.variant_id,
        "product_name": row.product_name,
        "variant_name": row.variant_name,
        "supplier_id": row.supplier_id,
        "supplier_name": row.supplier_name,
        "ordered_cases": int(row.ordered),
        "shortened_cases": int(row.shortened),
        "shortened_fen": int(row.shortened_fen),
        "orders_affected": int(row.orders),
    }


async def window_board_workbook(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, window_date: date
) -> bytes:
    return board_workbook(await window_board(session, principal, region_id, window_date))
