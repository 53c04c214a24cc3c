"""State machines of the service. Every status column changes only through `apply` (the
kernel's `StateMachine.apply`: checks the table, sets the column, writes `status_changes`
with who, when, why); `created` records an object's first state."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import kernel_of, utcnow
from shared.state_machine import StateMachine, StatusChange, machine, status_history

SESSION = machine(
    "livestream.session",
    [
        ("planned", "start", "live"),
        ("planned", "cancel", "cancelled"),
        ("live", "end", "ended"),
    ],
)
BOOKING = machine("livestream.booking", [("booked", "cancel", "cancelled")])
POOL_ENTRY = machine(
    "livestream.pool_entry",
    [
        ("active", "lapse", "lapsed"),
        ("lapsed", "restore", "active"),
        ("active", "withdraw", "withdrawn"),
        ("lapsed", "withdraw", "withdrawn"),
    ],
)
PLAN = machine("livestream.plan", [("active", "end", "ended")])
APPLICATION = machine(
    "livestream.plan_application",
    [
        ("pending", "approve", "approved"),
        ("pending", "reject", "rejected"),
        # the supplier withdraws a streamer's directed rate; lines paid before keep it
        ("approved", "revoke", "revoked"),
    ],
)
SAMPLE = machine(
    "livestream.sample",
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

# A sale line's commission: estimated when paid, real (settled) after the return window;
# a refund before settlement cancels or re-splits it, after settlement claws back.
SALE_LINE = machine(
    "livestream.sale_line",
    [
        ("estimated", "settle", "settled"),
        ("estimated", "cancel", "cancelled"),
        ("estimated", "refund_part", "estimated"),
        ("estimated", "attribute", "estimated"),
        ("settled", "claw_back", "clawed_back"),
        ("settled", "claw_back_part", "settled"),
    ],
)
# a statement whose total (with the balance carried in) is <= 0 is closed `settled` at its
# approval: nothing to pay, its total opens the payee's next statement
STATEMENT = machine(
    "livestream.statement",
    [
        ("draft", "approve", "approved"),
        ("approved", "pay", "paid"),
        ("approved", "settle", "settled"),
    ],
)


async def created(
    session: AsyncSession,
    sm: StateMachine,
    entity_id: uuid.UUID,
    state: str,
    action: str,
    *,
    actor_id: uuid.UUID | None,
    reason: str | None = None,
) -> None:
    """The first row of an object's history (from `none`)."""
    await session.execute(
        kernel_of(session)
        .status_changes.insert()
        .values(
            machine=sm.name,
            entity_id=str(entity_id),
            from_state="none",
            to_state=state,
            action=action,
            actor_id=actor_id,
            reason=reason,
            at=utcnow(),
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
    return await sm.apply(session, entity, action, actor_id=actor_id, reason=reason, data=data)


async def history(
    session: AsyncSession, sm: StateMachine, entity_id: uuid.UUID
) -> list[StatusChange]:
    return await status_history(session, sm, entity_id)
