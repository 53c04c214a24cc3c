"""Rooms of the base and their bookings. Overlaps are refused by the database's exclusion
constraints (not a read-then-write check), so concurrent requests cannot double-book."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.access import ensure_operator
from services.livestream.directory.service import timezone_of
from services.livestream.problems import OUTSIDE_OPENING_HOURS, SLOT_TAKEN
from services.livestream.rooms.models import Booking, Room
from services.livestream.rooms.repository import BOOKING_SORTS, BookingRepository, RoomRepository
from services.livestream.rooms.rules import MAX_BOOKING, within_opening_hours
from services.livestream.rooms.schemas import BookingCreate, RoomCreate, RoomUpdate
from services.livestream.streamers.repository import StreamerRepository
from shared.auth import acting_membership, ensure_readable, ensure_writable
from shared.auth.principal import Principal
from shared.db import sqlstate_of, utcnow
from shared.errors import Conflict, FieldError, NotFound, RuleViolation
from shared.pagination import ListQuery

EXCLUSION_VIOLATION = "23P01"
BOOKING_SORT_FIELDS = tuple(BOOKING_SORTS)


async def create_room(session: AsyncSession, principal: Principal, body: RoomCreate) -> Room:
    ensure_operator(principal, body.region_id)
    room = Room(**body.model_dump())
    await RoomRepository(session).add(room)
    return room


async def update_room(
    session: AsyncSession, principal: Principal, room_id: uuid.UUID, body: RoomUpdate
) -> Room:
    room = await get_room(session, room_id)
    # anyone may list the base's rooms, but to change one they are the region operator's:
    # to another county's caller it does not exist (404); a reader operator gets the 403
    if not (principal.platform_admin or principal.is_operator_of(room.region_id)):
        raise NotFound("No such room")
    ensure_operator(principal, room.region_id)
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(room, key, value)
    return room


async def get_room(session: AsyncSession, room_id: uuid.UUID) -> Room:
    room = await RoomRepository(session).get(room_id)
    if room is None:
        raise NotFound("No such room")
    return room


async def list_rooms(session: AsyncSession, region_id: uuid.UUID) -> list[Room]:
    return await RoomRepository(session).of_region(region_id)


async def book(session: AsyncSession, principal: Principal, body: BookingCreate) -> Booking:
    room = await get_room(session, body.room_id)
    if body.streamer_id is not None:
        ensure_operator(principal, room.region_id)
        streamer_id = body.streamer_id
    else:
        streamer_id = acting_membership(principal, kinds=["streamer"]).org_id
    streamer = await StreamerRepository(session).get(streamer_id)
    if streamer is None or streamer.region_id != room.region_id:
        raise NotFound("No such streamer (a streamer sets up a profile before booking)")
    if not room.active:
        raise RuleViolation("The room is closed for bookings")
    if body.ends_at <= body.starts_at or body.ends_at - body.starts_at > MAX_BOOKING:
        raise RuleViolation(
            "A booking ends after it starts and lasts at most 12 hours",
            errors=[FieldError("ends_at", "after starts_at, at most 12 h later")],
        )
    if body.ends_at <= utcnow():
        raise RuleViolation("The booking is over already", errors=[FieldError("ends_at", "future")])
    timezone = await timezone_of(session, room.region_id)
    if not within_opening_hours(
        body.starts_at, body.ends_at, room.opens_at, room.closes_at, timezone
    ):
        raise RuleViolation(
            f"The room opens {room.opens_at}–{room.closes_at} ({timezone})",
            code=OUTSIDE_OPENING_HOURS,
        )
    booking = Booking(
        region_id=room.region_id,
        room_id=room.id,
        room_seq=room.seq,
        streamer_id=streamer.id,
        streamer_seq=streamer.seq,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        booked_by=principal.user_id,
    )
    try:
        async with session.begin_nested():
            await BookingRepository(session).add(booking)
    except IntegrityError as exc:
        if sqlstate_of(exc) != EXCLUSION_VIOLATION:
            raise
        which = "streamer" if "streamer_no_overlap" in str(exc.orig) else "room"
        raise Conflict(
            f"The {which} is already booked for part of this time",
            code=SLOT_TAKEN,
            extra={"taken": which},
        ) from None
    await lifecycle.created(
        session, lifecycle.BOOKING, booking.id, "booked", "book", actor_id=principal.user_id
    )
    return booking


async def get_booking(
    session: AsyncSession, principal: Principal, booking_id: uuid.UUID, *, lock: bool = False
) -> Booking:
    booking = await BookingRepository(session).get(booking_id, lock=lock)
    if booking is None:
        raise NotFound("No such booking")
    ensure_readable(
        principal, org_id=booking.streamer_id, region_id=booking.region_id, what="booking"
    )
    return booking


async def cancel_booking(
    session: AsyncSession, principal: Principal, booking_id: uuid.UUID, reason: str | None
) -> Booking:
    booking = await get_booking(session, principal, booking_id, lock=True)
    ensure_writable(
        principal, org_id=booking.streamer_id, region_id=booking.region_id, what="booking"
    )
    await lifecycle.apply(
        session, lifecycle.BOOKING, booking, "cancel", actor_id=principal.user_id, reason=reason
    )
    return booking


async def list_bookings(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    start: datetime | None,
    end: datetime | None,
    query: ListQuery,
) -> tuple[list[Booking], str | None]:
    repo = BookingRepository(session)
    stmt = repo.within(repo.readable(principal), region_id=region_id, start=start, end=end)
    return await repo.page(stmt, query)


async def calendar(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, day: date
) -> list[Booking]:
    """The base's day (local): every booked slot of every room (operator)."""
    ensure_operator(principal, region_id, write=False)
    zone = ZoneInfo(await timezone_of(session, region_id))
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = start + timedelta(days=1)
    repo = BookingRepository(session)
    return await repo.fetch(
        repo.within(
            repo.readable(principal), region_id=region_id, start=start, end=end, status="booked"
        )
    )
