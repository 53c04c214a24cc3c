"""All SQL for the figures: parcels and completed runs of a region in a date range."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.figures.rules import ParcelFact, RunFact
from services.delivery.network.models import Route, Vehicle
from services.delivery.runs.models import Parcel, ParcelEvent, Run

# The moment a parcel left the van at its village: the station took it, or the driver
# handed it over in person (a later hand-over to the villager is the station's business).
OFF_THE_VAN = ("receive", "deliver")
# Rows are ordered by day, then route name; only the day's direction can be chosen.
FIGURE_SORTS = {"delivery_date": Parcel.delivery_date}


class FigureRepository:
    """The facts the delivery figures are counted from."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def parcel_facts(self, region_id: uuid.UUID, first: date, last: date) -> list[ParcelFact]:
        reached_at = (
            select(func.min(ParcelEvent.at))
            .where(ParcelEvent.parcel_id == Parcel.id, ParcelEvent.action.in_(OFF_THE_VAN))
            .correlate(Parcel)
            .scalar_subquery()
        )
        result = await self.session.execute(
            select(
                Parcel.route_id,
                Route.name,
                Parcel.delivery_date,
                reached_at,
                Run.started_at,
                Parcel.carrier,
                Parcel.status == "delivered",
                func.coalesce(Run.status == "completed", False),
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

    async def completed_run_facts(
        self, region_id: uuid.UUID, first: date, last: date
    ) -> list[RunFact]:
        """Runs that went out and came back: a planned, moving or cancelled run costs nothing yet."""
        result = await self.session.execute(
            select(Run.route_id, Run.delivery_date, func.coalesce(Vehicle.cost_per_run_fen, 0))
            .outerjoin(Vehicle, Vehicle.id == Run.vehicle_id)
            .where(
                Run.region_id == region_id,
                Run.route_id.is_not(None),
                Run.status == "completed",
                Run.delivery_date >= first,
                Run.delivery_date <= last,
            )
        )
        return [
            RunFact(route_id, day, cost)
            for route_id, day, cost in result.all()
            if route_id is not None
        ]
