"""Statements: per buyer (orders, payments, refunds, credit) and per supplier and month."""

from __future__ import annotations

import io
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.ledger import core
from services.payments.ledger.repository import LedgerRepository
from services.payments.problems import MONTH_NOT_OVER, STATEMENT_PAID
from services.payments.regions import calendar
from services.payments.regions import service as regions
from services.payments.settlement.service import owed_fen
from services.payments.statements import rules
from services.payments.statements.models import SupplierStatement
from services.payments.statements.repository import SORT_COLUMNS, StatementRepository
from shared.auth import ensure_operator_of, ensure_readable
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import Event
from shared.pagination import Sort, paginate


def _bounds(month: str, tz: str) -> tuple[datetime, datetime]:
    """The month's first and last instants in the region's calendar (tz)."""
    try:
        return calendar.month_bounds(month, tz)
    except (ValueError, OverflowError) as exc:
        raise RuleViolation("month must be a calendar month like 2026-11") from exc


async def buyer_statement(
    session: AsyncSession, principal: Principal, buyer_org_id: uuid.UUID, month: str
) -> dict[str, Any]:
    region_id = await regions.buyer_region(session, buyer_org_id)
    ensure_readable(principal, org_id=buyer_org_id, region_id=region_id, what="organisation")
    tz = await regions.timezone_of(session, region_id)
    start, end = _bounds(month, tz)
    orders = await StatementRepository(session).buyer_orders(buyer_org_id, start, end)
    credit = -await LedgerRepository(session).balance(
        core.Account(core.Purpose.BUYER_CREDIT, buyer_org_id)
    )
    rows = [
        {
            "order_id": o.order_id,
            "placed_at": o.placed_at,
            "payment_method": o.payment_method,
            "status": o.status,
            "total_fen": o.total_fen,
            "removed_fen": o.removed_fen,
            "paid_fen": o.paid_fen,
            "refunded_fen": o.refunded_fen,
            "owed_fen": owed_fen(o),
            "delivered_at": o.delivered_at,
            "closed_at": o.closed_at,
        }
        for o in orders
    ]
    return {
        "buyer_org_id": buyer_org_id,
        "month": month,
        "timezone": tz,
        "period_start": start,
        "period_end": end,
        "orders": rows,
        "total_fen": sum(r["total_fen"] for r in rows),
        "paid_fen": sum(r["paid_fen"] for r in rows),
        "refunded_fen": sum(r["refunded_fen"] for r in rows),
        "owed_fen": sum(r["owed_fen"] for r in rows),
        "credit_balance_fen": credit,
    }


async def close_supplier_statements(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, month: str
) -> list[SupplierStatement]:
    """Close a month that is over in the region's calendar: every supplier with sales in
    it gets its statement. A statement once made is final: closing the month again
    answers the same statements unchanged (a replay) and only adds those of suppliers not
    stated yet. What changes afterwards (a late shortage) shows in the ledger, not here."""
    ensure_operator_of(principal, region_id)
    tz = await regions.timezone_of(session, region_id)
    start, end = _bounds(month, tz)
    if utcnow() < end:
        raise RuleViolation(
            f"{month} is not over yet in the region's calendar ({tz}); close it from "
            f"{end.isoformat()} on",
            code=MONTH_NOT_OVER,
            extra={"month": month, "timezone": tz, "closable_from": end.isoformat()},
        )
    per_supplier: dict[uuid.UUID, list[tuple[int, int]]] = {}
    consigned = await StatementRepository(session).consignment_in_period(region_id, start, end)
    for supplier in consigned:
        per_supplier.setdefault(supplier, [])
    for order in await StatementRepository(session).orders_in_period(region_id, start, end):
        for line in order.lines:
            supplier = uuid.UUID(str(line["supplier_id"]))
            shortened = int(order.shortened.get(str(line["line_id"]), 0))
            per_supplier.setdefault(supplier, []).append((int(line["amount_fen"]), shortened))
    result = []
    for supplier, lines in sorted(per_supplier.items()):
        row = await StatementRepository(session).statement(supplier, month)
        if row is None:
            figures = rules.supplier_figures(lines, core.FEE_BPS, consigned.get(supplier, 0))
            row = SupplierStatement(
                region_id=region_id,
                supplier_id=supplier,
                month=month,
                timezone=tz,
                period_start=start,
                period_end=end,
                sold_fen=figures.sold_fen,
                shortages_fen=figures.shortages_fen,
                fee_fen=figures.fee_fen,
                consignment_fen=figures.consignment_fen,
                payable_fen=figures.payable_fen,
                status="open",
            )
            await StatementRepository(session).add(row)
        result.append(row)
    await session.flush()
    return result


async def _statement(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID, lock: bool = False
) -> SupplierStatement:
    """A statement its supplier or its region's operator may read; anyone else 404."""
    row = await StatementRepository(session).get(statement_id, lock=lock)
    if row is None:
        raise NotFound("No such statement")
    ensure_readable(principal, org_id=row.supplier_id, region_id=row.region_id, what="statement")
    return row


async def mark_paid(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID
) -> SupplierStatement:
    row = await _statement(session, principal, statement_id, lock=True)
    ensure_operator_of(principal, row.region_id)  # the supplier reads it, never pays it
    if row.status == "paid":
        raise Conflict("This statement is already paid", code=STATEMENT_PAID)
    await rules.STATEMENT.apply(session, row, "pay", actor_id=principal.user_id)
    row.paid_at = utcnow()
    await LedgerRepository(session).append(
        core.supplier_payout_entry(row.id, row.supplier_id, row.payable_fen),
        row.region_id,
    )
    await session.flush()
    return row


async def statement_xlsx(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID
) -> bytes:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light

    row = await _statement(session, principal, statement_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "statement"
    sheet.append(
        [
            "supplier",
            "month",
            "sold_fen",
            "shortages_fen",
            "fee_fen",
            "payable_fen",
            "consignment_fen",  # included in payable_fen
        ]
    )
    sheet.append(
        [
            str(row.supplier_id),
            row.month,
            row.sold_fen,
            row.shortages_fen,
            row.fee_fen,
            row.payable_fen,
            row.consignment_fen,
        ]
    )
    sheet.append(["status", row.status])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def bank_batch(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, month: str
) -> str:
    """The bank batch-transfer file of the month's open statements with something payable."""
    ensure_operator_of(principal, region_id)
    _bounds(month, "UTC")  # only to refuse what is not a month (the schema already does)
    rows = [
        (str(s.supplier_id), str(s.supplier_id), s.payable_fen, f"statement {s.month} {s.id}")
        for s in await StatementRepository(session).for_region_month(region_id, month)
        if s.status == "open" and s.payable_fen > 0
    ]
    return rules.bank_batch_csv(rows)


async def list_supplier_statements(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    supplier_id: uuid.UUID | None,
    month: str | None,
    status: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[SupplierStatement], str | None]:
    """A supplier sees its own statements; an operator those of its region."""
    stmt = StatementRepository(session).listing(
        principal, region_id=region_id, supplier_id=supplier_id, month=month, status=status
    )
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=SORT_COLUMNS,
        id_column=SupplierStatement.id,
        cursor=cursor,
        limit=limit,
    )


async def record_consignment_payable(session: AsyncSession, event: Event) -> bool:
    """`livestream.consignment.payable`: consigned goods sold live make the supplier's
    payable at their supply price (journalled once per consignment movement; a reversal is
    negative). It goes into the supplier's statement of the month it was sold in; one
    arriving after that month was closed stays in the ledger, like a late shortage."""
    data = event.data
    entry_id = uuid.UUID(str(data["entry_id"]))
    region_id = uuid.UUID(str(data["region_id"]))
    supplier_id = uuid.UUID(str(data["supplier_org_id"]))
    amount = int(data["amount_fen"])
    sale_line = data.get("sale_line_id")
    kept = await StatementRepository(session).insert_consignment_payable_once(
        {
            "entry_id": entry_id,
            "region_id": region_id,
            "supplier_id": supplier_id,
            "catalog_product_id": uuid.UUID(str(data["catalog_product_id"])),
            "sale_line_id": uuid.UUID(str(sale_line)) if sale_line else None,
            "quantity": int(data["quantity"]),
            "supply_price_fen": int(data["supply_price_fen"]),
            "amount_fen": amount,
            "sold_at": datetime.fromisoformat(str(data["sold_at"]).replace("Z", "+00:00")),
        }
    )
    if kept:
        await LedgerRepository(session).append(
            core.consignment_payable_entry(entry_id, supplier_id, amount), region_id
        )
    return kept
