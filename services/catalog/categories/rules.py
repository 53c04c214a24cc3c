"""Categories: the status machine and which names a write may use (pure, unit-tested)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from shared.errors import FieldError
from shared.state_machine import machine

CATEGORY_MACHINE = machine(
    "category",
    [
        ("active", "retire", "retired"),
        ("retired", "reinstate", "active"),
    ],
)


def category_errors(
    field: str,
    names: Iterable[str],
    active: Collection[str],
    retired: Collection[str],
    *,
    kept: Collection[str] = (),
    indexed: bool = False,
) -> list[FieldError]:
    """One error per name that is not an active category of the region.

    A name the object already carries (`kept`) may stay even once retired: retiring stops
    new use, it does not force every product and brand to move at once.
    """
    errors = []
    for index, name in enumerate(names):
        if name in active or name in kept:
            continue
        where = f"{field}.{index}" if indexed else field
        if name in retired:
            errors.append(FieldError(where, f"{name} is a retired category", "retired_category"))
        else:
            errors.append(
                FieldError(where, f"{name} is not a category of the region", "unknown_category")
            )
    return errors


def renamed(names: list[str], old: str, new: str) -> list[str]:
    """A list of category names after one is renamed (order kept, no duplicate)."""
    result: list[str] = []
    for name in names:
        target = new if name == old else name
        if target not in result:
            result.append(target)
    return result
