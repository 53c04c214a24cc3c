"""A live session: planned → live → ended (or cancelled), a lineup priced at or above the
floor that freezes when the session goes live; ten rooms live at once."""

from __future__ import annotations

import asyncio

from tests.livestream.helpers import L, at, book, pool_entry, room, streamer


async def planned_session(client, county, actor, studio, entry, start=2, end=4, price=2990):
    r = await book(client, actor, studio["id"], at(start), at(end))
    assert r.status_code == 201, r.text
    r = await client.post(
        f"{L}/sessions",
        json={"booking_id": r.json()["id"], "platform": "douyin", "title": "封丘树莓专场"},
        headers=actor.headers,
    )
    assert r.status_code == 201, r.text
    session = r.json()
    r = await client.put(
        f"{L}/sessions/{session['id']}/lineup",
        json={"items": [{"pool_entry_id": entry["id"], "live_price_fen": price, "stock_cap": 50}]},
        headers=actor.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_session_goes_live_and_ends_with_its_history(client, county):
    _, entry = await pool_entry(client, county)
    li = await streamer(client, county)
    session = await planned_session(client, county, li, await room(client, county), entry)
    assert session["status"] == "planned"
    assert session["allowed_actions"] == ["cancel", "start"]
    r = await client.post(f"{L}/sessions/{session['id']}/end", headers=li.headers)
    assert r.status_code == 409  # not live yet
    r = await client.post(f"{L}/sessions/{session['id']}/start", headers=li.headers)
    assert r.status_code == 200 and r.json()["status"] == "live"
    assert r.json()["started_at"] is not None
    r = await client.post(f"{L}/sessions/{session['id']}/end", headers=li.headers)
    assert r.json()["status"] == "ended"
    steps = (await client.get(f"{L}/sessions/{session['id']}/history", headers=li.headers)).json()
    assert [s["action"] for s in steps] == ["plan", "start", "end"]
    assert [s["to_state"] for s in steps] == ["planned", "live", "ended"]


async def test_live_price_never_below_the_floor(client, county):
    _, entry = await pool_entry(client, county, floor_price_fen=2990)
    li = await streamer(client, county)
    session = await planned_session(client, county, li, await room(client, county), entry)
    r = await client.put(
        f"{L}/sessions/{session['id']}/lineup",
        json={"items": [{"pool_entry_id": entry["id"], "live_price_fen": 2989, "stock_cap": 5}]},
        headers=li.headers,
    )
    assert r.status_code == 422
    assert r.json()["type"].endswith("livestream-below-floor-price")


async def test_lineup_freezes_when_live_but_caps_may_fall(client, county):
    _, entry = await pool_entry(client, county)
    _, other = await pool_entry(client, county)
    li = await streamer(client, county)
    session = await planned_session(client, county, li, await room(client, county), entry)
    item = session["lineup"][0]
    await client.post(f"{L}/sessions/{session['id']}/start", headers=li.headers)
    r = await client.put(
        f"{L}/sessions/{session['id']}/lineup",
        json={"items": [{"pool_entry_id": other["id"], "live_price_fen": 3000, "stock_cap": 5}]},
        headers=li.headers,
    )
    assert r.status_code == 409
    assert r.json()["type"].endswith("livestream-lineup-frozen")
    path = f"{L}/sessions/{session['id']}/lineup/{item['id']}"
    r = await client.patch(path, json={"stock_cap": 20}, headers=li.headers)
    assert r.status_code == 200 and r.json()["lineup"][0]["stock_cap"] == 20
    r = await client.patch(path, json={"stock_cap": 21}, headers=li.headers)
    assert r.status_code == 409


async def test_cancelling_a_session_frees_its_room(client, county):
    _, entry = await pool_entry(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    studio = await room(client, county)
    session = await planned_session(client, county, li, studio, entry)
    r = await client.post(
        f"{L}/sessions/{session['id']}/cancel", json={"reason": "主播生病"}, headers=li.headers
    )
    assert r.json()["status"] == "cancelled"
    assert (await book(client, wang, studio["id"], at(2), at(4))).status_code == 201


async def test_ten_sessions_live_at_once(client, county):
    _, entry = await pool_entry(client, county)
    rooms = [await room(client, county, f"{n}号直播间") for n in range(1, 11)]
    streamers = [await streamer(client, county) for _ in range(10)]
    sessions = []
    for studio, actor in zip(rooms, streamers, strict=True):
        sessions.append(await planned_session(client, county, actor, studio, entry, 10, 12))
    results = await asyncio.gather(
        *(
            client.post(f"{L}/sessions/{s['id']}/start", headers=a.headers)
            for s, a in zip(sessions, streamers, strict=True)
        )
    )
    assert [r.status_code for r in results] == [200] * 10
    r = await client.get(
        f"{L}/sessions/live-count",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert r.json() == {"live": 10}


async def test_another_streamer_cannot_see_or_run_my_session(client, county):
    _, entry = await pool_entry(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    session = await planned_session(client, county, li, await room(client, county), entry)
    assert (
        await client.get(f"{L}/sessions/{session['id']}", headers=wang.headers)
    ).status_code == 404
    assert (
        await client.post(f"{L}/sessions/{session['id']}/start", headers=wang.headers)
    ).status_code == 404
    assert (
        await client.get(f"{L}/sessions/{session['id']}", headers=county.operator.headers)
    ).status_code == 200
