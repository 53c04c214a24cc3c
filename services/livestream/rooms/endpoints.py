from __future__ import annotations

import uuid
from datetime import date, datetime

from fastapi import Query

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
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-rooms"])


@router.post("/rooms", response_model=Room, status_code=201, summary="Operator: add a studio room")
async def create_room(body: RoomCreate, session: SessionDep, principal: CurrentPrincipal):
    return await service.create_room(session, principal, body)


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


@router.get("/bookings", response_model=list[Booking], summary="Bookings I may see")
async def list_bookings(
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    start: datetime | None = Query(None, alias="from"),
    end: datetime | None = Query(None, alias="to"),
):
    return await service.list_bookings(
        session, principal, region_id=region_id, start=start, end=end
    )


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


@router.get("/calendar", response_model=list[Booking], summary="Operator: the base's day")
async def calendar(
    session: SessionDep, principal: CurrentPrincipal, region_id: uuid.UUID, day: date
):
    return await service.calendar(session, principal, region_id, day)
