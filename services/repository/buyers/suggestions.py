"""Reorder suggestions from a buyer's own history (pure; the reasoning is part of the answer).

Two signals, both from the buyer's own orders and shown to it:
- cadence: an offer ordered at least twice in the last 120 days is due again one median
  interval after its last order; the suggested quantity is the mean of its last three orders;
- season: an offer not bought regularly now but bought within three weeks either side of
  today's date last year is suggested at last season's mean quantity.
Quantities are rounded up to the offer's order multiple and at least its minimum order.
"""

from __future__ import annotations

import math
import statistics
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

RECENT_DAYS = 120
SEASON_HALF_WIDTH_DAYS = 21
DUE_AHEAD_DAYS = 2


@dataclass(frozen=True)
class PastLine:
    offer_id: uuid.UUID
    ordered_on: date
    cases: int


@dataclass(frozen=True)
class OrderRules:
    min_order_cases: int = 1
    multiple_cases: int = 1


@dataclass(frozen=True)
class Suggested:
    offer_id: uuid.UUID
    cases: int
    due_on: date
    reason: str
    reason_zh: str
    basis: dict = field(default_factory=dict)


def fit_to_rules(cases: float, rules: OrderRules) -> int:
    wanted = max(math.ceil(cases), rules.min_order_cases)
    return math.ceil(wanted / rules.multiple_cases) * rules.multiple_cases


def _per_day(lines: list[PastLine]) -> list[tuple[date, int]]:
    days: dict[date, int] = {}
    for line in lines:
        days[line.ordered_on] = days.get(line.ordered_on, 0) + line.cases
    return sorted(days.items())


def _by_cadence(
    offer_id: uuid.UUID, days: list[tuple[date, int]], as_of: date, rules: OrderRules
) -> Suggested | None:
    if len(days) < 2:
        return None
    intervals = [(b[0] - a[0]).days for a, b in zip(days, days[1:], strict=False)]
    interval = max(1, round(statistics.median(intervals)))
    last_day = days[-1][0]
    due_on = last_day + timedelta(days=interval)
    if due_on > as_of + timedelta(days=DUE_AHEAD_DAYS):
        return None
    recent = [cases for _, cases in days[-3:]]
    mean = statistics.fmean(recent)
    since = (as_of - last_day).days
    return Suggested(
        offer_id,
        fit_to_rules(mean, rules),
        max(due_on, as_of),
        f"You order this about every {interval} days ({len(days)} orders in "
        f"{RECENT_DAYS} days, {mean:.1f} cases on average lately); the last was {since} days ago.",
        f"您大约每{interval}天订购一次（近{RECENT_DAYS}天共{len(days)}次，近期平均每次"
        f"{mean:.1f}箱），距上次订购已{since}天。",
        {"signal": "cadence", "interval_days": interval, "orders": len(days), "mean_cases": mean},
    )


def _by_season(
    offer_id: uuid.UUID, lines: list[PastLine], as_of: date, rules: OrderRules
) -> Suggested | None:
    centre = as_of - timedelta(days=365)
    season = [
        line for line in lines if abs((line.ordered_on - centre).days) <= SEASON_HALF_WIDTH_DAYS
    ]
    if not season:
        return None
    days = _per_day(season)
    mean = statistics.fmean(cases for _, cases in days)
    return Suggested(
        offer_id,
        fit_to_rules(mean, rules),
        as_of,
        f"Last year around this time you ordered it {len(days)} times, {mean:.1f} cases each time.",
        f"去年同期您订购了{len(days)}次，平均每次{mean:.1f}箱。",
        {"signal": "season", "orders_last_season": len(days), "mean_cases": mean},
    )


def suggest(
    history: list[PastLine], as_of: date, rules: dict[uuid.UUID, OrderRules]
) -> list[Suggested]:
    """Suggestions for offers the buyer may order again, soonest due first."""
    by_offer: dict[uuid.UUID, list[PastLine]] = {}
    for line in history:
        by_offer.setdefault(line.offer_id, []).append(line)
    found: list[Suggested] = []
    recent_from = as_of - timedelta(days=RECENT_DAYS)
    for offer_id, lines in by_offer.items():
        offer_rules = rules.get(offer_id)
        if offer_rules is None:  # no longer on sale to this buyer
            continue
        recent = _per_day([line for line in lines if line.ordered_on >= recent_from])
        suggestion = _by_cadence(offer_id, recent, as_of, offer_rules)
        if suggestion is None and len(recent) < 2:
            suggestion = _by_season(offer_id, lines, as_of, offer_rules)
        if suggestion is not None:
            found.append(suggestion)
    return sorted(found, key=lambda s: (s.due_on, str(s.offer_id)))


@dataclass(frozen=True)
class Explanation:
    """Why the suggestions are what they are (said also when there are none)."""

    status: str  # suggested | no_history | history_too_short | nothing_due | not_on_sale
    reason: str
    reason_zh: str
    orders_considered: int
    next_due_on: date | None = None


def explain(
    history: list[PastLine],
    as_of: date,
    rules: dict[uuid.UUID, OrderRules],
    found: list[Suggested],
) -> Explanation:
    """Tell "no history old enough" from "nothing to suggest now"."""
    days = len({(line.offer_id, line.ordered_on) for line in history})
    if found:
        return Explanation(
            "suggested",
            f"{len(found)} offer(s) are due again, from {days} past order line(s).",
            f"根据{days}条历史订货记录，有{len(found)}个商品该补货了。",
            days,
        )
    if not history:
        return Explanation(
            "no_history",
            "No orders yet: suggestions start once you have ordered the same offer twice.",
            "暂无订货记录：同一商品订购两次后才会给出补货建议。",
            0,
        )
    on_sale = [line for line in history if line.offer_id in rules]
    if not on_sale:
        return Explanation(
            "not_on_sale",
            "Nothing you ordered before is on sale to you now.",
            "您订购过的商品目前都不在售。",
            days,
        )
    recent_from = as_of - timedelta(days=RECENT_DAYS)
    next_due: date | None = None
    for offer_id in {line.offer_id for line in on_sale}:
        recent = _per_day(
            [li for li in on_sale if li.offer_id == offer_id and li.ordered_on >= recent_from]
        )
        if len(recent) < 2:
            continue
        intervals = [(b[0] - a[0]).days for a, b in zip(recent, recent[1:], strict=False)]
        due_on = recent[-1][0] + timedelta(days=max(1, round(statistics.median(intervals))))
        next_due = due_on if next_due is None else min(next_due, due_on)
    if next_due is None:
        return Explanation(
            "history_too_short",
            f"Not enough history yet: no offer was ordered on two different days in the last "
            f"{RECENT_DAYS} days, nor around this date last year.",
            f"历史记录不足：近{RECENT_DAYS}天内没有商品在两个不同的日子订购过，去年同期也没有。",
            days,
        )
    return Explanation(
        "nothing_due",
        f"Nothing is due yet; the next offer is due on {next_due.isoformat()}.",
        f"暂时无需补货；最早的补货日期是{next_due.isoformat()}。",
        days,
        next_due,
    )
