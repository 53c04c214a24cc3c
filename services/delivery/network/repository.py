"""All SQL for the network: stops, vehicles, routes."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.network.models import Route, RouteStop, Stop, Vehicle
from shared.pagination import Sort, paginate

STOP_SORTS = {"name": Stop.name, "created_at": Stop.created_at}


async def add(session: AsyncSession, obj: object) -> None:
    session.add(obj)
    await session.flush()


async def get_stop(session: AsyncSession, stop_id: uuid.UUID) -> Stop | None:
    return await session.get(Stop, stop_id)


async def get_vehicle(session: AsyncSession, vehicle_id: uuid.UUID) -> Vehicle | None:
    return await session.get(Vehicle, vehicle_id)


async def get_route(session: AsyncSession, route_id: uuid.UUID) -> Route | None:
    return await session.get(Route, route_id)


async def stops_of_region(session: AsyncSession, region_id: uuid.UUID) -> list[Stop]:
    result = await session.scalars(
        select(Stop).where(Stop.region_id == region_id).order_by(Stop.name, Stop.id)
    )
    return list(result)


async def stops_page(
    session: AsyncSession,
    region_id: uuid.UUID,
    *,
    kind: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Stop], str | None]:
    stmt = select(Stop).where(Stop.region_id == region_id)
    if kind is not None:
        stmt = stmt.where(Stop.kind == kind)
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=STOP_SORTS,
        id_column=Stop.id,
        cursor=cursor,
        limit=limit,
    )


async def route_stops(session: AsyncSession, route_id: uuid.UUID) -> list[RouteStop]:
    result = await session.scalars(
        select(RouteStop).where(RouteStop.route_id == route_id).order_by(RouteStop.sequence)
    )
    return list(result)


async def station_stop(session: AsyncSession, station_org_id: uuid.UUID) -> Stop | None:
    return await session.scalar(select(Stop).where(Stop.station_org_id == station_org_id))


async def routes_through(session: AsyncSession, stop_id: uuid.UUID) -> list[tuple[Route, int]]:
    result = await session.execute(
        select(Route, RouteStop.sequence)
        .join(RouteStop, RouteStop.route_id == Route.id)
        .where(RouteStop.stop_id == stop_id)
        .order_by(Route.name)
    )
    return [(route, sequence) for route, sequence in result.all()]


async def routes_of_region(session: AsyncSession, region_id: uuid.UUID) -> list[Route]:
    result = await session.scalars(
        select(Route).where(Route.region_id == region_id).order_by(Route.name, Route.id)
    )
    return list(result)


async def vehicle_by_plate(
    session: AsyncSession, region_id: uuid.UUID, plate: str
) -> Vehicle | None:
    return await session.scalar(
        select(Vehicle).where(Vehicle.region_id == region_id, Vehicle.plate == plate)
    )


async def stop_by_name(session: AsyncSession, region_id: uuid.UUID, name: str) -> Stop | None:
    return await session.scalar(
        select(Stop).where(Stop.region_id == region_id, Stop.name == name).limit(1)
    )
