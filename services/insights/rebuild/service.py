"""Rebuild the read model from scratch: empty it, then ask every producer to replay.

Each producer's `<service>.replay_events` task (shared/tasks.py) sends its stored events of
the types insights subscribes to, oldest first, to the insights queue only; the emptied
inbox lets them in once. The handlers do not depend on arrival order, so the rebuilt
figures equal the incremental ones.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.db import SERVICE
from services.insights.readmodel.repository import ReadModelRepository
from shared.auth.principal import Principal
from shared.errors import Forbidden
from shared.events import SUBSCRIPTIONS
from shared.tasks import celery_app

Replays = dict[str, list[str]]


def replays() -> Replays:
    """Per producer (the prefix of each event type), the event types insights consumes."""
    asked: Replays = {}
    for event_type, subscribers in sorted(SUBSCRIPTIONS.items()):
        if SERVICE in subscribers:
            asked.setdefault(event_type.split(".")[0], []).append(event_type)
    return asked


async def truncate(session: AsyncSession, principal: Principal) -> Replays:
    """Empty the read model and the inbox; returns the replays to ask for once this
    transaction commits (`ask_replays`)."""
    if not principal.platform_admin:
        raise Forbidden("Only a platform administrator rebuilds the read model of every county")
    await ReadModelRepository(session).truncate()
    return replays()


def ask_replays(asked: Replays) -> None:
    for producer, event_types in asked.items():
        celery_app.send_task(
            f"{producer}.replay_events", args=[SERVICE, event_types, None], queue=producer
        )
