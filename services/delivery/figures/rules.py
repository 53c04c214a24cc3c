"""Daily figures per route, computed from plain rows (pure, unit-testable)."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

GOAL_HOURS = 24


@dataclass(frozen=True)
class ParcelFact:
    route_id: uuid.UUID
    route_name: str
    delivery_date: date
    delivered_at: datetime | None
    dispatched_at: datetime | None
    carrier: str | None


@dataclass(frozen=True)
class RunFact:
    route_id: uuid.UUID
    delivery_date: date
    cost_fen: int


@dataclass
class RouteDay:
    delivery_date: date
    route_id: uuid.UUID
    route_name: str
    parcels: int
    delivered: int
    on_time_rate: float | None
    median_dispatch_to_delivery_hours: float | None
    within_goal_rate: float | None
    cost_per_parcel_fen: int | None
    carrier_share: float


def figures(
    parcels: list[ParcelFact], runs: list[RunFact], timezone: str = "Asia/Shanghai"
) -> list[RouteDay]:
    """On time = delivered by the end of the delivery date in the county's time zone."""
    zone = ZoneInfo(timezone)
    groups: dict[tuple[date, uuid.UUID], list[ParcelFact]] = defaultdict(list)
    for fact in parcels:
        groups[(fact.delivery_date, fact.route_id)].append(fact)
    cost: dict[tuple[date, uuid.UUID], int] = defaultdict(int)
    for run in runs:
        cost[(run.delivery_date, run.route_id)] += run.cost_fen
    result = []
    for (day, route_id), facts in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[1][0].route_name)
    ):
        delivered = [f for f in facts if f.delivered_at is not None]
        on_time = [f for f in delivered if f.delivered_at.astimezone(zone).date() <= day]
        hours = [
            (f.delivered_at - f.dispatched_at).total_seconds() / 3600
            for f in delivered
            if f.dispatched_at is not None
        ]
        result.append(
            RouteDay(
                delivery_date=day,
                route_id=route_id,
                route_name=facts[0].route_name,
                parcels=len(facts),
                delivered=len(delivered),
                on_time_rate=round(len(on_time) / len(delivered), 4) if delivered else None,
                median_dispatch_to_delivery_hours=round(statistics.median(hours), 2)
                if hours
                else None,
                within_goal_rate=round(sum(h <= GOAL_HOURS for h in hours) / len(hours), 4)
                if hours
                else None,
                cost_per_parcel_fen=round(cost[(day, route_id)] / len(facts)),
                carrier_share=round(sum(f.carrier is not None for f in facts) / len(facts), 4),
            )
        )
    return result
