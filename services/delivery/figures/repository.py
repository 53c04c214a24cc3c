"""All SQL for the figures: parcels and runs of a region in a date range."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.figures.rules import ParcelFact, RunFact
from services.delivery.network.models import Route, Vehicle
from services.delivery.runs.models import Parcel, Run


async def parcel_facts(
    session: AsyncSession, region_id: uuid.UUID, first: date, last: date
) -> list[ParcelFact]:
    result = await session.execute(
        select(
            Parcel.route_id,
            Route.name,
            Parcel.delivery_date,
            Parcel.delivered_at,
            Run.started_at,
            Parcel.carrier,
        )
        .join(Route, Route.id == Parcel.route_id)
        .outerjoin(Run, Run.id == Parcel.run_id)
        .where(
            Parcel.region_id == region_id,
            Parcel.delivery_date >= first,
            Parcel.delivery_date <= last,
        )
    )
    return [ParcelFact(*row) for row in result.all()]


async def run_facts(
    session: AsyncSession, region_id: uuid.UUID, first: date, last: date
) -> list[RunFact]:
    result = await session.execute(
        select(Run.route_id, Run.delivery_date, func.coalesce(Vehicle.cost_per_run_fen, 0))
        .outerjoin(Vehicle, Vehicle.id == Run.vehicle_id)
        .where(Run.region_id == region_id, Run.delivery_date >= first, Run.delivery_date <= last)
    )
    return [RunFact(*row) for row in result.all()]
