"""Samples: thresholds approve automatically, otherwise the supplier within 7 days or the
request expires; a monthly quota by GMV band; one open request per product; shipped with
tracking; featured live within 14 days of receipt or overdue on the streamer's record."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.factories import eventually
from tests.livestream.helpers import (
    L,
    at,
    book,
    expire_samples,
    listed,
    overdue_samples,
    pool_entry,
    room,
    streamer,
)

RULE = {"min_followers": 10_000, "min_gmv_30d_fen": 0, "min_level": 2, "return_required": False}


async def request(client, actor, entry):
    return await client.post(
        f"{L}/samples", json={"pool_entry_id": entry["id"]}, headers=actor.headers
    )


async def sample_status(client, actor, sample_id):
    return (await client.get(f"{L}/samples/{sample_id}", headers=actor.headers)).json()["status"]


async def test_thresholds_approve_automatically_else_the_supplier_decides(client, county):
    seller, entry = await pool_entry(client, county, sample_rule=RULE)
    big = await streamer(client, county, followers=50_000, level=3)
    small = await streamer(client, county, followers=500, level=1)
    r = await request(client, big, entry)
    assert r.status_code == 201 and r.json()["status"] == "approved" and r.json()["auto_approved"]
    r = await request(client, small, entry)
    assert r.status_code == 201 and r.json()["status"] == "requested"
    pending = r.json()
    r = await client.post(f"{L}/samples/{pending['id']}/approve", headers=small.headers)
    assert r.status_code == 403  # the streamer sees its request; only the supplier decides
    r = await client.post(
        f"{L}/samples/{pending['id']}/approve", json={"reason": "合作过"}, headers=seller.headers
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"


async def test_one_open_request_per_product_even_when_racing(client, county):
    _, entry = await pool_entry(client, county)
    li = await streamer(client, county)
    results = await asyncio.gather(*(request(client, li, entry) for _ in range(5)))
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 409, 409, 409, 409], codes
    assert {r.json()["type"] for r in results if r.status_code == 409} == {
        "https://county-market.dev/problems/livestream-sample-already-open"
    }


async def test_monthly_quota_by_gmv_band_per_region(client, county):
    r = await client.put(
        f"{L}/sample-quota-bands",
        json={
            "region_id": str(county.region_id),
            "bands": [
                {"min_gmv_30d_fen": 0, "monthly_quota": 1},
                {"min_gmv_30d_fen": 1_000_000, "monthly_quota": 2},
            ],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    entries = [(await pool_entry(client, county))[1] for _ in range(3)]
    small = await streamer(client, county)
    assert (await request(client, small, entries[0])).status_code == 201
    r = await request(client, small, entries[1])
    assert r.status_code == 409 and r.json()["quota"] == 1
    bigger = await streamer(client, county, gmv_30d_fen=2_000_000)
    assert (await request(client, bigger, entries[0])).status_code == 201
    assert (await request(client, bigger, entries[1])).status_code == 201
    assert (await request(client, bigger, entries[2])).status_code == 409


async def test_an_undecided_request_expires_after_7_days(client, county):
    _, entry = await pool_entry(client, county, sample_rule=RULE)
    small = await streamer(client, county, followers=10)
    sample = (await request(client, small, entry)).json()
    expire_samples(county, datetime.now(UTC) + timedelta(days=6))
    await asyncio.sleep(3)
    assert await sample_status(client, small, sample["id"]) == "requested"
    expire_samples(county, datetime.now(UTC) + timedelta(days=7, minutes=1))
    await eventually(lambda: _status_is(client, small, sample["id"], "expired"), timeout=30)


async def _status_is(client, actor, sample_id, expected):
    return await sample_status(client, actor, sample_id) == expected


async def shipped_and_received(client, county, seller, actor, entry):
    sample = (await request(client, actor, entry)).json()
    assert sample["status"] == "approved"
    r = await client.post(
        f"{L}/samples/{sample['id']}/ship",
        json={"carrier": "中通快递", "tracking_number": "ZT1234567890"},
        headers=seller.headers,
    )
    assert r.status_code == 200 and r.json()["tracking_number"] == "ZT1234567890"
    r = await client.post(f"{L}/samples/{sample['id']}/receive", headers=actor.headers)
    assert r.status_code == 200 and r.json()["status"] == "received"
    return r.json()


async def test_a_sample_not_featured_in_14_days_is_overdue_on_the_record(client, county):
    seller, entry = await pool_entry(client, county)
    li = await streamer(client, county)
    sample = await shipped_and_received(client, county, seller, li, entry)
    overdue_samples(county, datetime.now(UTC) + timedelta(days=15))
    await eventually(lambda: _status_is(client, li, sample["id"], "overdue"), timeout=30)
    me = (await client.get(f"{L}/streamers/me", headers=li.headers)).json()
    assert me["overdue_samples"] == 1


async def test_featuring_the_product_live_fulfils_the_sample(client, county):
    seller, entry = await pool_entry(client, county)
    li = await streamer(client, county)
    sample = await shipped_and_received(client, county, seller, li, entry)
    booking = (await book(client, li, (await room(client, county))["id"], at(2), at(3))).json()
    session = (
        await client.post(
            f"{L}/sessions",
            json={"booking_id": booking["id"], "platform": "kuaishou", "title": "试播"},
            headers=li.headers,
        )
    ).json()
    await client.put(
        f"{L}/sessions/{session['id']}/lineup",
        json={"items": [{"pool_entry_id": entry["id"], "live_price_fen": 3500, "stock_cap": 10}]},
        headers=li.headers,
    )
    assert (
        await client.post(f"{L}/sessions/{session['id']}/start", headers=li.headers)
    ).status_code == 200
    found = (await client.get(f"{L}/samples/{sample['id']}", headers=li.headers)).json()
    assert found["status"] == "featured" and found["featured_session_id"] == session["id"]
    overdue_samples(county, datetime.now(UTC) + timedelta(days=15))
    await asyncio.sleep(2)
    assert (await client.get(f"{L}/streamers/me", headers=li.headers)).json()[
        "overdue_samples"
    ] == 0


async def test_a_streamer_cannot_see_another_streamers_samples(client, county):
    seller, entry = await pool_entry(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    sample = (await request(client, li, entry)).json()
    assert (
        await client.get(f"{L}/samples/{sample['id']}", headers=wang.headers)
    ).status_code == 404
    assert (await client.get(f"{L}/samples", headers=wang.headers)).json() == {
        "items": [],
        "next_cursor": None,
    }
    assert [s["id"] for s in await listed(client, "/samples", li.headers)] == [sample["id"]]
    assert [s["id"] for s in await listed(client, "/samples", seller.headers)] == [sample["id"]]
    assert (
        await client.post(f"{L}/samples/{sample['id']}/receive", headers=wang.headers)
    ).status_code == 404
