"""All SQL for the network: stops, vehicles, routes."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select, union
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.network.models import Route, RouteStop, Stop, Vehicle
from services.delivery.runs.models import Run
from shared.errors import BadRequest, FieldError
from shared.pagination import Sort, decode_cursor, encode_cursor, paginate

STOP_SORTS = {"name": Stop.name, "created_at": Stop.created_at}
VEHICLE_SORTS = {"plate": Vehicle.plate, "created_at": Vehicle.created_at}
ROUTE_SORTS = {"name": Route.name, "created_at": Route.created_at}
DRIVER_SORT = Sort("driver_user_id", False)


class NetworkRepository:
    """Stops, vehicles, routes and the drivers who drive them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get_stop(self, stop_id: uuid.UUID) -> Stop | None:
        return await self.session.get(Stop, stop_id)

    async def get_vehicle(self, vehicle_id: uuid.UUID) -> Vehicle | None:
        return await self.session.get(Vehicle, vehicle_id)

    async def get_route(self, route_id: uuid.UUID) -> Route | None:
        return await self.session.get(Route, route_id)

    async def stops_of_region(self, region_id: uuid.UUID) -> list[Stop]:
        result = await self.session.scalars(
            select(Stop).where(Stop.region_id == region_id).order_by(Stop.name, Stop.id)
        )
        return list(result)

    async def stops_page(
        self,
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
            self.session,
            stmt,
            sort=sort,
            sort_columns=STOP_SORTS,
            id_column=Stop.id,
            cursor=cursor,
            limit=limit,
        )

    async def route_stops(self, route_id: uuid.UUID) -> list[RouteStop]:
        result = await self.session.scalars(
            select(RouteStop).where(RouteStop.route_id == route_id).order_by(RouteStop.sequence)
        )
        return list(result)

    async def station_stop(self, station_org_id: uuid.UUID) -> Stop | None:
        return await self.session.scalar(select(Stop).where(Stop.station_org_id == station_org_id))

    async def routes_through(self, stop_id: uuid.UUID) -> list[tuple[Route, int]]:
        result = await self.session.execute(
            select(Route, RouteStop.sequence)
            .join(RouteStop, RouteStop.route_id == Route.id)
            .where(RouteStop.stop_id == stop_id)
            .order_by(Route.name)
        )
        return [(route, sequence) for route, sequence in result.all()]

    async def routes_of_region(self, region_id: uuid.UUID) -> list[Route]:
        result = await self.session.scalars(
            select(Route).where(Route.region_id == region_id).order_by(Route.name, Route.id)
        )
        return list(result)

    async def vehicle_by_plate(self, region_id: uuid.UUID, plate: str) -> Vehicle | None:
        return await self.session.scalar(
            select(Vehicle).where(Vehicle.region_id == region_id, Vehicle.plate == plate)
        )

    async def stop_by_name(self, region_id: uuid.UUID, name: str) -> Stop | None:
        return await self.session.scalar(
            select(Stop).where(Stop.region_id == region_id, Stop.name == name).limit(1)
        )

    async def vehicles_page(
        self,
        region_id: uuid.UUID,
        *,
        cold_chain: bool | None,
        sort: Sort,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Vehicle], str | None]:
        stmt = select(Vehicle).where(Vehicle.region_id == region_id)
        if cold_chain is not None:
            stmt = stmt.where(Vehicle.cold_chain.is_(cold_chain))
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=VEHICLE_SORTS,
            id_column=Vehicle.id,
            cursor=cursor,
            limit=limit,
        )

    async def routes_page(
        self,
        region_id: uuid.UUID,
        *,
        weekday: int | None,
        driver_user_id: uuid.UUID | None,
        sort: Sort,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Route], str | None]:
        stmt = select(Route).where(Route.region_id == region_id)
        if driver_user_id is not None:
            stmt = stmt.where(Route.driver_user_id == driver_user_id)
        if weekday is not None:
            # weekdays is a JSON array of integers
            stmt = stmt.where(Route.weekdays.cast(JSONB).contains([weekday]))
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=ROUTE_SORTS,
            id_column=Route.id,
            cursor=cursor,
            limit=limit,
        )

    async def stops_of_routes(
        self, route_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[int, Stop]]]:
        """Each route's stops in driving order."""
        ids = list(route_ids)
        result: dict[uuid.UUID, list[tuple[int, Stop]]] = {route_id: [] for route_id in ids}
        if not ids:
            return result
        rows = await self.session.execute(
            select(RouteStop.route_id, RouteStop.sequence, Stop)
            .join(Stop, Stop.id == RouteStop.stop_id)
            .where(RouteStop.route_id.in_(ids))
            .order_by(RouteStop.route_id, RouteStop.sequence)
        )
        for route_id, sequence, stop in rows.all():
            result[route_id].append((sequence, stop))
        return result

    async def drivers_page(
        self, region_id: uuid.UUID, *, cursor: str | None, limit: int
    ) -> tuple[list[uuid.UUID], str | None]:
        """Everyone assigned to drive a route or a run of the region, by user id."""
        assigned = union(
            select(Route.driver_user_id.label("driver_user_id")).where(
                Route.region_id == region_id, Route.driver_user_id.is_not(None)
            ),
            select(Run.driver_user_id.label("driver_user_id")).where(
                Run.region_id == region_id, Run.driver_user_id.is_not(None)
            ),
        ).subquery()
        stmt = select(assigned.c.driver_user_id)
        if cursor:
            _, last = decode_cursor(cursor, DRIVER_SORT)
            if not isinstance(last, uuid.UUID):
                raise BadRequest(
                    "The cursor is invalid or belongs to another sort",
                    code="validation-error",
                    errors=[FieldError("cursor", "invalid cursor")],
                )
            stmt = stmt.where(assigned.c.driver_user_id > last)
        ids = list(
            await self.session.scalars(stmt.order_by(assigned.c.driver_user_id).limit(limit + 1))
        )
        next_cursor = None
        if len(ids) > limit:
            ids = ids[:limit]
            next_cursor = encode_cursor(DRIVER_SORT, None, ids[-1])
        return ids, next_cursor

    async def routes_driven_by(
        self, region_ids: Iterable[uuid.UUID], driver_user_id: uuid.UUID
    ) -> list[Route]:
        result = await self.session.scalars(
            select(Route)
            .where(Route.region_id.in_(list(region_ids)), Route.driver_user_id == driver_user_id)
            .order_by(Route.name, Route.id)
        )
        return list(result)

    async def runs_driven_by(
        self,
        region_ids: Iterable[uuid.UUID],
        driver_user_id: uuid.UUID,
        since: date,
        limit: int = 50,
    ) -> list[Run]:
        """The driver's runs from `since` on that are still to do or under way."""
        result = await self.session.scalars(
            select(Run)
            .where(
                Run.region_id.in_(list(region_ids)),
                Run.driver_user_id == driver_user_id,
                Run.delivery_date >= since,
                Run.status.in_(["planned", "in_transit"]),
            )
            .order_by(Run.delivery_date, Run.trip, Run.id)
            .limit(limit)
        )
        return list(result)

    async def drives_in(self, region_id: uuid.UUID, driver_user_id: uuid.UUID) -> bool:
        """Whether the user was ever assigned a run of the region (past runs included)."""
        found = await self.session.scalar(
            select(Run.id)
            .where(Run.region_id == region_id, Run.driver_user_id == driver_user_id)
            .limit(1)
        )
        return found is not None
