"""Explicit state machines: a table of allowed transitions, applied and recorded in one place.

Every status column changes only through `await MACHINE.apply(session, entity, action, ...)`:
it checks the table, sets the column and writes a row to the service's `status_changes`
kernel table (which machine, which entity, from, to, action, who, why, extra data, when).
`status_history(session, machine, entity_id)` reads the rows back, oldest first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import kernel_of, utcnow
from shared.errors import InvalidTransition


@dataclass(frozen=True)
class StatusChange:
    machine: str
    entity_id: str
    from_state: str
    to_state: str
    action: str
    actor_id: uuid.UUID | None
    reason: str | None
    data: dict[str, Any] | None
    at: datetime


@dataclass(frozen=True)
class StateMachine:
    """`transitions[(state, action)] = next_state`."""

    name: str
    transitions: Mapping[tuple[str, str], str]
    terminal: frozenset[str] = field(default_factory=frozenset)

    def next_state(self, current: str, action: str) -> str:
        try:
            return self.transitions[(current, action)]
        except KeyError:
            allowed = sorted(a for (s, a) in self.transitions if s == current)
            raise InvalidTransition(
                f"Cannot {action} a {self.name} that is {current}",
                extra={"state": current, "action": action, "allowed_actions": allowed},
            ) from None

    def allowed_actions(self, current: str) -> list[str]:
        return sorted(a for (s, a) in self.transitions if s == current)

    def states(self) -> set[str]:
        result: set[str] = set()
        for (state, _), target in self.transitions.items():
            result.update((state, target))
        return result

    async def apply(
        self,
        session: AsyncSession,
        entity: Any,
        action: str,
        *,
        actor_id: uuid.UUID | None,
        reason: str | None = None,
        data: dict[str, Any] | None = None,
        field: str = "status",
        entity_id: Any = None,
    ) -> str:
        """Move `entity.<field>` along `action` and record the change; returns the new state.

        `actor_id` is the user who asked (None for the system: a job or an event).
        `entity_id` defaults to `entity.id`.
        """
        current = getattr(entity, field)
        target = self.next_state(current, action)
        setattr(entity, field, target)
        key = entity_id if entity_id is not None else entity.id
        await session.execute(
            kernel_of(session)
            .status_changes.insert()
            .values(
                machine=self.name,
                entity_id=str(key),
                from_state=current,
                to_state=target,
                action=action,
                actor_id=actor_id,
                reason=reason,
                data=data,
                at=utcnow(),
            )
        )
        return target


def machine(name: str, rows: Iterable[tuple[str, str, str]]) -> StateMachine:
    """Build from rows of (from_state, action, to_state)."""
    return StateMachine(name, {(src, action): dst for src, action, dst in rows})


async def status_history(
    session: AsyncSession, machine_name: str | StateMachine, entity_id: Any
) -> list[StatusChange]:
    """Every recorded change of one entity under one machine, oldest first."""
    name = machine_name.name if isinstance(machine_name, StateMachine) else machine_name
    table = kernel_of(session).status_changes
    rows = (
        await session.execute(
            select(table)
            .where(table.c.machine == name, table.c.entity_id == str(entity_id))
            .order_by(table.c.id)
        )
    ).all()
    return [
        StatusChange(
            machine=r.machine,
            entity_id=r.entity_id,
            from_state=r.from_state,
            to_state=r.to_state,
            action=r.action,
            actor_id=r.actor_id,
            reason=r.reason,
            data=r.data,
            at=r.at,
        )
        for r in rows
    ]
