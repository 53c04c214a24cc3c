"""Commission plan rules as the large platforms publish them (Douyin 精选联盟, WeChat 优选联盟),
pure functions without a database. Rates are basis points of the paid amount.

- open (通用) 1–50 %, directed (定向) 0–80 %, exclusive (专属) 0–50 %, agency activity
  (团长活动) commission + the agency's service fee ≤ 90 % with the fee ≤ 40 %.
- A cut takes effect at 00:00 of the next local day, a raise at once (every kind).
- An exclusive plan is cut at most once in 7 days and by at most 5 points each time.
- The best rate: one rate per streamer and product at a time, the highest of the plans the
  streamer qualifies for; ties go to the more specific kind (exclusive, directed, agency,
  open), then the older plan, then the smaller id (so the answer never depends on order).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

RATE_RANGES = {
    "open": (100, 5000),
    "directed": (0, 8000),
    "exclusive": (0, 5000),
    "agency": (0, 9000),
}
AGENCY_FEE_MAX_BPS = 4000
AGENCY_TOTAL_MAX_BPS = 9000
AGENCY_PERIODS_DAYS = (30, 90, 180, 360)
EXCLUSIVE_CUT_MAX_BPS = 500
EXCLUSIVE_CUT_EVERY = timedelta(days=7)
KIND_PRIORITY = {"exclusive": 0, "directed": 1, "agency": 2, "open": 3}


def rate_problem(kind: str, rate_bps: int, service_fee_bps: int = 0) -> str | None:
    """Why a rate is not allowed for the kind (None: allowed)."""
    low, high = RATE_RANGES[kind]
    if not low <= rate_bps <= high:
        return f"a {kind} plan's rate is {low / 100:g}–{high / 100:g} %"
    if kind == "agency":
        if not 0 <= service_fee_bps <= AGENCY_FEE_MAX_BPS:
            return "the agency's service fee is at most 40 %"
        if rate_bps + service_fee_bps > AGENCY_TOTAL_MAX_BPS:
            return "commission and service fee together are at most 90 %"
    elif service_fee_bps:
        return "only an agency activity has a service fee"
    return None


def next_local_midnight(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    tomorrow = (local + timedelta(days=1)).date()
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=ZoneInfo(timezone))


def effective_at(current_bps: int, new_bps: int, now: datetime, timezone: str) -> datetime:
    """A cut waits for the next local midnight; a raise (or no change) applies now."""
    return next_local_midnight(now, timezone) if new_bps < current_bps else now


def exclusive_cut_problem(
    current_bps: int, new_bps: int, earlier_cuts: Iterable[datetime], now: datetime
) -> str | None:
    if new_bps >= current_bps:
        return None
    if current_bps - new_bps > EXCLUSIVE_CUT_MAX_BPS:
        return "an exclusive plan is cut by at most 5 points at a time"
    if any(now - at < EXCLUSIVE_CUT_EVERY for at in earlier_cuts):
        return "an exclusive plan is cut at most once in 7 days"
    return None


@dataclass(frozen=True)
class ScheduledRate:
    rate_bps: int
    effective_at: datetime
    recorded_at: datetime


def rate_at(schedule: Sequence[ScheduledRate], at: datetime) -> int | None:
    """The rate in effect at `at`: the latest change already effective (later records win)."""
    due = [s for s in schedule if s.effective_at <= at]
    if not due:
        return None
    return max(due, key=lambda s: (s.effective_at, s.recorded_at)).rate_bps


@dataclass(frozen=True)
class Offer:
    plan_id: uuid.UUID
    kind: str
    rate_bps: int
    created_at: datetime


def best_offer(offers: Iterable[Offer]) -> Offer | None:
    """The one rate a streamer gets for a product: of the plans it qualifies for."""
    return min(
        offers,
        key=lambda o: (-o.rate_bps, KIND_PRIORITY[o.kind], o.created_at, o.plan_id),
        default=None,
    )
