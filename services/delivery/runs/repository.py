"""All SQL for parcels, runs and tracking history."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.runs.models import Parcel, ParcelEvent, Run, RunStop, RunTransition
from shared.pagination import Sort, paginate

# Keyset sorts (each with the id as tie-breaker). Date columns are left out: the kernel's
# cursor encodes datetimes, UUIDs and JSON scalars only; lists filter by date instead.
PARCEL_SORTS = {"created_at": Parcel.created_at, "tracking_number": Parcel.tracking_number}
RUN_SORTS = {"created_at": Run.created_at, "trip": Run.trip}


class RunRepository:
    """Runs, parcels, their stops and histories."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get_run(self, run_id: uuid.UUID, *, lock: bool = False) -> Run | None:
        """`lock`: the row stays locked until the request commits (one transition at a time)."""
        return await self.session.get(Run, run_id, with_for_update=lock or None)

    async def get_parcel(self, parcel_id: uuid.UUID) -> Parcel | None:
        return await self.session.get(Parcel, parcel_id)

    async def parcel_by_tracking(self, tracking_number: str) -> Parcel | None:
        return await self.session.scalar(
            select(Parcel).where(Parcel.tracking_number == tracking_number)
        )

    async def unplanned_parcels(self, route_id: uuid.UUID, delivery_date: date) -> list[Parcel]:
        result = await self.session.scalars(
            select(Parcel).where(
                Parcel.route_id == route_id,
                Parcel.delivery_date == delivery_date,
                Parcel.run_id.is_(None),
                Parcel.status == "registered",
            )
        )
        return list(result)

    async def last_trip(self, route_id: uuid.UUID, delivery_date: date) -> int:
        value = await self.session.scalar(
            select(func.max(Run.trip)).where(
                Run.route_id == route_id, Run.delivery_date == delivery_date
            )
        )
        return value or 0

    async def parcels_of_run(self, run_id: uuid.UUID) -> list[Parcel]:
        result = await self.session.scalars(
            select(Parcel).where(Parcel.run_id == run_id).order_by(Parcel.stop_sequence, Parcel.id)
        )
        return list(result)

    async def runs_page(
        self,
        *,
        region_ids: list[uuid.UUID],
        driver_user_id: uuid.UUID | None = None,
        delivery_date: date | None = None,
        status: str | None = None,
        kind: str | None = None,
        sort: Sort,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Run], str | None]:
        stmt = select(Run).where(Run.region_id.in_(region_ids))
        if driver_user_id is not None:
            stmt = stmt.where(Run.driver_user_id == driver_user_id)
        if delivery_date is not None:
            stmt = stmt.where(Run.delivery_date == delivery_date)
        if status is not None:
            stmt = stmt.where(Run.status == status)
        if kind is not None:
            stmt = stmt.where(Run.kind == kind)
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=RUN_SORTS,
            id_column=Run.id,
            cursor=cursor,
            limit=limit,
        )

    async def run_transitions(self, run_id: uuid.UUID) -> list[RunTransition]:
        result = await self.session.scalars(
            select(RunTransition)
            .where(RunTransition.run_id == run_id)
            .order_by(RunTransition.at, RunTransition.id)
        )
        return list(result)

    async def pickup_codes(self, station_org_id: uuid.UUID, day: date) -> set[str]:
        result = await self.session.scalars(
            select(Parcel.pickup_code).where(
                Parcel.station_org_id == station_org_id,
                Parcel.delivery_date == day,
                Parcel.pickup_code.is_not(None),
            )
        )
        return {code for code in result if code is not None}

    async def station_parcels(
        self,
        station_org_id: uuid.UUID,
        *,
        status: str | None,
        delivery_date: date | None,
        sort: Sort,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Parcel], str | None]:
        stmt = select(Parcel).where(Parcel.station_org_id == station_org_id)
        if status:
            stmt = stmt.where(Parcel.status == status)
        if delivery_date is not None:
            stmt = stmt.where(Parcel.delivery_date == delivery_date)
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=PARCEL_SORTS,
            id_column=Parcel.id,
            cursor=cursor,
            limit=limit,
        )

    async def history(self, parcel_id: uuid.UUID) -> list[ParcelEvent]:
        result = await self.session.scalars(
            select(ParcelEvent).where(ParcelEvent.parcel_id == parcel_id).order_by(ParcelEvent.at)
        )
        return list(result)

    async def run_stops(self, run_id: uuid.UUID) -> list[RunStop]:
        result = await self.session.scalars(
            select(RunStop).where(RunStop.run_id == run_id).order_by(RunStop.sequence)
        )
        return list(result)

    async def get_run_stop(self, run_id: uuid.UUID, sequence: int) -> RunStop | None:
        return await self.session.get(RunStop, (run_id, sequence))
