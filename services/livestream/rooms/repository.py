"""All SQL for rooms and bookings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream.rooms.models import Booking, Room
from shared.auth import readable_clause
from shared.auth.principal import Principal
from shared.pagination import ListQuery, paginate_list

# the bookings list's documented sort keys and their columns (the id breaks ties)
BOOKING_SORTS = {"starts_at": Booking.starts_at, "created_at": Booking.created_at}


class RoomRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, room_id: uuid.UUID) -> Room | None:
        return await self.session.get(Room, room_id)

    async def of_region(self, region_id: uuid.UUID) -> list[Room]:
        return list(
            await self.session.scalars(
                select(Room).where(Room.region_id == region_id).order_by(Room.seq)
            )
        )


class BookingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable(self, principal: Principal) -> Select[Any]:
        return select(Booking).where(
            readable_clause(
                principal,
                Booking.__table__.c.streamer_id,
                region_column=Booking.__table__.c.region_id,
            )
        )

    async def add(self, obj: object) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def get(self, booking_id: uuid.UUID, *, lock: bool = False) -> Booking | None:
        return await self.session.get(Booking, booking_id, with_for_update=lock or None)

    def within(
        self,
        stmt: Select[Any],
        *,
        region_id: uuid.UUID | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        status: str | None = None,
    ) -> Select[Any]:
        """Bookings overlapping [start, end) of the region, in a status."""
        if region_id is not None:
            stmt = stmt.where(Booking.region_id == region_id)
        if start is not None:
            stmt = stmt.where(Booking.ends_at > start)
        if end is not None:
            stmt = stmt.where(Booking.starts_at < end)
        if status is not None:
            stmt = stmt.where(Booking.status == status)
        return stmt

    async def fetch(self, stmt: Select[Any]) -> list[Booking]:
        """All of them (for one local day of the base: its rooms' slots)."""
        return list(await self.session.scalars(stmt.order_by(Booking.starts_at, Booking.id)))

    async def page(self, stmt: Select[Any], query: ListQuery) -> tuple[list[Booking], str | None]:
        return await paginate_list(
            self.session, stmt, query, sort_columns=BOOKING_SORTS, id_column=Booking.id
        )
