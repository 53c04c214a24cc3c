from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, File, Form, Query, Request, UploadFile

from services.delivery.db import kernel
from services.delivery.network import service
from services.delivery.network.schemas import (
    Driver,
    DriverRoute,
    DriverRun,
    NetworkImportReport,
    Route,
    RouteCreate,
    RouteDetail,
    RouteStop,
    Stop,
    StopCreate,
    StopKind,
    Vehicle,
    VehicleCreate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.errors import PayloadTooLarge
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, etag_response, service_router

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-network"])
STOP_SORTS_QUERY = list_query(service.STOP_SORT_FIELDS, default="name", default_limit=50)
VEHICLE_SORTS_QUERY = list_query(service.VEHICLE_SORT_FIELDS, default="plate", default_limit=50)
ROUTE_SORTS_QUERY = list_query(service.ROUTE_SORT_FIELDS, default="name", default_limit=50)
DRIVERS_QUERY = list_query(("driver_user_id",), default="driver_user_id", default_limit=50)


def route_view(item: service.RouteWithStops) -> Route:
    route = item.route
    return Route(
        id=route.id,
        region_id=route.region_id,
        name=route.name,
        weekdays=route.weekdays,
        departure_time=route.departure_time,
        vehicle_id=route.vehicle_id,
        driver_user_id=route.driver_user_id,
        stop_ids=[stop.id for _, stop in item.stops],
    )


def route_detail(item: service.RouteWithStops) -> RouteDetail:
    return RouteDetail(
        **route_view(item).model_dump(),
        timezone=item.timezone,
        stops=[
            RouteStop(
                sequence=sequence,
                stop_id=stop.id,
                name=stop.name,
                kind=stop.kind,
                township=stop.township,
                village=stop.village,
                station_org_id=stop.station_org_id,
            )
            for sequence, stop in item.stops
        ],
        vehicle=Vehicle.model_validate(item.vehicle),
    )


def driver_view(item: service.DriverAssignments) -> Driver:
    return Driver(
        driver_user_id=item.driver_user_id,
        region_id=item.region_id,
        routes=[DriverRoute.model_validate(r) for r in item.routes],
        upcoming_runs=[DriverRun.model_validate(r) for r in item.upcoming_runs],
    )


@router.post("/stops", status_code=201, response_model=Stop, responses={403: {}, 422: {}})
async def create_stop(body: StopCreate, principal: CurrentPrincipal, session: SessionDep):
    """Add a warehouse, township hub or village station (linked to its station organisation)."""
    return Stop.model_validate(await service.create_stop(session, principal, body))


@router.get("/stops", response_model=Page[Stop], responses={304: {}, 403: {}, 422: {}})
async def list_stops(
    q: Annotated[ListQuery, Depends(STOP_SORTS_QUERY)],
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    kind: StopKind | None = None,
):
    """The region's stops by name (ETag)."""
    stops, next_cursor = await service.list_stops(
        session,
        principal,
        region_id,
        kind=kind,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    page = Page[Stop](items=[Stop.model_validate(stop) for stop in stops], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


@router.get("/stops/{stop_id}", response_model=Stop, responses={304: {}, 404: {}})
async def get_stop(
    stop_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
):
    """One stop of the network (the region's operator and drivers; ETag)."""
    stop = Stop.model_validate(await service.get_stop(session, principal, stop_id))
    return etag_response(request, stop.model_dump(mode="json"))


@router.get("/vehicles", response_model=Page[Vehicle], responses={304: {}, 403: {}, 422: {}})
async def list_vehicles(
    q: Annotated[ListQuery, Depends(VEHICLE_SORTS_QUERY)],
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    cold_chain: bool | None = None,
):
    """The region's vehicles by plate (`cold_chain=true`: the refrigerated ones; ETag)."""
    vehicles, next_cursor = await service.list_vehicles(
        session,
        principal,
        region_id,
        cold_chain=cold_chain,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    page = Page[Vehicle](
        items=[Vehicle.model_validate(v) for v in vehicles], next_cursor=next_cursor
    )
    return etag_response(request, page.model_dump(mode="json"))


@router.get("/vehicles/{vehicle_id}", response_model=Vehicle, responses={304: {}, 404: {}})
async def get_vehicle(
    vehicle_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
):
    """One vehicle with its capacity, cold chain and cost per run (ETag)."""
    vehicle = Vehicle.model_validate(await service.get_vehicle(session, principal, vehicle_id))
    return etag_response(request, vehicle.model_dump(mode="json"))


@router.get("/routes", response_model=Page[Route], responses={304: {}, 403: {}, 422: {}})
async def list_routes(
    q: Annotated[ListQuery, Depends(ROUTE_SORTS_QUERY)],
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    weekday: Annotated[int | None, Query(ge=1, le=7, description="1 (Monday) to 7")] = None,
    driver_user_id: uuid.UUID | None = None,
):
    """The region's fixed routes by name, with their stops in order and schedule (ETag)."""
    routes, next_cursor = await service.list_routes(
        session,
        principal,
        region_id,
        weekday=weekday,
        driver_user_id=driver_user_id,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    page = Page[Route](items=[route_view(r) for r in routes], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


@router.get("/routes/{route_id}", response_model=RouteDetail, responses={304: {}, 404: {}})
async def get_route(
    route_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
):
    """A route: its stops in driving order, weekdays, local departure time, vehicle (ETag)."""
    detail = route_detail(await service.get_route(session, principal, route_id))
    return etag_response(request, detail.model_dump(mode="json"))


@router.get("/drivers", response_model=Page[Driver], responses={304: {}, 403: {}, 422: {}})
async def list_drivers(
    q: Annotated[ListQuery, Depends(DRIVERS_QUERY)],
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Everyone assigned to a route or run of the region, with their routes and the runs
    still to drive from today (the region's local date); ordered by user id (ETag)."""
    drivers, next_cursor = await service.list_drivers(
        session, principal, region_id, cursor=q.cursor, limit=q.limit
    )
    page = Page[Driver](items=[driver_view(d) for d in drivers], next_cursor=next_cursor)
    return etag_response(request, page.model_dump(mode="json"))


@router.get("/drivers/{driver_user_id}", response_model=Driver, responses={304: {}, 404: {}})
async def get_driver(
    driver_user_id: uuid.UUID,
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """One driver's assignments (the region's operator, or the driver themself; ETag)."""
    driver = driver_view(await service.get_driver(session, principal, region_id, driver_user_id))
    return etag_response(request, driver.model_dump(mode="json"))


@router.post("/vehicles", status_code=201, response_model=Vehicle, responses={403: {}})
async def create_vehicle(body: VehicleCreate, principal: CurrentPrincipal, session: SessionDep):
    """Register a vehicle with its weight/volume capacity and cold-chain flag."""
    return Vehicle.model_validate(await service.create_vehicle(session, principal, body))


@router.post("/routes", status_code=201, response_model=Route, responses={403: {}, 404: {}})
async def create_route(body: RouteCreate, principal: CurrentPrincipal, session: SessionDep):
    """A fixed route: ordered stops, weekdays, local departure time; published to the repository."""
    route, stop_ids = await service.create_route(session, principal, body)
    return Route(
        id=route.id,
        region_id=route.region_id,
        name=route.name,
        weekdays=route.weekdays,
        departure_time=route.departure_time,
        vehicle_id=route.vehicle_id,
        driver_user_id=route.driver_user_id,
        stop_ids=stop_ids,
    )


@router.post(
    "/network/import", response_model=NetworkImportReport, responses={403: {}, 413: {}, 415: {}}
)
async def import_network(
    region_id: Annotated[uuid.UUID, Form()],
    file: Annotated[UploadFile, File(description="XLSX with sheets stops, vehicles, routes")],
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Import a whole county's network from a workbook, with a report for every row."""
    data = await file.read(MAX_WORKBOOK_BYTES + 1)
    if len(data) > MAX_WORKBOOK_BYTES:
        raise PayloadTooLarge(f"The workbook may be at most {MAX_WORKBOOK_BYTES} bytes")
    return await service.import_network(session, principal, region_id, data)
