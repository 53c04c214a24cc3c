"""Pure rules of the read model: local months, and how much a fact moves the roll-ups."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"
WITHIN_HOURS = 24  # a village delivery counts as on time within this of its dispatch


def local_month(at: datetime, timezone: str | None = None) -> date:
    """The first day of the month `at` falls in, in the region's time zone."""
    local = at.astimezone(ZoneInfo(timezone or DEFAULT_TIMEZONE))
    return date(local.year, local.month, 1)


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


VariantKey = tuple[uuid.UUID, date, uuid.UUID, uuid.UUID]  # region, month, variant, supplier
StationKey = tuple[uuid.UUID, date, uuid.UUID]  # region, month, buyer
DeliveryKey = tuple[uuid.UUID, date, str, str]  # region, month, township, carrier
StreamKey = tuple[uuid.UUID, date, uuid.UUID, uuid.UUID]  # region, month, supplier, product
NIL = uuid.UUID(int=0)  # "none" in a roll-up key (a key column cannot be null)


def within_hours(dispatched: datetime | None, delivered: datetime, hours: int) -> bool:
    return dispatched is not None and (delivered - dispatched).total_seconds() <= hours * 3600


# sale-line statuses that were paid (a line not paid yet, or cancelled unpaid, adds nothing)
PAID_STATUSES = frozenset({"paid", "confirmed", "shipped", "delivered", "settled", "refunded"})


def stream_net_fen(paid_fen: int, refunded_fen: int, status: str) -> int:
    """What a livestream sale line adds to GMV: paid less refunded; a line marked refunded
    without an amount was refunded in full."""
    if status not in PAID_STATUSES or (status == "refunded" and refunded_fen <= 0):
        return 0
    return max(paid_fen - refunded_fen, 0)


@dataclass
class Deltas:
    """Changes to the roll-ups, summed per key, written in one statement per table."""

    variants: dict[VariantKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    stations: dict[StationKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )

    deliveries: dict[DeliveryKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    streams: dict[StreamKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def line(self, key: VariantKey, amount_fen: int, lines: int) -> None:
        entry = self.variants[key]
        entry[0] += amount_fen
        entry[1] += lines

    def station(self, key: StationKey, amount_fen: int, orders: int) -> None:
        entry = self.stations[key]
        entry[0] += amount_fen
        entry[1] += orders

    def delivery(self, key: DeliveryKey, timed: bool, within: bool) -> None:
        entry = self.deliveries[key]
        entry[0] += 1
        entry[1] += int(timed)
        entry[2] += int(within)

    def stream(self, key: StreamKey, gmv_fen: int, lines: int) -> None:
        entry = self.streams[key]
        entry[0] += gmv_fen
        entry[1] += lines

    def __bool__(self) -> bool:
        return bool(self.variants or self.stations or self.deliveries or self.streams)

    def clear(self) -> None:
        self.variants.clear()
        self.stations.clear()
        self.deliveries.clear()
        self.streams.clear()
