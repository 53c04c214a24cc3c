from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import File, Form, Query, Request, UploadFile

from services.delivery.db import kernel
from services.delivery.network import service
from services.delivery.network.repository import STOP_SORTS
from services.delivery.network.schemas import (
    ImportReport,
    RouteCreate,
    RouteView,
    StopCreate,
    StopKind,
    StopView,
    VehicleCreate,
    VehicleView,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.errors import PayloadTooLarge
from shared.pagination import parse_sort
from shared.schemas import Page
from shared.web import SessionDep, etag_response, service_router

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-network"])


@router.post("/stops", status_code=201, response_model=StopView, responses={403: {}, 422: {}})
async def create_stop(body: StopCreate, principal: CurrentPrincipal, session: SessionDep):
    """Add a warehouse, township hub or village station (linked to its station organisation)."""
    return StopView.model_validate(await service.create_stop(session, principal, body))


@router.get("/stops", response_model=Page[StopView], responses={304: {}, 403: {}, 422: {}})
async def list_stops(
    region_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
    kind: StopKind | None = None,
    sort: Annotated[
        str | None, Query(max_length=20, description="name or created_at, - for descending")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """The region's stops by name (ETag)."""
    stops, next_cursor = await service.list_stops(
        session,
        principal,
        region_id,
        kind=kind,
        sort=parse_sort(sort, STOP_SORTS, "name"),
        cursor=cursor,
        limit=limit,
    )
    page = Page[StopView](
        items=[StopView.model_validate(stop) for stop in stops], next_cursor=next_cursor
    )
    return etag_response(request, page.model_dump(mode="json"))


@router.post("/vehicles", status_code=201, response_model=VehicleView, responses={403: {}})
async def create_vehicle(body: VehicleCreate, principal: CurrentPrincipal, session: SessionDep):
    """Register a vehicle with its weight/volume capacity and cold-chain flag."""
    return VehicleView.model_validate(await service.create_vehicle(session, principal, body))


@router.post("/routes", status_code=201, response_model=RouteView, responses={403: {}, 404: {}})
async def create_route(body: RouteCreate, principal: CurrentPrincipal, session: SessionDep):
    """A fixed route: ordered stops, weekdays, local departure time; published to the repository."""
    route, stop_ids = await service.create_route(session, principal, body)
    return RouteView(
        id=route.id,
        region_id=route.region_id,
        name=route.name,
        weekdays=route.weekdays,
        departure_time=route.departure_time,
        vehicle_id=route.vehicle_id,
        driver_user_id=route.driver_user_id,
        stop_ids=stop_ids,
    )


@router.post("/network/import", response_model=ImportReport, responses={403: {}, 413: {}, 415: {}})
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
