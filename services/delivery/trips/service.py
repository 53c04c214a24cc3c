"""Ad-hoc runs sequenced by OR-Tools, and upstream collection runs from farms to the warehouse."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery import vrp
from services.delivery.network.models import Stop
from services.delivery.network.repository import NetworkRepository
from services.delivery.problems import NOT_A_FARM
from services.delivery.regions.service import timezone_of
from services.delivery.runs.lifecycle import DISPATCHER
from services.delivery.runs.models import Run, RunStop
from services.delivery.runs.repository import RunRepository
from services.delivery.runs.service import (
    DISPATCH_ROLES,
    ensure_under_way,
    record_planned,
    start_on_arrival,
    visible_run,
)
from services.delivery.trips.schemas import AdHocRequest, CollectionRequest
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.db import utcnow
from shared.errors import FieldError, NotFound, RuleViolation


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone) + timedelta(minutes=minutes)


def _lat(stop: Stop) -> float:
    assert stop.latitude is not None  # checked by _stop_in_region
    return stop.latitude


def _lon(stop: Stop) -> float:
    assert stop.longitude is not None
    return stop.longitude


async def _stop_in_region(session: AsyncSession, stop_id: uuid.UUID, region_id: uuid.UUID) -> Stop:
    stop = await NetworkRepository(session).get_stop(stop_id)
    if stop is None or stop.region_id != region_id:
        raise NotFound("No such stop")
    if stop.latitude is None or stop.longitude is None:
        raise RuleViolation(
            f"Stop {stop.name} has no coordinates",
            errors=[FieldError("stop_id", "the stop needs latitude and longitude")],
        )
    return stop


async def plan_ad_hoc(
    session: AsyncSession, principal: Principal, body: AdHocRequest
) -> tuple[list[tuple[Run, list[RunStop]]], list[uuid.UUID]]:
    """A real VRP: vehicles' weight capacity, each stop's window; unservable stops dropped."""
    ensure_operator_of(principal, body.region_id, DISPATCH_ROLES)
    depot = await _stop_in_region(session, body.depot_stop_id, body.region_id)
    stops = [await _stop_in_region(session, v.stop_id, body.region_id) for v in body.visits]
    vehicles = []
    for vehicle_id in body.vehicle_ids:
        vehicle = await NetworkRepository(session).get_vehicle(vehicle_id)
        if vehicle is None or vehicle.region_id != body.region_id:
            raise NotFound("No such vehicle")
        vehicles.append(vehicle)
    # OR-Tools searches for seconds of CPU: in a worker thread, never on the event loop
    solution = await anyio.to_thread.run_sync(
        vrp.solve,
        vrp.Visit(_lat(depot), _lon(depot), 0, (6 * 60, 22 * 60)),
        [
            vrp.Visit(
                _lat(stop),
                _lon(stop),
                visit.demand_g,
                (_minutes(visit.window_start), _minutes(visit.window_end)),
            )
            for stop, visit in zip(stops, body.visits, strict=True)
        ],
        [vehicle.max_weight_g for vehicle in vehicles],
    )
    zone = ZoneInfo(await timezone_of(session, body.region_id))
    planned = []
    for vehicle, route in zip(vehicles, solution.routes, strict=True):
        if not route:
            continue
        load = sum(body.visits[i].demand_g for i, _ in route)
        run = Run(
            region_id=body.region_id,
            kind="ad_hoc",
            delivery_date=body.delivery_date,
            trip=1,
            vehicle_id=vehicle.id,
            weight_g=load,
            overloaded=load > vehicle.max_weight_g,
        )
        await RunRepository(session).add(run)
        record_planned(session, run, principal.user_id, DISPATCHER)
        run_stops = [
            RunStop(
                run_id=run.id,
                sequence=sequence,
                stop_id=stops[i].id,
                eta=_at(body.delivery_date, minute, zone),
                demand_g=body.visits[i].demand_g,
            )
            for sequence, (i, minute) in enumerate(route, start=1)
        ]
        session.add_all(run_stops)
        planned.append((run, run_stops))
    await session.flush()
    return planned, [stops[i].id for i in solution.dropped]


async def plan_collection(
    session: AsyncSession, principal: Principal, body: CollectionRequest
) -> tuple[Run, list[RunStop]]:
    """An upstream run: farms in the given order, goods weighed at pickup, to the warehouse."""
    ensure_operator_of(principal, body.region_id, DISPATCH_ROLES)
    vehicle = await NetworkRepository(session).get_vehicle(body.vehicle_id)
    if vehicle is None or vehicle.region_id != body.region_id:
        raise NotFound("No such vehicle")
    for index, stop_id in enumerate(body.stop_ids):
        stop = await NetworkRepository(session).get_stop(stop_id)
        if stop is None or stop.region_id != body.region_id:
            raise NotFound("No such stop")
        if stop.kind != "farm":
            # Upstream goods are picked up where they grow; a village station receives
            # downstream parcels and is not a pickup point.
            raise RuleViolation(
                f"{stop.name} is a {stop.kind}, not a farm",
                code=NOT_A_FARM,
                errors=[FieldError(f"stop_ids.{index}", f"a {stop.kind}, not a farm", "not_farm")],
            )
    run = Run(
        region_id=body.region_id,
        kind="collection",
        delivery_date=body.collection_date,
        trip=1,
        vehicle_id=vehicle.id,
        driver_user_id=body.driver_user_id,
    )
    await RunRepository(session).add(run)
    record_planned(session, run, principal.user_id, DISPATCHER)
    run_stops = [
        RunStop(run_id=run.id, sequence=sequence, stop_id=stop_id)
        for sequence, stop_id in enumerate(body.stop_ids, start=1)
    ]
    session.add_all(run_stops)
    await session.flush()
    return run, run_stops


async def trip(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID
) -> tuple[Run, list[RunStop]]:
    run = await visible_run(session, principal, run_id)
    return run, await RunRepository(session).run_stops(run.id)


async def arrive(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, sequence: int
) -> tuple[Run, list[RunStop]]:
    """The driver reaches a stop of a sequenced run; the first arrival starts the run."""
    run = await visible_run(session, principal, run_id, lock=True)
    ensure_under_way(run)
    stop = await RunRepository(session).get_run_stop(run.id, sequence)
    if stop is None and run.kind == "route":
        at_stop = [
            p
            for p in await RunRepository(session).parcels_of_run(run.id)
            if p.stop_sequence == sequence
        ]
        if at_stop:
            stop = RunStop(run_id=run.id, sequence=sequence, stop_id=at_stop[0].stop_id)
            await RunRepository(session).add(stop)
    if stop is None:
        raise NotFound("No such stop on this run")
    if stop.arrived_at is None:
        stop.arrived_at = utcnow()
    await start_on_arrival(session, principal, run, stop.arrived_at)
    return run, await RunRepository(session).run_stops(run.id)


async def record_pickup(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, sequence: int, weight_g: int
) -> tuple[Run, list[RunStop]]:
    """The driver weighs the farm's goods at pickup; the run's load is the sum so far."""
    run = await visible_run(session, principal, run_id, lock=True)
    if run.kind != "collection":
        raise NotFound("No such collection run")
    ensure_under_way(run)
    stop = await RunRepository(session).get_run_stop(run.id, sequence)
    if stop is None:
        raise NotFound("No such stop on this run")
    stop.collected_weight_g = weight_g
    stop.arrived_at = utcnow()
    await start_on_arrival(session, principal, run, stop.arrived_at)
    all_stops = await RunRepository(session).run_stops(run.id)
    run.weight_g = sum(s.collected_weight_g or 0 for s in all_stops)
    vehicle = (
        await NetworkRepository(session).get_vehicle(run.vehicle_id) if run.vehicle_id else None
    )
    run.overloaded = vehicle is not None and run.weight_g > vehicle.max_weight_g
    return run, all_stops
