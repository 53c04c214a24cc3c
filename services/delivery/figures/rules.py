"""Daily figures per route, computed from plain rows (pure, unit-testable)."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shared.errors import BadRequest, FieldError
from shared.pagination import Sort, decode_cursor, encode_cursor

GOAL_HOURS = 24


@dataclass(frozen=True)
class ParcelFact:
    """A parcel due on a route's day. `reached_at`: when it left the van at its village
    (received by the station or delivered in person); `carried`: its run is completed."""

    route_id: uuid.UUID
    route_name: str
    delivery_date: date
    reached_at: datetime | None
    dispatched_at: datetime | None
    carrier: str | None
    delivered: bool = False
    carried: bool = False


@dataclass(frozen=True)
class RunFact:
    """A completed run of a route's day and what its vehicle costs per run."""

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
    completed_runs: int
    carried: int
    on_time_rate: float | None
    median_dispatch_to_delivery_hours: float | None
    within_goal_rate: float | None
    cost_per_parcel_fen: int | None
    carrier_share: float


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(
    parcels: list[ParcelFact], runs: list[RunFact], timezone: str = "Asia/Shanghai"
) -> list[RouteDay]:
    """Per day and route. Only completed runs are judged: their parcels are settled, while a
    planned or moving run would show a rate that changes by the hour and a cost not yet spent.

    - on time: a carried parcel that reached its village by the end of the delivery date in
      the county's time zone; returned ones count as not on time;
    - dispatch to delivery: from the run's start to the parcel reaching its village;
    - cost per parcel: the completed runs' vehicle cost shared by the parcels they carried.
    """
    zone = ZoneInfo(timezone)
    groups: dict[tuple[date, uuid.UUID], list[ParcelFact]] = defaultdict(list)
    for fact in parcels:
        groups[(fact.delivery_date, fact.route_id)].append(fact)
    cost: dict[tuple[date, uuid.UUID], int] = defaultdict(int)
    done: dict[tuple[date, uuid.UUID], int] = defaultdict(int)
    for run in runs:
        cost[(run.delivery_date, run.route_id)] += run.cost_fen
        done[(run.delivery_date, run.route_id)] += 1
    result = []
    for (day, route_id), facts in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[1][0].route_name, str(kv[0][1]))
    ):
        carried = [f for f in facts if f.carried]
        reached = [f for f in carried if f.reached_at is not None]
        on_time = [
            f for f in reached if f.reached_at and f.reached_at.astimezone(zone).date() <= day
        ]
        hours = [
            (f.reached_at - f.dispatched_at).total_seconds() / 3600
            for f in reached
            if f.dispatched_at is not None and f.reached_at is not None
        ]
        result.append(
            RouteDay(
                delivery_date=day,
                route_id=route_id,
                route_name=facts[0].route_name,
                parcels=len(facts),
                delivered=sum(f.delivered for f in facts),
                completed_runs=done[(day, route_id)],
                carried=len(carried),
                on_time_rate=_rate(len(on_time), len(carried)),
                median_dispatch_to_delivery_hours=round(statistics.median(hours), 2)
                if hours
                else None,
                within_goal_rate=_rate(sum(h <= GOAL_HOURS for h in hours), len(hours)),
                cost_per_parcel_fen=round(cost[(day, route_id)] / len(carried))
                if carried
                else None,
                carrier_share=round(sum(f.carrier is not None for f in facts) / len(facts), 4),
            )
        )
    return result


def _key(row: RouteDay) -> tuple[str, str, str]:
    return (row.delivery_date.isoformat(), row.route_name, str(row.route_id))


def page_of(
    rows: list[RouteDay], sort: Sort, cursor: str | None, limit: int
) -> tuple[list[RouteDay], str | None]:
    """A cursor page of computed rows, ordered by day then route name (ties by route id).

    The rows are computed for a bounded range in memory, so the keyset is applied here; the
    cursor is the kernel's, keyed by the ISO day with (route name, route id) as tie-breaker.
    """
    ordered = sorted(rows, key=_key, reverse=sort.descending)
    if cursor:
        day, tie = decode_cursor(cursor, sort)
        if not isinstance(tie, list) or len(tie) != 2:
            raise BadRequest(
                "The cursor is invalid or belongs to another sort",
                code="validation-error",
                errors=[FieldError("cursor", "invalid cursor")],
            )
        after = (str(day), str(tie[0]), str(tie[1]))
        ordered = [r for r in ordered if (_key(r) < after if sort.descending else _key(r) > after)]
    page = ordered[:limit]
    if len(ordered) <= limit:
        return page, None
    day, name, route_id = _key(page[-1])
    return page, encode_cursor(sort, day, [name, route_id])
