"""Commission statements per streamer and per agency and local month.

- A statement covers a **finished** local month of the region (never one in progress).
- It carries every entry of the payee not yet on a statement that occurred before the
  month's end: the commission of lines that settled, the clawbacks of refunds after
  settlement. So a correction that arrives after a month's statement was approved lands on
  the next statement generated.
- `draft → approved → paid` (lifecycle.STATEMENT). A draft is rebuilt when the operator
  generates the month again; an approved statement never changes. Approval of a positive
  total publishes `livestream.statement.approved` (payments pays it in full); payments'
  `payments.commission_payout.paid` marks it paid.
- **A total <= 0** (clawbacks exceed the commission) asks payments for nothing: approval
  closes it `settled` at once (nothing to pay) and its total becomes the opening line
  (`carried_in_fen`) of the payee's next statement generated for a later month, which nets
  it. So every approved statement ends paid or settled, and payments never sees a
  negative total from here (nothing is netted twice).
"""

from __future__ import annotations

import io
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.access import ensure_operator
from services.livestream.directory.service import timezone_of
from services.livestream.problems import PERIOD_OPEN
from services.livestream.settlement.models import CommissionEntry, SaleLine
from services.livestream.statements.models import Statement
from services.livestream.statements.repository import SORTS, StatementRepository
from shared.auth import ensure_readable
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import ListQuery

APPROVED = "livestream.statement.approved"
STATEMENT_SORT_FIELDS = tuple(SORTS)


def month_bounds(period: str, timezone: str) -> tuple[datetime, datetime]:
    """The local month as [start, end) instants."""
    year, month = (int(p) for p in period.split("-"))
    zone = ZoneInfo(timezone)
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


async def _refresh(repo: StatementRepository, statement: Statement, before: datetime) -> None:
    await repo.detach(statement.id)
    await repo.release_carry(statement.id)
    await repo.attach(
        statement.id, statement.region_id, statement.payee_org_id, statement.payee_kind, before
    )
    commission, clawback, count = await repo.totals(statement.id)
    carried = await repo.carry_into(statement)
    statement.commission_fen = commission
    statement.clawback_fen = clawback
    statement.carried_in_fen = carried
    statement.total_fen = commission + clawback + carried
    statement.line_count = count


async def generate(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, period: str
) -> list[Statement]:
    """Operator: the month's statements (drafts built or rebuilt; approved ones as they are)."""
    ensure_operator(principal, region_id)
    _, end = month_bounds(period, await timezone_of(session, region_id))
    if end > utcnow():
        raise RuleViolation(
            f"{period} is still in progress in the region's time zone", code=PERIOD_OPEN
        )
    repo = StatementRepository(session)
    existing = {(s.payee_org_id, s.payee_kind): s for s in await repo.of_period(region_id, period)}
    for payee, kind in await repo.payees_with_open_entries(region_id, end):
        if (payee, kind) not in existing:
            statement = Statement(
                region_id=region_id, payee_org_id=payee, payee_kind=kind, period=period
            )
            await repo.add(statement)
            await lifecycle.created(
                session,
                lifecycle.STATEMENT,
                statement.id,
                "draft",
                "generate",
                actor_id=principal.user_id,
            )
            existing[(payee, kind)] = statement
    for statement in existing.values():
        if statement.status == "draft":
            await _refresh(repo, statement, end)
    await session.flush()
    return sorted(existing.values(), key=lambda s: (s.payee_kind, str(s.payee_org_id)))


async def _readable(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID, *, lock: bool = False
) -> Statement:
    statement = await StatementRepository(session).get(statement_id, lock=lock)
    if statement is None:
        raise NotFound("No such statement")
    ensure_readable(
        principal, org_id=statement.payee_org_id, region_id=statement.region_id, what="statement"
    )
    return statement


async def get_statement(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID
) -> tuple[Statement, list[tuple[CommissionEntry, SaleLine]]]:
    statement = await _readable(session, principal, statement_id)
    return statement, await StatementRepository(session).entries(statement.id)


async def list_statements(
    session: AsyncSession,
    principal: Principal,
    query: ListQuery,
    *,
    period: str | None,
    status: str | None,
) -> tuple[list[Statement], str | None]:
    repo = StatementRepository(session)
    return await repo.page(repo.readable(principal), query, period=period, status=status)


def approved_event(statement: Statement) -> dict[str, Any]:
    assert statement.approved_at is not None
    return {
        "statement_id": str(statement.id),
        "region_id": str(statement.region_id),
        "payee_org_id": str(statement.payee_org_id),
        "payee_kind": statement.payee_kind,
        "period": statement.period,
        "total_fen": statement.total_fen,
        "line_count": statement.line_count,
        "approved_at": statement.approved_at.isoformat(),
    }


async def approve(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID
) -> Statement:
    statement = await _readable(session, principal, statement_id, lock=True)
    ensure_operator(principal, statement.region_id)
    await lifecycle.apply(
        session, lifecycle.STATEMENT, statement, "approve", actor_id=principal.user_id
    )
    statement.approved_at = utcnow()
    statement.approved_by = principal.user_id
    if statement.total_fen <= 0:
        await lifecycle.apply(
            session,
            lifecycle.STATEMENT,
            statement,
            "settle",
            actor_id=principal.user_id,
            reason="nothing to pay: the total opens the payee's next statement",
            data={"total_fen": statement.total_fen},
        )
        statement.paid_fen = 0
        await session.flush()
        return statement
    await session.flush()
    await publish(session, APPROVED, approved_event(statement), region_id=statement.region_id)
    return statement


async def record_payout(session: AsyncSession, event: Event) -> None:
    """payments paid the statement's bank batch: the statement is paid."""
    data = event.data
    statement = await StatementRepository(session).get(
        uuid.UUID(str(data["statement_id"])), lock=True
    )
    if statement is None or statement.status != "approved":
        return  # unknown, or already paid (a redelivery)
    await lifecycle.apply(
        session,
        lifecycle.STATEMENT,
        statement,
        "pay",
        actor_id=None,
        reason=f"bank batch {data.get('bank_batch_id')}",
        data={"amount_fen": data.get("amount_fen")},
    )
    statement.paid_at = datetime.fromisoformat(str(data["paid_at"]))
    statement.paid_fen = int(data["amount_fen"])
    statement.bank_batch_id = str(data.get("bank_batch_id") or "")[:64] or None
    await session.flush()


HEADERS = (
    "平台 platform",
    "订单号 order id",
    "类型 kind",
    "支付时间 paid at",
    "实付(分) paid fen",
    "退款(分) refunded fen",
    "佣金率(万分比) rate",
    "金额(分) amount fen",
)


async def workbook(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID
) -> tuple[str, bytes]:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light

    statement, entries = await get_statement(session, principal, statement_id)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = statement.period
    sheet.append(["结算单 statement", str(statement.id)])
    sheet.append(["收款方 payee", str(statement.payee_org_id), statement.payee_kind])
    sheet.append(["期间 period", statement.period, "状态 status", statement.status])
    sheet.append([])
    sheet.append(list(HEADERS))
    for entry, line in entries:
        sheet.append(
            [
                line.platform,
                line.platform_order_id,
                entry.kind,
                line.paid_at.isoformat(),
                line.paid_fen,
                line.refunded_fen,
                line.rate_bps,
                entry.amount_fen,
            ]
        )
    sheet.append([])
    sheet.append(["佣金 commission", statement.commission_fen])
    sheet.append(["扣回 clawbacks", statement.clawback_fen])
    sheet.append(["上期结转 carried in", statement.carried_in_fen])
    sheet.append(["合计 total", statement.total_fen])
    out = io.BytesIO()
    book.save(out)
    return f"statement-{statement.period}-{statement.payee_kind}.xlsx", out.getvalue()
