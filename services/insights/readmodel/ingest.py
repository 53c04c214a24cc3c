"""Handle many delivered events in one transaction (a replay, a bulk load): the same inbox
and handlers as one event at a time, with the roll-up changes summed and written once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.insights.readmodel.service import flush_deltas
from shared.db import kernel_of
from shared.events import Event, EventHandlers


async def consume_batch(
    sessionmaker: async_sessionmaker[AsyncSession],
    handlers: EventHandlers,
    payloads: Sequence[dict[str, Any]],
) -> int:
    """Returns how many of the events were new (the others were already in the inbox)."""
    events = [Event.model_validate(p) for p in payloads]
    if not events:
        return 0
    async with sessionmaker() as session:
        session.info["insights_batch"] = True
        inbox = kernel_of(session).inbox
        fresh = set(
            (
                await session.execute(
                    insert(inbox)
                    .values([{"event_id": e.id, "event_type": e.type} for e in events])
                    .on_conflict_do_nothing()
                    .returning(inbox.c.event_id)
                )
            ).scalars()
        )
        handled = 0
        for event in events:
            if event.id not in fresh:
                continue
            fresh.discard(event.id)  # a batch holding one event twice handles it once
            handled += 1
            handler = handlers.get(event.type)
            if handler is not None:
                await handler(session, event)
        await flush_deltas(session)
        await session.commit()
    return handled
