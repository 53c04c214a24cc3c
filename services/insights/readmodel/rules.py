"""Pure rules of the read model: local months, and how much a fact moves the roll-ups."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


def local_month(at: datetime, timezone: str | None = None) -> date:
    """The first day of the month `at` falls in, in the region's time zone."""
    local = at.astimezone(ZoneInfo(timezone or DEFAULT_TIMEZONE))
    return date(local.year, local.month, 1)


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


VariantKey = tuple[uuid.UUID, date, uuid.UUID, uuid.UUID]  # region, month, variant, supplier
StationKey = tuple[uuid.UUID, date, uuid.UUID]  # region, month, buyer


@dataclass
class Deltas:
    """Changes to the roll-ups, summed per key, written in one statement per table."""

    variants: dict[VariantKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    stations: dict[StationKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )

    def line(self, key: VariantKey, amount_fen: int, lines: int) -> None:
        entry = self.variants[key]
        entry[0] += amount_fen
        entry[1] += lines

    def station(self, key: StationKey, amount_fen: int, orders: int) -> None:
        entry = self.stations[key]
        entry[0] += amount_fen
        entry[1] += orders

    def __bool__(self) -> bool:
        return bool(self.variants or self.stations)

    def clear(self) -> None:
        self.variants.clear()
        self.stations.clear()
