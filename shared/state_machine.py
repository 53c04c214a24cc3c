"""Explicit state machines: a table of allowed transitions and one function to apply them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from shared.errors import InvalidTransition


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


def machine(name: str, rows: Iterable[tuple[str, str, str]]) -> StateMachine:
    """Build from rows of (from_state, action, to_state)."""
    return StateMachine(name, {(src, action): dst for src, action, dst in rows})
