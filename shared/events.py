"""Events between services: a transactional outbox, a relay through Celery, an inbox.

A service calls `publish(session, ...)` inside the transaction that makes the change.
The relay (a Celery task per service) sends each outbox row to every subscribing
service's queue; the consumer records the event id in its inbox and handles it once.
Delivery is at least once; the inbox makes handling exactly once.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import structlog
from pydantic import BaseModel, Field
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.db import ServiceKernel, kernel_of, run_after_commit, utcnow
from shared.logging import current_request_id

log = structlog.get_logger(__name__)


class Event(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    producer: str
    occurred_at: datetime = Field(default_factory=utcnow)
    region_id: uuid.UUID | None = None
    request_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


# Which services consume which event types. The relay sends an event to each
# subscriber's queue. A subscriber has a handler for each type it is sent, and every
# handler's type is subscribed here (tests/test_subscriptions.py keeps the two in step).
# Services add the events they listen to here (a service never imports another).
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    # identity
    "identity.region.created": ("repository", "payments", "delivery", "livestream", "insights"),
    "identity.organisation.signed_up": ("identity", "suppliers"),
    "identity.organisation.approved": (
        "suppliers",
        "repository",
        "delivery",
        "payments",
        "catalog",
        "livestream",
        "insights",
    ),
    "identity.organisation.rejected": ("suppliers",),
    "identity.organisation.suspended": (
        "suppliers",
        "repository",
        "delivery",
        "payments",
        "catalog",
        "livestream",
        "insights",
    ),
    # suppliers
    "suppliers.supplier.approved": ("catalog", "repository", "livestream", "identity", "insights"),
    "suppliers.supplier.suspended": (
        "catalog",
        "repository",
        "livestream",
        "identity",
        "insights",
    ),
    "suppliers.supplier.reinstated": (
        "catalog",
        "repository",
        "livestream",
        "identity",
        "insights",
    ),
    "suppliers.application.status_changed": (),
    "suppliers.document.expiry_warning": ("identity",),
    "suppliers.households.changed": ("insights",),
    # catalog
    "catalog.product.published": ("repository", "catalog", "livestream", "insights"),
    "catalog.product.updated": ("repository", "catalog", "livestream", "insights"),
    "catalog.product.delisted": ("repository", "catalog", "livestream", "insights"),
    "catalog.licence.status_changed": ("identity",),
    "catalog.certificate.expiring": ("identity",),
    "catalog.certificate.lapsed": ("identity",),
    # repository
    "repository.order.placed": ("payments", "insights"),
    "repository.order.cancelled": ("payments", "insights"),
    "repository.order.line_shortened": ("payments", "insights"),
    "repository.order.ready_for_delivery": ("delivery",),
    "repository.order.closed": ("payments", "insights"),
    "repository.purchase_order.received": ("payments",),
    # every other order and purchase-order transition, for audit and notifications
    "repository.order.confirmed": (),
    "repository.order.consolidated": (),
    "repository.order.purchased": (),
    "repository.order.received": (),
    "repository.order.delivered": (),
    # an unpaid order at its window's consolidation, and its move to the next window
    "repository.order.missed_cutoff": (),
    "repository.order.rolled_over": (),
    "repository.purchase_order.sent": (),
    "repository.purchase_order.confirmed": (),
    "repository.purchase_order.partially_confirmed": (),
    "repository.purchase_order.cancelled": (),
    "repository.purchase_order.shipped": (),
    "repository.buyer.credit_terms_set": ("payments",),
    # goods moved from a county warehouse to the livestream base (consignment, 寄售)
    "repository.consignment.transferred": ("livestream",),
    # payments
    "payments.payment.succeeded": ("repository",),
    "payments.payment.failed": ("repository",),
    "payments.order.accepted_on_credit": ("repository",),
    "payments.commission_payout.paid": ("livestream",),
    # delivery
    "delivery.route.published": ("repository",),
    "delivery.parcel.delivered": ("repository", "payments", "insights", "livestream"),
    "delivery.cod.collected": ("payments",),
    # a run's status changes, for audit and notifications
    "delivery.run.started": ("insights",),
    "delivery.run.completed": ("insights",),
    "delivery.run.cancelled": ("insights",),
    # livestream
    "livestream.pool.entry_changed": ("livestream",),
    # consignment at the base: goods leaving it, and the supplier's payable when they sell
    "livestream.consignment.returned": ("repository",),
    "livestream.consignment.payable": ("payments",),
    "livestream.sale_line.recorded": ("livestream", "insights"),
    # an import's new lines, up to 500 to an event (each as in sale_line.recorded)
    "livestream.sale_lines.recorded": ("livestream", "insights"),
    # a session's, a plan's and a sample's changes, for audit, notifications and part 2
    "livestream.session.planned": (),
    "livestream.session.live": ("insights",),
    "livestream.session.ended": ("insights",),
    "livestream.session.cancelled": ("insights",),
    "livestream.plan.created": (),
    "livestream.plan.rate_changed": (),
    "livestream.plan.ended": (),
    "livestream.plan.application_approved": (),
    "livestream.plan.application_rejected": (),
    "livestream.plan.application_revoked": (),
    "livestream.sample.requested": (),
    "livestream.sample.approved": (),
    "livestream.sample.rejected": (),
    "livestream.sample.expired": (),
    "livestream.sample.shipped": ("delivery",),
    "livestream.sample.received": (),
    "livestream.sample.featured": (),
    "livestream.sample.overdue": (),
    "livestream.sample.returned": (),
    "livestream.statement.approved": ("payments",),
}


def subscribers_of(event_type: str) -> tuple[str, ...]:
    return SUBSCRIPTIONS.get(event_type, ())


async def publish(
    session: AsyncSession,
    event_type: str,
    data: dict[str, Any],
    *,
    region_id: uuid.UUID | None = None,
) -> Event:
    """Write the event into the service's outbox, in the caller's transaction."""
    kernel = kernel_of(session)
    event = Event(
        type=event_type,
        producer=kernel.name,
        region_id=region_id,
        request_id=current_request_id(),
        data=data,
    )
    await session.execute(
        _outbox_insert(kernel.outbox),
        {
            "event_id": event.id,
            "event_type": event.type,
            "region_id": event.region_id,
            "payload": event.model_dump(mode="json"),
        },
    )
    session.info["outbox_dirty"] = True
    return event


@functools.cache
def _outbox_insert(outbox: Table) -> Any:
    """Built once per service's outbox (every write of every service publishes)."""
    return outbox.insert().values(
        event_id=bindparam("event_id"),
        event_type=bindparam("event_type"),
        region_id=bindparam("region_id"),
        payload=bindparam("payload"),
    )


SendTask = Callable[[str, dict[str, Any], str], None]


async def relay_outbox(
    sessionmaker: async_sessionmaker[AsyncSession],
    send: SendTask,
    *,
    batch_size: int = 500,
    max_batches: int = 40,
) -> int:
    """Publish unsent outbox rows, batch after batch (each its own short transaction) until
    a batch comes back short or `max_batches` ran; returns how many were sent. Rows are
    locked (SKIP LOCKED) so relays may run in parallel.

    A set-based write (100,000 imported sale lines, one event each) drains in 200 batches:
    20,000 rows a run, the next run kicked at once (`shared.tasks`) rather than one batch
    per beat tick. If sending fails half-way the batch's transaction rolls back and it is
    sent again later: consumers dedupe by event id.
    """
    sent = 0
    for _ in range(max_batches):
        batch = await _relay_batch(sessionmaker, send, batch_size)
        sent += batch
        if batch < batch_size:
            break
    return sent


async def _relay_batch(
    sessionmaker: async_sessionmaker[AsyncSession], send: SendTask, batch_size: int
) -> int:
    async with sessionmaker() as session:
        outbox = kernel_of(session).outbox
        # the oldest unsent seqs first (a top-N of bare seqs), then their rows locked: sorting
        # whole payloads under the lock spilled a 100,000-row backlog to disk every batch
        oldest = (
            select(outbox.c.seq)
            .where(outbox.c.published_at.is_(None))
            .order_by(outbox.c.seq)
            .limit(batch_size)
        )
        rows = (
            await session.execute(
                select(outbox.c.seq, outbox.c.event_type, outbox.c.payload)
                .where(outbox.c.seq.in_(oldest.scalar_subquery()))
                .order_by(outbox.c.seq)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for row in rows:
            for subscriber in subscribers_of(row.event_type):
                send(f"{subscriber}.handle_event", row.payload, subscriber)
        if rows:
            await session.execute(
                update(outbox)
                .where(outbox.c.seq.in_([r.seq for r in rows]))
                .values(published_at=utcnow(), attempts=outbox.c.attempts + 1)
            )
        await session.commit()
    return len(rows)


EventHandler = Callable[[AsyncSession, Event], Awaitable[None]]


class EventHandlers:
    """A consumer's table of handlers by event type."""

    def __init__(self) -> None:
        self._handlers: dict[str, EventHandler] = {}

    def on(self, event_type: str) -> Callable[[EventHandler], EventHandler]:
        def register(fn: EventHandler) -> EventHandler:
            self._handlers[event_type] = fn
            return fn

        return register

    def get(self, event_type: str) -> EventHandler | None:
        return self._handlers.get(event_type)

    @property
    def event_types(self) -> set[str]:
        return set(self._handlers)


async def consume_event(
    sessionmaker: async_sessionmaker[AsyncSession],
    handlers: EventHandlers,
    payload: dict[str, Any],
) -> bool:
    """Handle one delivered event once. Returns False when it was already handled.

    The inbox insert and the handler's changes commit together; a concurrent duplicate
    waits on the inbox row's lock and then sees it as handled.
    """
    event = Event.model_validate(payload)
    async with sessionmaker() as session:
        kernel: ServiceKernel = kernel_of(session)
        inserted = (
            await session.execute(
                insert(kernel.inbox)
                .values(event_id=event.id, event_type=event.type)
                .on_conflict_do_nothing()
                .returning(kernel.inbox.c.event_id)
            )
        ).first()
        if inserted is None:
            log.info("event.duplicate_ignored", event_id=str(event.id), event_type=event.type)
            return False
        handler = handlers.get(event.type)
        if handler is not None:
            await handler(session, event)
        await session.commit()
        await run_after_commit(session)
        log.info(
            "event.handled", event_id=str(event.id), event_type=event.type, handled=bool(handler)
        )
        return True


# ---------------------------------------------------------------- dead letters


async def record_dead_letter(
    sessionmaker: async_sessionmaker[AsyncSession],
    payload: dict[str, Any],
    *,
    consumer: str,
    error: str,
    attempts: int,
) -> None:
    """Keep an event this consumer gave up on (every retry failed), for an operator to
    inspect and retry (`shared.operations`). A dead letter failing again after a retry
    updates its row (attempts add up, last failure and error are the latest)."""
    event = Event.model_validate(payload)
    async with sessionmaker() as session:
        table = kernel_of(session).dead_letters
        now = utcnow()
        stmt = insert(table).values(
            event_id=event.id,
            event_type=event.type,
            consumer=consumer,
            event=event.model_dump(mode="json"),
            error=error[:4000],
            attempts=attempts,
            first_failed_at=now,
            last_failed_at=now,
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.event_id, table.c.consumer],
                set_={
                    "error": stmt.excluded.error,
                    "attempts": table.c.attempts + stmt.excluded.attempts,
                    "last_failed_at": stmt.excluded.last_failed_at,
                },
            )
        )
        await session.commit()
    log.error(
        "event.dead_lettered",
        event_id=str(event.id),
        event_type=event.type,
        consumer=consumer,
        attempts=attempts,
        error=error[:500],
    )


# ---------------------------------------------------------------- replay


class ReplayRefused(ValueError):
    pass


async def replay_outbox(
    sessionmaker: async_sessionmaker[AsyncSession],
    send: SendTask,
    *,
    consumer: str,
    event_types: list[str],
    since: datetime | None = None,
    batch_size: int = 500,
) -> int:
    """Send this service's stored outbox events of `event_types` (optionally only those
    created at or after `since`), oldest first, to ONE consumer's queue. Returns how many.

    The events keep their ids: a consumer that still has one in its inbox ignores it. A
    consumer rebuilding a read model from scratch first clears the model and forgets those
    events (`forget_handled`). Outbox rows are kept `OUTBOX_RETENTION_DAYS` (see
    shared/retention.py), so that is how far back a replay reaches.
    """
    unknown = [t for t in event_types if consumer not in subscribers_of(t)]
    if unknown:
        raise ReplayRefused(f"{consumer} does not subscribe to: {', '.join(sorted(unknown))}")
    sent, last_seq = 0, 0
    while True:
        async with sessionmaker() as session:
            outbox = kernel_of(session).outbox
            stmt = (
                select(outbox.c.seq, outbox.c.payload)
                .where(outbox.c.event_type.in_(event_types), outbox.c.seq > last_seq)
                .order_by(outbox.c.seq)
                .limit(batch_size)
            )
            if since is not None:
                stmt = stmt.where(outbox.c.created_at >= since)
            rows = (await session.execute(stmt)).all()
        for row in rows:
            send(f"{consumer}.handle_event", row.payload, consumer)
        sent += len(rows)
        if len(rows) < batch_size:
            break
        last_seq = rows[-1].seq
    log.info("events.replayed", consumer=consumer, event_types=event_types, sent=sent)
    return sent


async def count_replayable(
    session: AsyncSession, event_types: list[str], since: datetime | None = None
) -> int:
    from sqlalchemy import func

    outbox = kernel_of(session).outbox
    stmt = select(func.count()).where(outbox.c.event_type.in_(event_types))
    if since is not None:
        stmt = stmt.where(outbox.c.created_at >= since)
    return int((await session.execute(stmt)).scalar_one())


async def forget_handled(session: AsyncSession, event_types: list[str]) -> int:
    """A consumer forgets it handled these event types (before a replay rebuilds them)."""
    from sqlalchemy import delete

    inbox = kernel_of(session).inbox
    result = await session.execute(delete(inbox).where(inbox.c.event_type.in_(event_types)))
    return int(getattr(result, "rowcount", 0) or 0)
