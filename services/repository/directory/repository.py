"""All SQL for the repository's read models of other services' records."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.repository.directory.models import (
    CatalogVariant,
    KnownSupplier,
    Region,
    RegionRules,
    RouteSchedule,
    RouteStopRef,
)
from shared.db import DriverSQL

routes: Table = RouteSchedule.__table__  # type: ignore[assignment]
route_stops: Table = RouteStopRef.__table__  # type: ignore[assignment]
regions: Table = Region.__table__  # type: ignore[assignment]


class ServingRoute(NamedTuple):
    route_id: uuid.UUID
    weekdays: list[int]
    stop_id: uuid.UUID
    station_org_id: uuid.UUID | None


def _route_serving(stop_column: str) -> str:
    return f"""
        SELECT r.route_id, r.weekdays, s.stop_id, s.station_org_id
        FROM {routes.fullname} r
        JOIN {route_stops.fullname} s ON s.route_id = r.route_id
        WHERE s.{stop_column} = $1
        ORDER BY r.updated_at DESC
        LIMIT 1
        """


# Placement asks which route serves the buyer and its region's rules: ready SQL on the
# session's driver connection (shared.db.DriverSQL), not a statement built per order.
ROUTE_AT_STOP = _route_serving("stop_id")
ROUTE_AT_STATION = _route_serving("station_org_id")
REGION_RULES = f"SELECT {', '.join(RegionRules._fields)} FROM {regions.fullname} WHERE id = $1"


class DirectoryRepository:
    """The read models of other services' records (regions, suppliers, variants, routes). Built from a session; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_region(self, region_id: uuid.UUID, *, lock: bool = False) -> Region | None:
        return await self.session.get(Region, region_id, with_for_update=lock or None)

    async def ensure_region(self, region_id: uuid.UUID, **known: object) -> Region:
        """Insert the region if it is new; fill in what identity's event tells about it."""
        await self.session.execute(
            insert(Region).values(id=region_id).on_conflict_do_nothing(index_elements=[Region.id])
        )
        values = {k: v for k, v in known.items() if v is not None}
        if values:
            await self.session.execute(
                update(Region).where(Region.id == region_id).values(**values)
            )
        region = await self.session.get(Region, region_id, populate_existing=True)
        assert region is not None
        return region

    async def ensure_supplier(
        self, org_id: uuid.UUID, region_id: uuid.UUID, *, lock: bool = False
    ) -> KnownSupplier:
        """The supplier's row, inserted if missing (a request and an event may race to start
        it: ON CONFLICT lets the second find the first one's row)."""
        await self.session.execute(
            insert(KnownSupplier)
            .values(
                org_id=org_id,
                region_id=region_id,
                name="",
                organisation_status="active",
                supplier_status="active",
            )
            .on_conflict_do_nothing(index_elements=[KnownSupplier.org_id])
        )
        supplier = await self.session.get(
            KnownSupplier, org_id, populate_existing=True, with_for_update=lock or None
        )
        assert supplier is not None
        return supplier

    async def get_supplier(self, org_id: uuid.UUID, *, lock: bool = False) -> KnownSupplier | None:
        return await self.session.get(KnownSupplier, org_id, with_for_update=lock or None)

    async def suppliers_by_id(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, KnownSupplier]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(KnownSupplier).where(KnownSupplier.org_id.in_(ids))
        )
        return {s.org_id: s for s in rows.scalars()}

    async def get_variant(self, variant_id: uuid.UUID) -> CatalogVariant | None:
        return await self.session.get(CatalogVariant, variant_id)

    async def variants_by_id(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, CatalogVariant]:
        if not ids:
            return {}
        rows = await self.session.execute(
            select(CatalogVariant).where(CatalogVariant.variant_id.in_(ids))
        )
        return {v.variant_id: v for v in rows.scalars()}

    async def variants_of_product(self, product_id: uuid.UUID) -> list[CatalogVariant]:
        rows = await self.session.execute(
            select(CatalogVariant).where(CatalogVariant.product_id == product_id).with_for_update()
        )
        return list(rows.scalars())

    def add(self, row: object) -> None:
        self.session.add(row)

    async def replace_route(self, route: RouteSchedule, stops: list[RouteStopRef]) -> None:
        await self.session.merge(route)
        await self.session.execute(
            delete(RouteStopRef).where(RouteStopRef.route_id == route.route_id)
        )
        self.session.add_all(stops)
        await self.session.flush()

    async def route_serving(
        self, *, stop_id: uuid.UUID | None, station_org_id: uuid.UUID | None
    ) -> ServingRoute | None:
        """The route that calls at the stop (or at the station organisation's stop):
        its route_id and weekdays, the stop_id and station_org_id (a row: every placement
        asks)."""
        if stop_id is not None:
            row = await DriverSQL(self.session).fetchrow(ROUTE_AT_STOP, stop_id)
        elif station_org_id is not None:
            row = await DriverSQL(self.session).fetchrow(ROUTE_AT_STATION, station_org_id)
        else:
            return None
        return ServingRoute(*row) if row is not None else None

    async def region_rules_of(self, region_id: uuid.UUID) -> RegionRules | None:
        row = await DriverSQL(self.session).fetchrow(REGION_RULES, region_id)
        return RegionRules(*row) if row is not None else None

    async def stop_in_region(self, stop_id: uuid.UUID, region_id: uuid.UUID) -> bool:
        """Does a published route of the region stop at `stop_id` (the delivery read model)?"""
        from sqlalchemy import exists, select

        from services.repository.directory.models import RouteSchedule, RouteStopRef

        return bool(
            await self.session.scalar(
                select(
                    exists().where(
                        RouteStopRef.stop_id == stop_id,
                        RouteStopRef.route_id == RouteSchedule.route_id,
                        RouteSchedule.region_id == region_id,
                    )
                )
            )
        )
