"""Pure rules of the figures."""

from __future__ import annotations

from datetime import datetime


def peak(windows: list[tuple[datetime, datetime]]) -> tuple[int, datetime | None]:
    """The most sessions live at once and the first moment it happened. Windows are half
    open: a session that ends as another starts does not overlap it."""
    points = sorted(
        [(start, 1) for start, _ in windows] + [(end, -1) for _, end in windows],
        key=lambda p: (p[0], p[1]),  # at one instant, ends (-1) before starts (+1)
    )
    live = best = 0
    when: datetime | None = None
    for at, step in points:
        live += step
        if live > best:
            best, when = live, at
    return best, when


def conversion_bps(received: int, featured: int) -> int:
    return featured * 10_000 // received if received else 0
