"""The plan rules as pure functions: ranges, cuts at local midnight, exclusive limits, the
agency cap, and the best rate (unit and property tests, no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.livestream.plans import rules
from services.livestream.plans.rules import Offer, ScheduledRate, best_offer

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai, 10:30 in New York


def test_rate_ranges_of_each_kind():
    assert rules.rate_problem("open", 100) is None
    assert rules.rate_problem("open", 99) is not None  # open is 1–50 %
    assert rules.rate_problem("open", 5001) is not None
    assert rules.rate_problem("directed", 8000) is None
    assert rules.rate_problem("directed", 8001) is not None
    assert rules.rate_problem("exclusive", 0) is None
    assert rules.rate_problem("exclusive", 5001) is not None


def test_agency_fee_at_most_40_and_total_at_most_90_percent():
    assert rules.rate_problem("agency", 5000, 4000) is None
    assert rules.rate_problem("agency", 5001, 4000) is not None  # 90.01 %
    assert rules.rate_problem("agency", 1000, 4001) is not None  # fee 40.01 %
    assert rules.rate_problem("open", 1000, 100) is not None  # only agencies have a fee


def test_a_cut_waits_for_the_next_local_midnight_in_shanghai():
    effective = rules.effective_at(2000, 1500, NOW, "Asia/Shanghai")
    local = effective.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2026, 12, 2, 0, 0)
    assert effective - NOW == timedelta(minutes=30)


def test_a_cut_waits_for_the_next_local_midnight_in_another_zone():
    effective = rules.effective_at(2000, 1500, NOW, "America/New_York")
    local = effective.astimezone(ZoneInfo("America/New_York"))
    assert (local.day, local.hour) == (2, 0)
    assert effective - NOW == timedelta(hours=13, minutes=30)


def test_a_raise_applies_at_once():
    assert rules.effective_at(1500, 2000, NOW, "Asia/Shanghai") == NOW


def test_exclusive_cut_at_most_5_points_once_in_7_days():
    assert rules.exclusive_cut_problem(3000, 2500, [], NOW) is None
    assert rules.exclusive_cut_problem(3000, 2499, [], NOW) is not None
    six_days_ago = NOW - timedelta(days=6, hours=23)
    assert rules.exclusive_cut_problem(3000, 2900, [six_days_ago], NOW) is not None
    assert rules.exclusive_cut_problem(3000, 2900, [NOW - timedelta(days=7)], NOW) is None
    assert rules.exclusive_cut_problem(3000, 4000, [six_days_ago], NOW) is None  # raises free


def test_rate_at_follows_the_schedule():
    schedule = [
        ScheduledRate(2000, NOW - timedelta(days=2), NOW - timedelta(days=2)),
        ScheduledRate(1500, NOW + timedelta(hours=1), NOW),
    ]
    assert rules.rate_at(schedule, NOW) == 2000
    assert rules.rate_at(schedule, NOW + timedelta(hours=1)) == 1500
    assert rules.rate_at(schedule, NOW - timedelta(days=3)) is None


def _offer(kind: str, rate: int, minutes: int = 0) -> Offer:
    return Offer(uuid.uuid4(), kind, rate, NOW + timedelta(minutes=minutes))


def test_best_rate_is_the_highest_and_ties_go_to_the_more_specific_plan():
    open_, directed = _offer("open", 2000), _offer("directed", 2500)
    assert best_offer([open_, directed]) == directed
    exclusive = _offer("exclusive", 2500, minutes=5)
    assert best_offer([open_, directed, exclusive]) == exclusive
    assert best_offer([]) is None


offers = st.lists(
    st.builds(
        Offer,
        plan_id=st.uuids(),
        kind=st.sampled_from(["open", "directed", "exclusive", "agency"]),
        rate_bps=st.integers(0, 9000),
        created_at=st.datetimes(
            min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
        ),
    ),
    min_size=1,
    max_size=12,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offers, st.randoms())
def test_best_rate_is_one_of_them_never_beaten_and_independent_of_order(found, rng):
    best = best_offer(found)
    assert best in found
    assert all(o.rate_bps <= best.rate_bps for o in found)
    shuffled = list(found)
    rng.shuffle(shuffled)
    assert best_offer(shuffled) == best
