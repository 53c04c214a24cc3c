"""Ledger reads for the people who keep the books: an organisation's balances, the
region's trial balance and account statements (lines with a running balance), and the
Stripe reconciliation. The region's operator (any of its read roles, finance included)
reads its region; a buyer or supplier its own balances; anyone else gets 404."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.ledger import reconcile
from services.payments.ledger.core import Purpose
from services.payments.ledger.repository import LedgerRepository
from shared.auth import may_read
from shared.auth.principal import Principal
from shared.errors import BadRequest, Forbidden, NotFound
from shared.pagination import ListQuery


def _reads_region(principal: Principal, region_id: uuid.UUID) -> bool:
    return may_read(principal, org_id=None, region_id=region_id)


def ensure_region_books(principal: Principal, region_id: uuid.UUID) -> None:
    """The region's books are its operator's (and the platform admin's); to anyone else
    the region's ledger does not exist."""
    if not _reads_region(principal, region_id):
        raise NotFound("No such ledger")


async def org_balances(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID
) -> dict[str, int]:
    """The organisation's own members, or the operator of the region it trades in."""
    regions = await LedgerRepository(session).regions_of_org(org_id)
    candidates: list[uuid.UUID | None] = [*regions] or [None]
    if not any(may_read(principal, org_id=org_id, region_id=r) for r in candidates):
        raise NotFound("No such organisation")
    return await LedgerRepository(session).org_balances(org_id)


async def trial_balance(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> dict[str, Any]:
    ensure_region_books(principal, region_id)
    accounts = [
        {
            "purpose": purpose,
            "org_id": org_id,
            "debit_fen": debits,
            "credit_fen": credits,
            "balance_fen": debits - credits,
        }
        for purpose, org_id, debits, credits in await LedgerRepository(session).trial_balance(
            region_id
        )
    ]
    debit_total = sum(a["debit_fen"] for a in accounts)
    credit_total = sum(a["credit_fen"] for a in accounts)
    return {
        "region_id": region_id,
        "accounts": accounts,
        "debit_fen": debit_total,
        "credit_fen": credit_total,
        "balanced": debit_total == credit_total,
    }


async def account_statement(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    purpose: Purpose,
    org_id: uuid.UUID | None,
    query: ListQuery,
) -> tuple[list[dict[str, Any]], str | None]:
    """One account's lines in the region, oldest first (`sort=-line_id`: newest first),
    with the balance after each."""
    ensure_region_books(principal, region_id)
    try:
        after = int(query.cursor) if query.cursor else None
    except ValueError as exc:
        raise BadRequest("Invalid cursor") from exc
    rows = await LedgerRepository(session).account_lines(
        region_id,
        purpose.value,
        org_id,
        after_line=after,
        limit=query.limit,
        newest_first=query.sort.descending,
    )
    limit = query.limit
    page = [dict(r) for r in rows[:limit]]
    next_cursor = str(page[-1]["line_id"]) if len(rows) > limit else None
    return page, next_cursor


async def reconcile_region(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID | None
) -> dict[str, Any]:
    """The platform admin reconciles everything; a region's operator its region."""
    if region_id is None:
        if not principal.platform_admin:
            raise Forbidden("Only the platform admin reconciles every region; name region_id")
    else:
        ensure_region_books(principal, region_id)
    return await reconcile.reconcile_stripe(session, region_id=region_id)
