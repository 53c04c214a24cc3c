"""Sequencing ad-hoc runs with OR-Tools: capacities, time windows, unreachable stops dropped."""

from __future__ import annotations

import math
from dataclasses import dataclass

SPEED_KM_PER_HOUR = 35
SERVICE_MINUTES = 5
HORIZON_MINUTES = 24 * 60
DROP_PENALTY = 1_000_000


@dataclass(frozen=True)
class Visit:
    latitude: float
    longitude: float
    demand_g: int
    window: tuple[int, int]  # minutes after the start of the day


@dataclass(frozen=True)
class Solution:
    routes: list[list[tuple[int, int]]]  # per vehicle: (visit index, arrival minute)
    dropped: list[int]


def travel_minutes(a: Visit, b: Visit) -> int:
    """Haversine distance × 1.3 for roads, at a village-road speed."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * 6371 * math.asin(math.sqrt(h)) * 1.3
    return math.ceil(km / SPEED_KM_PER_HOUR * 60)


def solve(
    depot: Visit, visits: list[Visit], capacities_g: list[int], seconds: float = 2.0
) -> Solution:
    """Visits are numbered 0..n-1 in the answer; the depot is not listed."""
    # lazily: OR-Tools costs every process that imports delivery, and few runs are planned
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    nodes = [depot, *visits]
    size = len(nodes)
    manager = pywrapcp.RoutingIndexManager(size, len(capacities_g), 0)
    routing = pywrapcp.RoutingModel(manager)
    times = [[travel_minutes(a, b) for b in nodes] for a in nodes]

    def time_cb(i: int, j: int) -> int:
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return times[a][b] + (SERVICE_MINUTES if a else 0)

    transit = routing.RegisterTransitCallback(time_cb)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    routing.AddDimension(transit, HORIZON_MINUTES, HORIZON_MINUTES, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node in range(1, size):
        start, end = nodes[node].window
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(start, end)
    depot_start, depot_end = depot.window
    for vehicle in range(len(capacities_g)):
        time_dim.CumulVar(routing.Start(vehicle)).SetRange(depot_start, depot_end)

    def demand_cb(i: int) -> int:
        return nodes[manager.IndexToNode(i)].demand_g

    demand = routing.RegisterUnaryTransitCallback(demand_cb)
    routing.AddDimensionWithVehicleCapacity(demand, 0, capacities_g, True, "load")
    for node in range(1, size):
        routing.AddDisjunction([manager.NodeToIndex(node)], DROP_PENALTY)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    found = routing.SolveWithParameters(params)
    if found is None:
        return Solution(routes=[[] for _ in capacities_g], dropped=list(range(len(visits))))
    routes: list[list[tuple[int, int]]] = []
    served: set[int] = set()
    for vehicle in range(len(capacities_g)):
        index = found.Value(routing.NextVar(routing.Start(vehicle)))
        route = []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            route.append((node - 1, found.Min(time_dim.CumulVar(index))))
            served.add(node - 1)
            index = found.Value(routing.NextVar(index))
        routes.append(route)
    return Solution(routes=routes, dropped=[i for i in range(len(visits)) if i not in served])
