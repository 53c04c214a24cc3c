"""State machines of the service and the one function that applies them, with history.

Every status column of the service changes only through `apply`, which checks the
machine's table of transitions and records who, when, why (table `transitions`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from services.livestream.db import Base
from shared.db import new_id, utcnow
from shared.state_machine import StateMachine, machine


class Transition(Base):
    __tablename__ = "transitions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    machine: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict[str, Any] | None]
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


SESSION = machine(
    "session",
    [
        ("planned", "start", "live"),
        ("planned", "cancel", "cancelled"),
        ("live", "end", "ended"),
    ],
)
BOOKING = machine("booking", [("booked", "cancel", "cancelled")])
POOL_ENTRY = machine(
    "pool_entry",
    [
        ("active", "lapse", "lapsed"),
        ("lapsed", "restore", "active"),
        ("active", "withdraw", "withdrawn"),
        ("lapsed", "withdraw", "withdrawn"),
    ],
)
PLAN = machine("plan", [("active", "end", "ended")])
APPLICATION = machine(
    "plan_application",
    [("pending", "approve", "approved"), ("pending", "reject", "rejected")],
)
SAMPLE = machine(
    "sample",
    [
        ("requested", "approve", "approved"),
        ("requested", "reject", "rejected"),
        ("requested", "expire", "expired"),
        ("approved", "ship", "shipped"),
        ("shipped", "receive", "received"),
        ("received", "feature", "featured"),
        ("received", "overdue", "overdue"),
        ("overdue", "feature", "featured"),
        ("featured", "return", "returned"),
        ("overdue", "return", "returned"),
    ],
)


async def record(
    session: AsyncSession,
    sm: StateMachine,
    entity_id: uuid.UUID,
    from_state: str | None,
    to_state: str,
    action: str,
    *,
    actor_id: uuid.UUID | None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        Transition(
            machine=sm.name,
            entity_id=entity_id,
            from_state=from_state,
            to_state=to_state,
            action=action,
            actor_id=actor_id,
            reason=reason,
            data=data,
        )
    )


async def apply(
    session: AsyncSession,
    sm: StateMachine,
    entity: Any,
    action: str,
    *,
    actor_id: uuid.UUID | None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> str:
    """Check the table, set `entity.status` and record the change. Returns the new state."""
    source = entity.status
    target = sm.next_state(source, action)
    entity.status = target
    await record(
        session, sm, entity.id, source, target, action, actor_id=actor_id, reason=reason, data=data
    )
    return target


async def history(
    session: AsyncSession, sm: StateMachine, entity_id: uuid.UUID
) -> list[Transition]:
    rows = await session.scalars(
        select(Transition)
        .where(Transition.machine == sm.name, Transition.entity_id == entity_id)
        .order_by(Transition.at, Transition.id)
    )
    return list(rows)
