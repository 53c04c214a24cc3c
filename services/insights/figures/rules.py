"""The figures' targets, and how a value compares with its target: pure functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

MET, ON_TRACK, BEHIND, NO_TARGET = "met", "on_track", "behind", "no_target"

# name -> (target, unit, cumulative over the period?)
TARGETS: dict[str, tuple[float | None, str, bool]] = {
    "brand_products": (3, "count", False),
    "brand_growth": (30.0, "percent", False),
    "enterprise_sales": (5, "count", True),
    "household_sales": (30_000_000, "fen", True),
    "traceability": (3, "count", True),
    "livestream": (10, "count", False),
    "carriers": (4, "count", False),
    "delivery_24h": (90.0, "percent", False),
    "cost_per_parcel": (None, "fen", False),
    "stations_reporting": (None, "count", False),
    "growth": (None, "percent", False),
    "training": (5_000, "count", True),
    "training_advanced": (2_500, "count", True),
    "new_shops": (None, "count", True),
    "leaders": (None, "count", True),
    "media_reports": (None, "count", True),
}

ENTERPRISE_THRESHOLD_FEN = 20_000_000  # ¥200,000 a year


@dataclass(frozen=True)
class Period:
    """Local months [first, last] of one year, and the same months a year before."""

    year: int
    first_month: int = 1
    last_month: int = 12

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month, 1)

    def previous(self) -> Period:
        return Period(self.year - 1, self.first_month, self.last_month)

    def elapsed(self, today: date) -> float:
        """The share of the period that has passed by `today` (0..1)."""
        months = self.last_month - self.first_month + 1
        if today < self.start:
            return 0.0
        if today.year > self.year or (today.year == self.year and today.month > self.last_month):
            return 1.0
        done = today.month - self.first_month + (today.day / 31)
        return max(0.0, min(1.0, done / months))


def status(value: float | None, target: float | None, elapsed: float, cumulative: bool) -> str:
    """met: reached; on track: a cumulative figure ahead of the share of the period gone;
    behind: otherwise. A figure without a target has none."""
    if target is None:
        return NO_TARGET
    if value is None:
        return BEHIND
    if value >= target:
        return MET
    if cumulative and elapsed < 1 and value >= target * elapsed:
        return ON_TRACK
    return BEHIND


def growth_percent(current: int, previous: int) -> float | None:
    if previous <= 0:
        return None
    return round((current - previous) * 100 / previous, 2)


@dataclass
class Figure:
    name: str
    title: str
    value: float | None
    unit: str
    how: str
    target: float | None = None
    status: str = NO_TARGET
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "status": self.status,
            "how": self.how,
            "detail": self.detail,
        }


def judged(
    name: str,
    title: str,
    value: float | None,
    how: str,
    *,
    elapsed: float,
    targets: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    target: float | None = None,
) -> Figure:
    default, unit, cumulative = TARGETS[name]
    chosen = target if target is not None else (targets or {}).get(name, default)
    return Figure(
        name,
        title,
        value,
        unit,
        how,
        chosen,
        status(value, chosen, elapsed, cumulative),
        detail or {},
    )
