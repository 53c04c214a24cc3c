"""Rebuild the read model from scratch: empty it, then ask every producer to replay.

Each producer's `<service>.replay_outbox` task sends its stored events of the types
insights subscribes to, oldest first, to the insights queue only; the emptied inbox lets
them in once. The handlers do not depend on arrival order, so the rebuilt figures equal
the incremental ones.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.insights.db import SERVICE
from services.insights.readmodel.repository import ReadModelRepository
from shared.auth.principal import Principal
from shared.errors import Forbidden
from shared.events import SUBSCRIPTIONS
from shared.tasks import send_task


def producers() -> list[str]:
    """The services whose events insights consumes (the prefix of each event type)."""
    return sorted({t.split(".")[0] for t, subs in SUBSCRIPTIONS.items() if SERVICE in subs})


async def truncate(session: AsyncSession, principal: Principal) -> list[str]:
    """Empty the read model and the inbox; returns the producers to ask for a replay
    (asked only after this transaction commits: see `ask_replays`)."""
    if not principal.platform_admin:
        raise Forbidden("Only a platform administrator rebuilds the read model of every county")
    await ReadModelRepository(session).truncate()
    return producers()


def ask_replays(asked: list[str]) -> None:
    for producer in asked:
        send_task(f"{producer}.replay_outbox", {"subscriber": SERVICE}, producer)
