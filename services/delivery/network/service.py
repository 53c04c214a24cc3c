"""Network rules: only the region's operator edits it; routes are published to the repository."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.network import workbook
from services.delivery.network.models import Route, RouteStop, Stop, Vehicle
from services.delivery.network.repository import (
    ROUTE_SORTS,
    STOP_SORTS,
    VEHICLE_SORTS,
    NetworkRepository,
)
from services.delivery.network.schemas import (
    NetworkImportReport,
    NetworkImportRow,
    RouteCreate,
    StopCreate,
    VehicleCreate,
)
from services.delivery.regions.service import timezone_of, today_in
from services.delivery.runs.models import Run
from shared.auth import access
from shared.auth.principal import Principal
from shared.auth.roles import DRIVER_ROLES
from shared.auth.scope import OPERATOR_READ_ROLES, ensure_operator_of
from shared.errors import AppError, FieldError, NotFound, RuleViolation
from shared.events import publish
from shared.pagination import Sort

EDIT_ROLES = ("owner", "admin", "dispatcher")
# Who reads the network: the region's operator members, and its drivers (they drive it).
READ_ROLES = (*OPERATOR_READ_ROLES, "driver")
# the documented sort keys of the lists (the repository keeps the columns)
STOP_SORT_FIELDS = tuple(STOP_SORTS)
VEHICLE_SORT_FIELDS = tuple(VEHICLE_SORTS)
ROUTE_SORT_FIELDS = tuple(ROUTE_SORTS)


def may_read(principal: Principal, region_id: uuid.UUID) -> bool:
    """The network is the region's: its operator members (read roles) and its drivers."""
    return access.may_read(principal, org_id=None, region_id=region_id, operator_roles=READ_ROLES)


@dataclass
class RouteWithStops:
    route: Route
    stops: list[tuple[int, Stop]]
    vehicle: Vehicle | None = None
    timezone: str = ""


@dataclass
class DriverAssignments:
    driver_user_id: uuid.UUID
    region_id: uuid.UUID
    routes: list[Route]
    upcoming_runs: list[Run]


async def create_stop(session: AsyncSession, principal: Principal, body: StopCreate) -> Stop:
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    if body.kind == "station" and body.station_org_id is None:
        raise RuleViolation(
            "A village station stop names its station organisation",
            errors=[FieldError("station_org_id", "required for a station stop")],
        )
    stop = Stop(**body.model_dump())
    await NetworkRepository(session).add(stop)
    return stop


async def list_stops(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    *,
    kind: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Stop], str | None]:
    """The region's network, for its operator only."""
    ensure_operator_of(principal, region_id)
    return await NetworkRepository(session).stops_page(
        region_id, kind=kind, sort=sort, cursor=cursor, limit=limit
    )


async def get_stop(session: AsyncSession, principal: Principal, stop_id: uuid.UUID) -> Stop:
    stop = await NetworkRepository(session).get_stop(stop_id)
    if stop is None or not may_read(principal, stop.region_id):
        raise NotFound("No such stop")
    return stop


async def list_vehicles(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    *,
    cold_chain: bool | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Vehicle], str | None]:
    ensure_operator_of(principal, region_id, READ_ROLES)
    return await NetworkRepository(session).vehicles_page(
        region_id, cold_chain=cold_chain, sort=sort, cursor=cursor, limit=limit
    )


async def get_vehicle(
    session: AsyncSession, principal: Principal, vehicle_id: uuid.UUID
) -> Vehicle:
    vehicle = await NetworkRepository(session).get_vehicle(vehicle_id)
    if vehicle is None or not may_read(principal, vehicle.region_id):
        raise NotFound("No such vehicle")
    return vehicle


async def list_routes(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    *,
    weekday: int | None,
    driver_user_id: uuid.UUID | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[RouteWithStops], str | None]:
    """The region's fixed routes, each with its stops in driving order."""
    ensure_operator_of(principal, region_id, READ_ROLES)
    routes, next_cursor = await NetworkRepository(session).routes_page(
        region_id,
        weekday=weekday,
        driver_user_id=driver_user_id,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    stops = await NetworkRepository(session).stops_of_routes(r.id for r in routes)
    return [RouteWithStops(route, stops[route.id]) for route in routes], next_cursor


async def get_route(
    session: AsyncSession, principal: Principal, route_id: uuid.UUID
) -> RouteWithStops:
    """A route with its stops, its schedule (weekdays, local departure time) and vehicle."""
    route = await NetworkRepository(session).get_route(route_id)
    if route is None or not may_read(principal, route.region_id):
        raise NotFound("No such route")
    stops = await NetworkRepository(session).stops_of_routes([route.id])
    return RouteWithStops(
        route,
        stops[route.id],
        await NetworkRepository(session).get_vehicle(route.vehicle_id),
        await timezone_of(session, route.region_id),
    )


async def list_drivers(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[DriverAssignments], str | None]:
    """Everyone driving a route or a run of the region, with their routes and coming runs."""
    ensure_operator_of(principal, region_id, OPERATOR_READ_ROLES)
    ids, next_cursor = await NetworkRepository(session).drivers_page(
        region_id, cursor=cursor, limit=limit
    )
    today = await today_in(session, region_id)
    drivers = [
        DriverAssignments(
            user_id,
            region_id,
            await NetworkRepository(session).routes_driven_by([region_id], user_id),
            await NetworkRepository(session).runs_driven_by([region_id], user_id, today),
        )
        for user_id in ids
    ]
    return drivers, next_cursor


async def get_driver(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, driver_user_id: uuid.UUID
) -> DriverAssignments:
    """One driver's assignments: the region's operator, or the driver themself."""
    own = driver_user_id == principal.user_id and principal.is_operator_of(region_id, DRIVER_ROLES)
    if not (own or access.may_read(principal, org_id=None, region_id=region_id)):
        raise NotFound("No such driver")
    routes = await NetworkRepository(session).routes_driven_by([region_id], driver_user_id)
    runs = await NetworkRepository(session).runs_driven_by(
        [region_id], driver_user_id, await today_in(session, region_id)
    )
    if (
        not routes
        and not runs
        and not await NetworkRepository(session).drives_in(region_id, driver_user_id)
    ):
        raise NotFound("No such driver")
    return DriverAssignments(driver_user_id, region_id, routes, runs)


async def create_vehicle(
    session: AsyncSession, principal: Principal, body: VehicleCreate
) -> Vehicle:
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    vehicle = Vehicle(**body.model_dump())
    await NetworkRepository(session).add(vehicle)
    return vehicle


async def create_route(
    session: AsyncSession, principal: Principal, body: RouteCreate
) -> tuple[Route, list[uuid.UUID]]:
    ensure_operator_of(principal, body.region_id, EDIT_ROLES)
    if any(day not in range(1, 8) for day in body.weekdays):
        raise RuleViolation(
            "Weekdays are 1 (Monday) to 7", errors=[FieldError("weekdays", "1 to 7")]
        )
    vehicle = await NetworkRepository(session).get_vehicle(body.vehicle_id)
    if vehicle is None or vehicle.region_id != body.region_id:
        raise NotFound("No such vehicle")
    stops: list[Stop] = []
    for stop_id in body.stop_ids:
        stop = await NetworkRepository(session).get_stop(stop_id)
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
    await NetworkRepository(session).add(route)
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


async def import_network(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, data: bytes
) -> NetworkImportReport:
    """Import a county's stops, vehicles and routes from a workbook; report every row.

    Each row is applied in its own savepoint: a bad row is reported and changes nothing,
    the good rows are kept. Routes name their vehicle by plate and their stops by name.
    """
    ensure_operator_of(principal, region_id, EDIT_ROLES)
    sheets = workbook.read_sheets(data)
    rows: list[NetworkImportRow] = []

    def stop_body(values: dict) -> StopCreate:
        fields = {k: values.get(k) for k in workbook.STOP_COLUMNS if values.get(k) is not None}
        for key in ("contact_phone", "opening_hours"):
            if key in fields:
                fields[key] = str(fields[key])
        return StopCreate.model_validate({"region_id": region_id, **fields})

    async def route_body(values: dict) -> RouteCreate:
        vehicle = await NetworkRepository(session).vehicle_by_plate(
            region_id, str(values.get("vehicle_plate") or "")
        )
        if vehicle is None:
            raise ValueError(f"no vehicle with plate {values.get('vehicle_plate')!r}")
        stop_ids = []
        for name in workbook.split_names(values.get("stops")):
            stop = await NetworkRepository(session).stop_by_name(region_id, name)
            if stop is None:
                raise ValueError(f"no stop named {name!r}")
            stop_ids.append(stop.id)
        departure = values.get("departure_time")
        return RouteCreate.model_validate(
            {
                "region_id": region_id,
                "name": str(values.get("name") or ""),
                "weekdays": workbook.parse_weekdays(values.get("weekdays")),
                "departure_time": departure if isinstance(departure, time) else str(departure),
                "vehicle_id": vehicle.id,
                "stop_ids": stop_ids,
            }
        )

    async def apply(sheet: str, number: int, values: dict) -> None:
        try:
            async with session.begin_nested():
                if sheet == "stops":
                    created_id = (await create_stop(session, principal, stop_body(values))).id
                elif sheet == "vehicles":
                    body = VehicleCreate(
                        region_id=region_id,
                        plate=str(values.get("plate") or ""),
                        max_weight_g=round(float(values.get("max_weight_kg") or 0) * 1000),
                        max_volume_cm3=round(float(values.get("max_volume_l") or 0) * 1000),
                        cold_chain=str(values.get("cold_chain") or "").lower()
                        in ("1", "true", "yes", "是", "y"),
                        cost_per_run_fen=int(values.get("cost_per_run_fen") or 0),
                    )
                    created_id = (await create_vehicle(session, principal, body)).id
                else:
                    route, _ = await create_route(session, principal, await route_body(values))
                    created_id = route.id
            rows.append(NetworkImportRow(sheet=sheet, row=number, status="created", id=created_id))
        except ValidationError as exc:
            messages = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            rows.append(NetworkImportRow(sheet=sheet, row=number, status="error", errors=messages))
        except (AppError, ValueError, TypeError) as exc:
            rows.append(
                NetworkImportRow(sheet=sheet, row=number, status="error", errors=[str(exc)])
            )
        except IntegrityError:
            rows.append(
                NetworkImportRow(sheet=sheet, row=number, status="error", errors=["already exists"])
            )

    for sheet in workbook.SHEETS:
        for number, values in sheets[sheet]:
            await apply(sheet, number, values)
    created = sum(row.status == "created" for row in rows)
    return NetworkImportReport(created=created, failed=len(rows) - created, rows=rows)
