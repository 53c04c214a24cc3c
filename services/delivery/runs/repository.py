"""All SQL for parcels, runs and tracking history."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.runs.models import Parcel, ParcelEvent, Run, RunStop


async def add(session: AsyncSession, obj: object) -> None:
    session.add(obj)
    await session.flush()


async def get_run(session: AsyncSession, run_id: uuid.UUID) -> Run | None:
    return await session.get(Run, run_id)


async def get_parcel(session: AsyncSession, parcel_id: uuid.UUID) -> Parcel | None:
    return await session.get(Parcel, parcel_id)


async def parcel_by_tracking(session: AsyncSession, tracking_number: str) -> Parcel | None:
    return await session.scalar(select(Parcel).where(Parcel.tracking_number == tracking_number))


async def unplanned_parcels(
    session: AsyncSession, route_id: uuid.UUID, delivery_date: date
) -> list[Parcel]:
    result = await session.scalars(
        select(Parcel).where(
            Parcel.route_id == route_id,
            Parcel.delivery_date == delivery_date,
            Parcel.run_id.is_(None),
            Parcel.status == "registered",
        )
    )
    return list(result)


async def last_trip(session: AsyncSession, route_id: uuid.UUID, delivery_date: date) -> int:
    value = await session.scalar(
        select(func.max(Run.trip)).where(
            Run.route_id == route_id, Run.delivery_date == delivery_date
        )
    )
    return value or 0


async def parcels_of_run(session: AsyncSession, run_id: uuid.UUID) -> list[Parcel]:
    result = await session.scalars(
        select(Parcel).where(Parcel.run_id == run_id).order_by(Parcel.stop_sequence, Parcel.id)
    )
    return list(result)


async def runs_of_driver(session: AsyncSession, user_id: uuid.UUID) -> list[Run]:
    result = await session.scalars(
        select(Run)
        .where(Run.driver_user_id == user_id)
        .order_by(Run.delivery_date.desc(), Run.id)
        .limit(100)
    )
    return list(result)


async def runs_of_day(session: AsyncSession, region_id: uuid.UUID, day: date) -> list[Run]:
    result = await session.scalars(
        select(Run)
        .where(Run.region_id == region_id, Run.delivery_date == day)
        .order_by(Run.route_id, Run.trip)
    )
    return list(result)


async def pickup_codes(session: AsyncSession, station_org_id: uuid.UUID, day: date) -> set[str]:
    result = await session.scalars(
        select(Parcel.pickup_code).where(
            Parcel.station_org_id == station_org_id,
            Parcel.delivery_date == day,
            Parcel.pickup_code.is_not(None),
        )
    )
    return set(result)


async def station_parcels(
    session: AsyncSession, station_org_id: uuid.UUID, status: str | None
) -> list[Parcel]:
    stmt = select(Parcel).where(Parcel.station_org_id == station_org_id)
    if status:
        stmt = stmt.where(Parcel.status == status)
    result = await session.scalars(stmt.order_by(Parcel.delivery_date.desc(), Parcel.id).limit(500))
    return list(result)


async def history(session: AsyncSession, parcel_id: uuid.UUID) -> list[ParcelEvent]:
    result = await session.scalars(
        select(ParcelEvent).where(ParcelEvent.parcel_id == parcel_id).order_by(ParcelEvent.at)
    )
    return list(result)


async def run_stops(session: AsyncSession, run_id: uuid.UUID) -> list[RunStop]:
    result = await session.scalars(
        select(RunStop).where(RunStop.run_id == run_id).order_by(RunStop.sequence)
    )
    return list(result)


async def get_run_stop(session: AsyncSession, run_id: uuid.UUID, sequence: int) -> RunStop | None:
    return await session.get(RunStop, (run_id, sequence))
