"""docs/events.md and SUBSCRIPTIONS name the same event types (the doc is the contract)."""

from __future__ import annotations

from shared.events import SUBSCRIPTIONS
from shared.settings import REPO_ROOT


def documented_types() -> set[str]:
    """Types in the table's first column; "a.b.c / d" stands for a.b.c and a.b.d."""
    found: set[str] = set()
    for line in (REPO_ROOT / "docs" / "events.md").read_text().splitlines():
        cells = line.split("|")
        if len(cells) < 3 or not cells[1].strip() or cells[1].strip() in ("type", "---"):
            continue
        first, *others = (part.strip() for part in cells[1].split("/"))
        if "." not in first:
            continue
        found.add(first)
        stem = first.rsplit(".", 1)[0]
        found.update(f"{stem}.{other}" for other in others)
    return found


def test_every_subscribed_event_is_documented_and_every_documented_one_subscribed():
    documented = documented_types()
    assert set(SUBSCRIPTIONS) - documented == set()
    assert documented - set(SUBSCRIPTIONS) == set()
