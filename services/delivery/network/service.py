"""Network rules: only the region's operator edits it; routes are published to the repository."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.network import repository
from services.delivery.network.models import Route, RouteStop, Stop, Vehicle
from services.delivery.network.schemas import RouteCreate, StopCreate, VehicleCreate
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.errors import FieldError, NotFound, RuleViolation
from shared.events import publish

EDIT_ROLES = ("owner", "admin", "dispatcher")


async def create_stop(session: AsyncSession, principal: Principal, body: StopCreate) -> Stop:
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    if body.kind == "station" and body.station_org_id is None:
        raise RuleViolation(
            "A village station stop names its station organisation",
            errors=[FieldError("station_org_id", "required for a station stop")],
        )
    stop = Stop(**body.model_dump())
    await repository.add(session, stop)
    return stop


async def list_stops(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> list[Stop]:
    ensure_operator_of(principal, region_id)
    return await repository.stops_of_region(session, region_id)


async def create_vehicle(
    session: AsyncSession, principal: Principal, body: VehicleCreate
) -> Vehicle:
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    vehicle = Vehicle(**body.model_dump())
    await repository.add(session, vehicle)
    return vehicle


async def create_route(
    session: AsyncSession, principal: Principal, body: RouteCreate
) -> tuple[Route, list[uuid.UUID]]:
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    if any(day not in range(1, 8) for day in body.weekdays):
        raise RuleViolation(
            "Weekdays are 1 (Monday) to 7", errors=[FieldError("weekdays", "1 to 7")]
        )
    vehicle = await repository.get_vehicle(session, body.vehicle_id)
    if vehicle is None or vehicle.region_id != body.region_id:
        raise NotFound("No such vehicle")
    stops: list[Stop] = []
    for stop_id in body.stop_ids:
        stop = await repository.get_stop(session, stop_id)
        if stop is None or stop.region_id != body.region_id:
            raise NotFound("No such stop")
        stops.append(stop)
    route = Route(
        region_id=body.region_id,
        name=body.name,
        weekdays=sorted(set(body.weekdays)),
        departure_time=body.departure_time,
        vehicle_id=body.vehicle_id,
        driver_user_id=body.driver_user_id,
    )
    await repository.add(session, route)
    for sequence, stop in enumerate(stops, start=1):
        session.add(RouteStop(route_id=route.id, sequence=sequence, stop_id=stop.id))
    await session.flush()
    await publish(
        session,
        "delivery.route.published",
        {
            "route_id": str(route.id),
            "region_id": str(route.region_id),
            "name": route.name,
            "weekdays": route.weekdays,
            "departure_time": route.departure_time.strftime("%H:%M"),
            "stops": [
                {
                    "stop_id": str(stop.id),
                    "station_org_id": str(stop.station_org_id) if stop.station_org_id else None,
                    "sequence": sequence,
                    "kind": stop.kind,
                }
                for sequence, stop in enumerate(stops, start=1)
            ],
        },
        region_id=route.region_id,
    )
    return route, [stop.id for stop in stops]
