"""Reorder suggestions from a buyer's own history (the pure rule)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.repository.buyers.suggestions import OrderRules, PastLine, fit_to_rules, suggest

TODAY = date(2026, 11, 29)
FLOUR = uuid.uuid4()
JAM = uuid.uuid4()
HONEYSUCKLE = uuid.uuid4()


def weekly(offer_id, cases: list[int], last_days_ago: int) -> list[PastLine]:
    start = TODAY - timedelta(days=last_days_ago + 7 * (len(cases) - 1))
    return [PastLine(offer_id, start + timedelta(days=7 * i), c) for i, c in enumerate(cases)]


def test_a_weekly_order_is_due_again_a_week_after_the_last():
    history = weekly(FLOUR, [4, 6, 5, 7], last_days_ago=7)
    [s] = suggest(history, TODAY, {FLOUR: OrderRules()})
    assert s.offer_id == FLOUR
    assert s.cases == 6  # mean of the last three (6, 5, 7)
    assert s.due_on == TODAY
    assert "every 7 days" in s.reason and "7 days ago" in s.reason
    assert "每7天" in s.reason_zh
    assert s.basis["signal"] == "cadence"


def test_not_yet_due_is_not_suggested():
    history = weekly(FLOUR, [4, 4, 4], last_days_ago=2)
    assert suggest(history, TODAY, {FLOUR: OrderRules()}) == []


def test_quantities_respect_minimum_and_multiples():
    history = weekly(JAM, [3, 3, 4], last_days_ago=8)
    [s] = suggest(history, TODAY, {JAM: OrderRules(min_order_cases=2, multiple_cases=5)})
    assert s.cases == 5
    assert fit_to_rules(0.2, OrderRules(min_order_cases=3, multiple_cases=1)) == 3
    assert fit_to_rules(11, OrderRules(min_order_cases=1, multiple_cases=6)) == 12


def test_last_seasons_orders_suggest_this_season():
    last_year = TODAY - timedelta(days=365)
    history = [
        PastLine(HONEYSUCKLE, last_year - timedelta(days=10), 20),
        PastLine(HONEYSUCKLE, last_year + timedelta(days=5), 30),
        PastLine(HONEYSUCKLE, last_year + timedelta(days=60), 99),  # outside the season
    ]
    [s] = suggest(history, TODAY, {HONEYSUCKLE: OrderRules()})
    assert s.cases == 25
    assert s.basis == {"signal": "season", "orders_last_season": 2, "mean_cases": 25.0}
    assert "去年同期" in s.reason_zh


def test_offers_no_longer_on_sale_are_left_out():
    history = weekly(FLOUR, [4, 4, 4], last_days_ago=7)
    assert suggest(history, TODAY, {}) == []


def test_soonest_due_first():
    history = weekly(FLOUR, [4, 4, 4], last_days_ago=7) + weekly(JAM, [2, 2, 2], last_days_ago=20)
    got = suggest(history, TODAY, {FLOUR: OrderRules(), JAM: OrderRules()})
    assert [s.offer_id for s in got] in ([JAM, FLOUR], [FLOUR, JAM])
    assert all(s.due_on == TODAY for s in got)


def test_an_empty_answer_says_why():
    from services.repository.buyers.suggestions import explain

    assert explain([], TODAY, {}, []).status == "no_history"
    once = [PastLine(FLOUR, TODAY - timedelta(days=3), 4)]
    assert explain(once, TODAY, {FLOUR: OrderRules()}, []).status == "history_too_short"
    assert explain(once, TODAY, {}, []).status == "not_on_sale"
    weekly = [PastLine(FLOUR, TODAY - timedelta(days=d), 4) for d in (16, 9, 2)]
    found = suggest(weekly, TODAY, {FLOUR: OrderRules()})
    assert found == []
    why = explain(weekly, TODAY, {FLOUR: OrderRules()}, found)
    assert (why.status, why.next_due_on) == ("nothing_due", TODAY + timedelta(days=5))
    assert why.reason and why.reason_zh
