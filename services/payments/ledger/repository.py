"""Ledger SQL: append an entry (once per cause), sum balances."""

from __future__ import annotations

import uuid

from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.ledger.core import Account, JournalEntry, Purpose
from services.payments.ledger.models import JournalLine, JournalRecord
from services.payments.settlement.models import Refund


class LedgerRepository:
    """The journal: entries appended once per cause, balances summed from lines."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(self, e: JournalEntry, region_id: uuid.UUID | None) -> JournalRecord | None:
        """Record the entry unless its cause is already journalled (returns None then)."""
        existing = await self.session.scalar(
            select(JournalRecord).where(
                JournalRecord.cause_type == e.cause_type, JournalRecord.cause_id == e.cause_id
            )
        )
        if existing is not None:
            return None
        record = JournalRecord(
            region_id=region_id, cause_type=e.cause_type, cause_id=e.cause_id, memo=e.memo
        )
        self.session.add(record)
        await self.session.flush()
        for p in e.postings:
            self.session.add(
                JournalLine(
                    entry_id=record.id,
                    purpose=p.account.purpose.value,
                    org_id=p.account.org_id,
                    debit_fen=p.debit_fen,
                    credit_fen=p.credit_fen,
                )
            )
        await self.session.flush()
        return record

    async def balance(self, account: Account) -> int:
        org = (
            JournalLine.org_id.is_(None)
            if account.org_id is None
            else JournalLine.org_id == account.org_id
        )
        value = await self.session.scalar(
            select(
                func.coalesce(func.sum(JournalLine.debit_fen - JournalLine.credit_fen), 0)
            ).where(JournalLine.purpose == account.purpose.value, org)
        )
        return int(value or 0)

    async def org_balances(self, org_id: uuid.UUID) -> dict[str, int]:
        rows = await self.session.execute(
            select(JournalLine.purpose, func.sum(JournalLine.debit_fen - JournalLine.credit_fen))
            .where(JournalLine.org_id == org_id)
            .group_by(JournalLine.purpose)
        )
        return {Purpose(p).value: int(v) for p, v in rows}

    async def totals(self, *, region_id: uuid.UUID | None = None) -> tuple[int, int]:
        stmt = select(
            func.coalesce(func.sum(JournalLine.debit_fen), 0),
            func.coalesce(func.sum(JournalLine.credit_fen), 0),
        )
        if region_id is not None:
            stmt = stmt.join(JournalRecord, JournalRecord.id == JournalLine.entry_id).where(
                JournalRecord.region_id == region_id
            )
        row = (await self.session.execute(stmt)).one()
        return int(row[0]), int(row[1])

    async def entry_amount(self, cause_type: str, cause_id: str) -> int:
        value = await self.session.scalar(
            select(func.coalesce(func.sum(JournalLine.debit_fen), 0))
            .join(JournalRecord, JournalRecord.id == JournalLine.entry_id)
            .where(JournalRecord.cause_type == cause_type, JournalRecord.cause_id == cause_id)
        )
        return int(value or 0)

    async def refunds_for_order(self, order_id: uuid.UUID) -> int:
        """Card refunds journalled for an order (refund entries whose cause is a Stripe refund)."""
        value = await self.session.scalar(
            select(func.coalesce(func.sum(JournalLine.debit_fen), 0))
            .join(JournalRecord, JournalRecord.id == JournalLine.entry_id)
            .join(Refund, func.cast(Refund.id, String) == JournalRecord.cause_id)
            .where(
                JournalRecord.cause_type == "refund",
                Refund.order_id == order_id,
                Refund.kind == "stripe_refund",
            )
        )
        return int(value or 0)

    async def regions_of_org(self, org_id: uuid.UUID) -> list[uuid.UUID]:
        """The regions whose journal holds lines of this organisation (a buyer or supplier
        trades in one region, so this is one region)."""
        rows = await self.session.scalars(
            select(JournalRecord.region_id)
            .join(JournalLine, JournalLine.entry_id == JournalRecord.id)
            .where(JournalLine.org_id == org_id, JournalRecord.region_id.is_not(None))
            .distinct()
        )
        return [r for r in rows if r is not None]

    async def trial_balance(self, region_id: uuid.UUID) -> list[tuple]:
        """(purpose, org_id, debits, credits) of every account the region's entries touch."""
        rows = await self.session.execute(
            select(
                JournalLine.purpose,
                JournalLine.org_id,
                func.sum(JournalLine.debit_fen),
                func.sum(JournalLine.credit_fen),
            )
            .join(JournalRecord, JournalRecord.id == JournalLine.entry_id)
            .where(JournalRecord.region_id == region_id)
            .group_by(JournalLine.purpose, JournalLine.org_id)
            .order_by(JournalLine.purpose, JournalLine.org_id.nulls_first())
        )
        return [(p, o, int(d or 0), int(c or 0)) for p, o, d, c in rows]

    async def account_lines(
        self,
        region_id: uuid.UUID,
        purpose: str,
        org_id: uuid.UUID | None,
        *,
        after_line: int | None,
        limit: int,
        newest_first: bool = False,
    ) -> list:
        """The account's lines in the region's entries, oldest first, each with the running
        (debit-positive) balance after it; `after_line` is the last line id of the page before."""
        org = JournalLine.org_id.is_(None) if org_id is None else JournalLine.org_id == org_id
        running = (
            func.sum(JournalLine.debit_fen - JournalLine.credit_fen)
            .over(order_by=JournalLine.id)
            .label("balance_fen")
        )
        inner = (
            select(
                JournalLine.id.label("line_id"),
                JournalLine.entry_id,
                JournalRecord.cause_type,
                JournalRecord.cause_id,
                JournalRecord.memo,
                JournalRecord.created_at.label("at"),
                JournalLine.debit_fen,
                JournalLine.credit_fen,
                running,
            )
            .join(JournalRecord, JournalRecord.id == JournalLine.entry_id)
            .where(JournalRecord.region_id == region_id, JournalLine.purpose == purpose, org)
            .subquery()
        )
        order = inner.c.line_id.desc() if newest_first else inner.c.line_id
        stmt = select(inner).order_by(order).limit(limit + 1)
        if after_line is not None:
            stmt = stmt.where(
                inner.c.line_id < after_line if newest_first else inner.c.line_id > after_line
            )
        return list((await self.session.execute(stmt)).mappings())
