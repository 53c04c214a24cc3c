"""How long each service keeps its kernel tables' rows, and the daily job that prunes them.

| table | kept | why |
| --- | --- | --- |
| outbox (published rows) | 400 days (`OUTBOX_RETENTION_DAYS`) | a consumer (the insights read model) can be rebuilt by replaying a year and a season of events (`shared.events.replay_outbox`); unpublished rows are never pruned |
| inbox | 30 days (`INBOX_RETENTION_DAYS`) | redelivery happens within minutes (retries) or hours (a relay re-sending a batch); older duplicates only come from a deliberate replay, to a consumer that rebuilds |
| idempotency keys | 48 hours (`IDEMPOTENCY_RETENTION_HOURS`) | clients retry a request within minutes; Stripe keeps keys 24 h |
| dead letters | open ones forever; handled or retried ones 90 days (`DEAD_LETTER_RETENTION_DAYS`) | an operator must see every event nobody handled |
| status_changes | forever | the audit trail of every transition |

The job runs every day at 19:30 UTC (03:30 in China, the quietest hour), per service on
its own queue (`<service>.prune_kernel_tables`), deleting in batches so it never holds
long locks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import Table, and_, delete, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from shared.db import kernel_of, utcnow
from shared.settings import get_settings

log = structlog.get_logger(__name__)

BATCH = 5000
PRUNE_HOUR_UTC, PRUNE_MINUTE = 19, 30


@dataclass(frozen=True)
class Pruned:
    outbox: int
    inbox: int
    idempotency_keys: int
    dead_letters: int


async def _delete_batches(
    sessionmaker: async_sessionmaker[AsyncSession],
    table_name: str,
    condition_of: Callable[[Table], ColumnElement[bool]],
) -> int:
    """Delete matching rows BATCH at a time (by ctid), each batch its own short transaction."""
    total = 0
    while True:
        async with sessionmaker() as session:
            table: Table = getattr(kernel_of(session), table_name)
            ctid: ColumnElement[Any] = literal_column("ctid")
            batch = select(ctid).select_from(table).where(condition_of(table)).limit(BATCH)
            result = await session.execute(delete(table).where(ctid.in_(batch.scalar_subquery())))
            await session.commit()
        count = int(getattr(result, "rowcount", 0) or 0)
        total += count
        if count < BATCH:
            return total


async def prune_kernel_tables(
    sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime | None = None
) -> Pruned:
    settings = get_settings()
    now = now or utcnow()
    outbox_before = now - timedelta(days=settings.outbox_retention_days)
    inbox_before = now - timedelta(days=settings.inbox_retention_days)
    keys_before = now - timedelta(hours=settings.idempotency_retention_hours)
    letters_before = now - timedelta(days=settings.dead_letter_retention_days)

    def outbox(t: Table) -> ColumnElement[bool]:
        return and_(t.c.published_at.is_not(None), t.c.created_at < outbox_before)

    def inbox(t: Table) -> ColumnElement[bool]:
        return t.c.received_at < inbox_before

    def keys(t: Table) -> ColumnElement[bool]:
        return t.c.created_at < keys_before

    def letters(t: Table) -> ColumnElement[bool]:
        return and_(t.c.retried_at.is_not(None), t.c.last_failed_at < letters_before)

    pruned = Pruned(
        outbox=await _delete_batches(sessionmaker, "outbox", outbox),
        inbox=await _delete_batches(sessionmaker, "inbox", inbox),
        idempotency_keys=await _delete_batches(sessionmaker, "idempotency", keys),
        dead_letters=await _delete_batches(sessionmaker, "dead_letters", letters),
    )
    log.info("kernel.pruned", **pruned.__dict__)
    return pruned
