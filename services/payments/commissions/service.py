"""Livestream commission payouts: an approved statement is booked as commission payable to
its streamer or agency, netted against any clawback carried forward, paid in a bank batch
file (the suppliers' file format) and, once the batch is marked paid, journalled out of the
bank and announced (`payments.commission_payout.paid`).

Idempotent on `statement_id`: a replayed approval (same event again, or another event for
the same statement) finds the statement booked and changes nothing. A payee's statements
are netted in the order payments receives them (each locks the payee's row)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.commissions import rules
from services.payments.commissions.models import (
    CommissionPayout,
    CommissionPayoutBatch,
)
from services.payments.commissions.repository import (
    BATCH_SORT_COLUMNS,
    PAYOUT_SORT_COLUMNS,
    CommissionRepository,
)
from services.payments.ledger import core
from services.payments.ledger.repository import LedgerRepository
from services.payments.problems import NOTHING_TO_PAY_OUT
from services.payments.statements.rules import bank_batch_csv
from shared.auth import ensure_operator_of, ensure_readable, may_read
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import ListQuery, paginate_list

log = structlog.get_logger(__name__)

PAYOUT_PAID = "payments.commission_payout.paid"


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


async def on_statement_approved(session: AsyncSession, event: Event) -> CommissionPayout | None:
    """`livestream.statement.approved`: book the statement's total as commission payable
    (or, for a clawback, as a debit on the payee's payable) and net it with the carry."""
    data = event.data
    statement_id = uuid.UUID(str(data["statement_id"]))
    payee_org_id = uuid.UUID(str(data["payee_org_id"]))
    region_id = uuid.UUID(str(data["region_id"]))
    kind = str(data["payee_kind"])
    if kind not in rules.PAYEE_KINDS:
        log.warning(
            "payments.commission_statement_refused", statement_id=str(statement_id), payee_kind=kind
        )
        return None
    repo = CommissionRepository(session)
    payee = await repo.payee_for_update(payee_org_id, region_id, kind)
    existing = await repo.payout_of_statement(statement_id)
    if existing is not None:
        return existing  # a replay: booked once already
    if payee.region_id != region_id:
        log.warning(
            "payments.commission_statement_refused",
            statement_id=str(statement_id),
            reason="payee belongs to another region",
        )
        return None
    total = int(data["total_fen"])
    netted = rules.net_statement(total, payee.carried_fen)
    payout = CommissionPayout(
        id=uuid.uuid4(),
        statement_id=statement_id,
        region_id=region_id,
        payee_org_id=payee_org_id,
        payee_kind=kind,
        period=str(data["period"]),
        total_fen=total,
        line_count=int(data.get("line_count") or 0),
        approved_at=_when(data["approved_at"]),
        carried_in_fen=netted.carried_in_fen,
        amount_fen=netted.amount_fen,
        carried_out_fen=netted.carried_out_fen,
        status=netted.status,
    )
    await repo.add(payout)
    payee.carried_fen = netted.carried_out_fen
    await LedgerRepository(session).append(
        core.commission_statement_entry(statement_id, payee_org_id, total), region_id
    )
    await session.flush()
    return payout


# ------------------------------------------------------------------ what a payee sees


async def payee_account(
    session: AsyncSession, principal: Principal, payee_org_id: uuid.UUID
) -> dict[str, Any]:
    """The payee's commission: carried forward, payable (booked, not paid yet), paid, and
    the ledger's balance of its account. Its own members and its region's operator only."""
    repo = CommissionRepository(session)
    payee = await repo.payee(payee_org_id)
    if payee is None:
        raise NotFound("No such payee")
    ensure_readable(principal, org_id=payee_org_id, region_id=payee.region_id, what="payee")
    sums = await repo.payee_sums(payee_org_id)
    balance = -await LedgerRepository(session).balance(
        core.Account(core.Purpose.COMMISSION_PAYABLE, payee_org_id)
    )
    return {
        "payee_org_id": payee.payee_org_id,
        "region_id": payee.region_id,
        "payee_kind": payee.payee_kind,
        "carried_forward_fen": payee.carried_fen,
        "payable_fen": sums.get("payable", 0) + sums.get("batched", 0),
        "paid_fen": sums.get("paid", 0),
        "ledger_balance_fen": balance,
    }


async def get_payout(
    session: AsyncSession, principal: Principal, statement_id: uuid.UUID
) -> CommissionPayout:
    row = await CommissionRepository(session).payout_of_statement(statement_id)
    if row is None:
        raise NotFound("No such commission payout")
    ensure_readable(
        principal, org_id=row.payee_org_id, region_id=row.region_id, what="commission payout"
    )
    return row


async def list_payouts(
    session: AsyncSession,
    principal: Principal,
    query: ListQuery,
    *,
    region_id: uuid.UUID | None,
    payee_org_id: uuid.UUID | None,
    period: str | None,
    status: str | None,
    batch_id: uuid.UUID | None,
) -> tuple[list[CommissionPayout], str | None]:
    """A payee sees its own payouts; an operator those of its region."""
    stmt = CommissionRepository(session).payout_listing(
        principal,
        region_id=region_id,
        payee_org_id=payee_org_id,
        period=period,
        status=status,
        batch_id=batch_id,
    )
    return await paginate_list(
        session, stmt, query, sort_columns=PAYOUT_SORT_COLUMNS, id_column=CommissionPayout.id
    )


# ------------------------------------------------------------------ the operator's batches


async def create_batch(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> CommissionPayoutBatch:
    """Put every payable commission of the region into one new bank file (rows locked:
    a payout is in one file only, so the bank is never asked to pay it twice)."""
    ensure_operator_of(principal, region_id, rules.MONEY_ROLES)
    repo = CommissionRepository(session)
    payouts = await repo.payable_in_region(region_id)
    if not payouts:
        raise RuleViolation("No commission is waiting to be paid", code=NOTHING_TO_PAY_OUT)
    batch = CommissionPayoutBatch(
        id=uuid.uuid4(),
        region_id=region_id,
        status="open",
        payout_count=len(payouts),
        total_fen=sum(p.amount_fen for p in payouts),
        created_by=principal.user_id,
    )
    await repo.add(batch)
    for payout in payouts:
        payout.batch_id = batch.id
        await rules.COMMISSION_PAYOUT.apply(
            session, payout, "batch", actor_id=principal.user_id, data={"batch_id": str(batch.id)}
        )
    await session.flush()
    return batch


async def _batch(
    session: AsyncSession, principal: Principal, batch_id: uuid.UUID, *, lock: bool = False
) -> CommissionPayoutBatch:
    """A batch its region's operator (money roles) may see; to anyone else it is 404."""
    batch = await CommissionRepository(session).batch(batch_id, lock=lock)
    if batch is None or not may_read(
        principal, org_id=None, region_id=batch.region_id, operator_roles=rules.MONEY_ROLES
    ):
        raise NotFound("No such commission payout batch")
    return batch


async def get_batch(
    session: AsyncSession, principal: Principal, batch_id: uuid.UUID
) -> CommissionPayoutBatch:
    return await _batch(session, principal, batch_id)


async def list_batches(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    query: ListQuery,
    *,
    status: str | None,
) -> tuple[list[CommissionPayoutBatch], str | None]:
    ensure_operator_of(principal, region_id, rules.MONEY_ROLES)
    return await paginate_list(
        session,
        CommissionRepository(session).batch_listing(region_id, status),
        query,
        sort_columns=BATCH_SORT_COLUMNS,
        id_column=CommissionPayoutBatch.id,
    )


async def batch_csv(session: AsyncSession, principal: Principal, batch_id: uuid.UUID) -> str:
    """The bank batch-transfer file, in the suppliers' payout file's format (the same
    generator); the same file however often it is downloaded."""
    batch = await _batch(session, principal, batch_id)
    rows = [
        (
            str(p.payee_org_id),
            str(p.payee_org_id),
            p.amount_fen,
            f"commission {p.period} {p.statement_id}",
        )
        for p in await CommissionRepository(session).in_batch(batch.id)
    ]
    return bank_batch_csv(rows)


async def mark_batch_paid(
    session: AsyncSession,
    principal: Principal,
    batch_id: uuid.UUID,
    bank_reference: str | None,
) -> CommissionPayoutBatch:
    """The bank paid the file: every payout in it is paid, journalled out of the bank
    (once per statement) and announced to livestream. A second time is 409."""
    batch = await _batch(session, principal, batch_id, lock=True)
    ensure_operator_of(principal, batch.region_id, rules.MONEY_ROLES)
    await rules.COMMISSION_BATCH.apply(
        session, batch, "pay", actor_id=principal.user_id, reason=bank_reference
    )
    now = utcnow()
    batch.paid_at = now
    batch.paid_by = principal.user_id
    batch.bank_reference = bank_reference
    for payout in await CommissionRepository(session).in_batch(batch.id, lock=True):
        await rules.COMMISSION_PAYOUT.apply(
            session, payout, "pay", actor_id=principal.user_id, data={"batch_id": str(batch.id)}
        )
        payout.paid_at = now
        await LedgerRepository(session).append(
            core.commission_payout_entry(
                payout.statement_id, payout.payee_org_id, payout.amount_fen
            ),
            payout.region_id,
        )
        await publish(
            session,
            PAYOUT_PAID,
            {
                "statement_id": str(payout.statement_id),
                "region_id": str(payout.region_id),
                "payee_org_id": str(payout.payee_org_id),
                "amount_fen": payout.amount_fen,
                "bank_batch_id": str(batch.id),
                "paid_at": now.isoformat(),
            },
            region_id=payout.region_id,
        )
    await session.flush()
    return batch
