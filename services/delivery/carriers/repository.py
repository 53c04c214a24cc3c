"""All SQL for carriers' parcels and the address review queue."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.carriers.models import AddressReview
from services.delivery.network.models import Stop
from services.delivery.runs.models import Parcel
from shared.pagination import Sort, paginate

REVIEW_SORTS = {
    "created_at": AddressReview.created_at,
    "tracking_number": AddressReview.tracking_number,
}


class CarrierRepository:
    """Carriers' parcels and the address review queue."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def station_stops(self, region_id: uuid.UUID) -> list[Stop]:
        result = await self.session.scalars(
            select(Stop).where(Stop.region_id == region_id, Stop.station_org_id.is_not(None))
        )
        return list(result)

    async def known_tracking_numbers(self, numbers: list[str]) -> set[str]:
        parcels = await self.session.scalars(
            select(Parcel.tracking_number).where(Parcel.tracking_number.in_(numbers))
        )
        reviews = await self.session.scalars(
            select(AddressReview.tracking_number).where(AddressReview.tracking_number.in_(numbers))
        )
        return set(parcels) | set(reviews)

    async def reviews_page(
        self,
        region_id: uuid.UUID,
        *,
        status: str,
        sort: Sort,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[AddressReview], str | None]:
        stmt = select(AddressReview).where(
            AddressReview.region_id == region_id, AddressReview.status == status
        )
        return await paginate(
            self.session,
            stmt,
            sort=sort,
            sort_columns=REVIEW_SORTS,
            id_column=AddressReview.id,
            cursor=cursor,
            limit=limit,
        )

    async def get_review(self, review_id: uuid.UUID, *, lock: bool = False) -> AddressReview | None:
        return await self.session.get(AddressReview, review_id, with_for_update=lock or None)

    async def get_stop(self, stop_id: uuid.UUID) -> Stop | None:
        return await self.session.get(Stop, stop_id, with_for_update=True)
