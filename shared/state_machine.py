"""Explicit state machines: a table of allowed transitions, applied and recorded in one place.

Every status column changes only through `await MACHINE.apply(session, entity, action, ...)`:
it checks the table, sets the column and writes a row to the service's `status_changes`
kernel table (which machine, which entity, from, to, action, who, why, extra data, when).
`status_history(session, machine, entity_id)` reads the rows back, oldest first.

Set-based jobs (a window's consolidation moves thousands of rows at once) use
`MACHINE.record_many(...)`: the same check of the table, one INSERT … SELECT of the
status_changes rows for every entity id a statement moved.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Select, Text, cast, func, literal, select
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

    async def record_many(
        self,
        session: AsyncSession,
        entity_ids: Iterable[Any] | Select[Any],
        from_state: str,
        action: str,
        *,
        actor_id: uuid.UUID | None,
        reason: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> str:
        """Record `action` from `from_state` for many entities whose status column a
        set-based statement of the caller has just moved; returns the new state.

        `entity_ids` is a list of ids (sent as one array parameter) or a one-column
        SELECT of them (INSERT … SELECT, nothing travels through Python). The table is
        checked as `apply` checks it: a step it does not allow raises InvalidTransition.
        """
        target = self.next_state(from_state, action)
        table = kernel_of(session).status_changes
        if isinstance(entity_ids, Select):
            source = entity_ids.subquery()
            key: Any = cast(list(source.c)[0], Text)
        else:
            ids = [str(value) for value in entity_ids]
            if not ids:
                return target
            source = select(func.unnest(cast(ids, ARRAY(Text))).label("entity_id")).subquery()
            key = source.c.entity_id
        rows = select(
            literal(self.name),
            key,
            literal(from_state),
            literal(target),
            literal(action),
            literal(actor_id, table.c.actor_id.type),
            literal(reason, Text),
            literal(data, table.c.data.type),
            func.now(),
        ).select_from(source)
        await session.execute(
            table.insert().from_select(
                [
                    "machine",
                    "entity_id",
                    "from_state",
                    "to_state",
                    "action",
                    "actor_id",
                    "reason",
                    "data",
                    "at",
                ],
                rows,
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
