"""Rooms are never double-booked, nor streamers, even when requests race."""

from __future__ import annotations

import asyncio

from tests.factories import new_org
from tests.livestream.helpers import L, at, book, listed, room, streamer

SLOT_TAKEN = "https://county-market.dev/problems/livestream-slot-taken"


async def test_twenty_concurrent_bookings_of_one_slot_one_wins_the_rest_409(client, county):
    studio = await room(client, county)
    streamers = [await streamer(client, county) for _ in range(5)]
    start, end = at(2), at(4)
    responses = await asyncio.gather(
        *(book(client, streamers[i % 5], studio["id"], start, end) for i in range(20))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1, codes
    assert codes.count(409) == 19, codes
    for r in responses:
        if r.status_code == 409:
            assert r.json()["type"] == SLOT_TAKEN
    r = await client.get(
        f"{L}/calendar",
        params={"region_id": str(county.region_id), "day": start[:10]},
        headers=county.operator.headers,
    )
    assert r.status_code == 200
    assert len([b for b in r.json() if b["room_id"] == studio["id"]]) == 1


async def test_a_streamer_cannot_be_in_two_rooms_at_once(client, county):
    a, b = await room(client, county, "A"), await room(client, county, "B")
    li = await streamer(client, county)
    assert (await book(client, li, a["id"], at(2), at(4))).status_code == 201
    r = await book(client, li, b["id"], at(3), at(5))
    assert r.status_code == 409
    assert r.json()["taken"] == "streamer"
    # back to back is not an overlap: [2,4) and [4,6)
    assert (await book(client, li, b["id"], at(4), at(6))).status_code == 201


async def test_a_cancelled_booking_frees_the_slot(client, county):
    studio = await room(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    r = await book(client, li, studio["id"], at(2), at(3))
    assert r.status_code == 201
    booking = r.json()
    assert (await book(client, wang, studio["id"], at(2), at(3))).status_code == 409
    r = await client.post(
        f"{L}/bookings/{booking['id']}/cancel", json={"reason": "改期"}, headers=li.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert (await book(client, wang, studio["id"], at(2), at(3))).status_code == 201
    # cancelling twice is not allowed by the machine
    r = await client.post(f"{L}/bookings/{booking['id']}/cancel", headers=li.headers)
    assert r.status_code == 409


async def test_bookings_keep_to_opening_hours_in_local_time(client, county):
    studio = await room(client, county, opens_at="09:00", closes_at="10:00")
    li = await streamer(client, county)
    r = await book(client, li, studio["id"], at(8.5), at(10.5))
    # a two-hour booking never fits a one-hour window
    assert r.status_code == 422
    assert r.json()["type"].endswith("livestream-outside-opening-hours")


async def test_another_streamer_cannot_see_or_cancel_my_booking(client, county):
    studio = await room(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    booking = (await book(client, li, studio["id"], at(2), at(3))).json()
    assert (
        await client.get(f"{L}/bookings/{booking['id']}", headers=wang.headers)
    ).status_code == 404
    r = await client.post(f"{L}/bookings/{booking['id']}/cancel", headers=wang.headers)
    assert r.status_code == 404
    assert booking["id"] not in {b["id"] for b in await listed(client, "/bookings", wang.headers)}
    assert (
        await client.get(f"{L}/bookings/{booking['id']}", headers=li.headers)
    ).status_code == 200
    # only the operator adds rooms
    r = await client.post(
        f"{L}/rooms", json={"region_id": str(county.region_id), "name": "X"}, headers=li.headers
    )
    assert r.status_code == 403


async def test_a_pending_streamer_cannot_book(client, county):
    from tests.factories import DEFAULT_PASSWORD, _actor, sign_up

    studio = await room(client, county)
    org_id, login_name = await sign_up(client, county, "streamer")
    pending = await _actor(
        client, login_name, DEFAULT_PASSWORD, org_id, county.region_id, "streamer"
    )
    r = await book(client, pending, studio["id"], at(2), at(3))
    assert r.status_code == 403
    assert new_org  # the approved path is every other test's
