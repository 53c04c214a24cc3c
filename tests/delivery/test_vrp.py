"""OR-Tools sequencing respects capacity and time windows and drops what cannot be served."""

from __future__ import annotations

from services.delivery.vrp import Visit, solve, travel_minutes

DEPOT = Visit(35.04, 114.41, 0, (7 * 60, 20 * 60))


def village(dlat: float, demand: int, window=(7 * 60, 20 * 60)) -> Visit:
    return Visit(35.04 + dlat, 114.41 + dlat / 2, demand, window)


def test_capacity_splits_the_visits_between_vehicles():
    visits = [village(0.01 * i, 400_000) for i in range(1, 6)]
    solution = solve(DEPOT, visits, [1_000_000, 1_000_000, 1_000_000], seconds=1)
    assert not solution.dropped
    for route in solution.routes:
        assert sum(visits[i].demand_g for i, _ in route) <= 1_000_000


def test_arrivals_fall_inside_the_time_windows():
    visits = [
        village(0.05, 1, (9 * 60, 9 * 60 + 30)),
        village(0.02, 1, (8 * 60, 8 * 60 + 30)),
        village(0.08, 1, (10 * 60, 11 * 60)),
    ]
    solution = solve(DEPOT, visits, [10_000], seconds=1)
    [route] = solution.routes
    assert [i for i, _ in route] == [1, 0, 2]
    for i, arrival in route:
        assert visits[i].window[0] <= arrival <= visits[i].window[1]


def test_an_unreachable_window_is_dropped_not_violated():
    far = Visit(36.5, 116.0, 1, (7 * 60, 7 * 60 + 10))
    assert travel_minutes(DEPOT, far) > 10
    solution = solve(DEPOT, [village(0.01, 1), far], [10_000], seconds=1)
    assert solution.dropped == [1]
