from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query

from services.livestream.db import kernel
from services.livestream.rooms import service
from services.livestream.rooms.schemas import (
    Booking,
    BookingCancel,
    BookingCreate,
    Room,
    RoomCreate,
    RoomUpdate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-rooms"])
BOOKINGS_QUERY = list_query(service.BOOKING_SORT_FIELDS, default="starts_at", default_limit=50)


@router.post("/rooms", response_model=Room, status_code=201, summary="Operator: add a studio room")
async def create_room(body: RoomCreate, session: SessionDep, principal: CurrentPrincipal):
    return await service.create_room(session, principal, body)


# an array, not a page: a base has a handful of studio rooms, bounded by its building
@router.get("/rooms", response_model=list[Room], summary="The base's rooms")
async def list_rooms(session: SessionDep, region_id: uuid.UUID):
    return await service.list_rooms(session, region_id)


@router.patch("/rooms/{room_id}", response_model=Room)
async def update_room(
    room_id: uuid.UUID, body: RoomUpdate, session: SessionDep, principal: CurrentPrincipal
):
    return await service.update_room(session, principal, room_id, body)


@router.post(
    "/bookings",
    response_model=Booking,
    status_code=201,
    summary="Book a room (409 livestream-slot-taken when the room or streamer is taken)",
)
async def book(body: BookingCreate, session: SessionDep, principal: CurrentPrincipal):
    return await service.book(session, principal, body)


@router.get("/bookings", response_model=Page[Booking], summary="Bookings I may see")
async def list_bookings(
    q: Annotated[ListQuery, Depends(BOOKINGS_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    start: datetime | None = Query(None, alias="from"),
    end: datetime | None = Query(None, alias="to"),
):
    """A streamer its own bookings, the region's operator the base's; `from`/`to`: those
    overlapping the window."""
    rows, next_cursor = await service.list_bookings(
        session, principal, region_id=region_id, start=start, end=end, query=q
    )
    return Page[Booking](items=[Booking.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/bookings/{booking_id}", response_model=Booking)
async def get_booking(booking_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_booking(session, principal, booking_id)


@router.post("/bookings/{booking_id}/cancel", response_model=Booking)
async def cancel_booking(
    booking_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: BookingCancel | None = None,
):
    return await service.cancel_booking(
        session, principal, booking_id, body.reason if body else None
    )


# an array, not a page: one local day of the base, bounded by its rooms' opening hours
@router.get("/calendar", response_model=list[Booking], summary="Operator: the base's day")
async def calendar(
    session: SessionDep, principal: CurrentPrincipal, region_id: uuid.UUID, day: date
):
    return await service.calendar(session, principal, region_id, day)
