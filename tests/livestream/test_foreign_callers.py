"""Every livestream object route answers a caller from another county (its operator, a
streamer, a supplier) with 404, never 403 or the object: a foreign id does not exist for
them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import new_county, new_org
from tests.livestream.consignment_helpers import stock_of
from tests.livestream.helpers import L, at, book, pool_entry, room, streamer

ROUTES = [
    ("PATCH", "/rooms/{room}", {"name": "外县直播间"}),
    ("GET", "/bookings/{booking}", None),
    ("POST", "/bookings/{booking}/cancel", {}),
    ("GET", "/sessions/{session}", None),
    ("GET", "/sessions/{session}/history", None),
    ("PUT", "/sessions/{session}/lineup", {"items": []}),
    ("PATCH", "/sessions/{session}/lineup/{item}", {"stock_cap": 1}),
    ("POST", "/sessions/{session}/start", {}),
    ("GET", "/pool/entries/{entry}", None),
    ("PATCH", "/pool/entries/{entry}", {"supply_price_fen": 2000}),
    ("POST", "/pool/entries/{entry}/withdraw", {}),
    ("GET", "/plans?pool_entry_id={entry}", None),
    ("GET", "/plans/{plan}", None),
    ("GET", "/plans/{plan}/history", None),
    ("POST", "/plans/{plan}/rate", {"rate_bps": 1000, "reason": "外县"}),
    ("POST", "/plans/{plan}/end", {}),
    ("GET", "/plans/{plan}/applications", None),
    ("POST", "/plans/{plan}/applications", {}),
    ("POST", "/plan-applications/{application}/approve", {}),
    ("POST", "/plan-applications/{application}/reject", {}),
    ("GET", "/samples/{sample}", None),
    ("POST", "/samples/{sample}/approve", {}),
    ("POST", "/samples/{sample}/reject", {}),
    ("POST", "/samples/{sample}/ship", {"carrier": "顺丰", "tracking_number": "SF12345678"}),
    ("POST", "/samples/{sample}/receive", {}),
    ("GET", "/streamers/{streamer}", None),
    ("PUT", "/streamers/{streamer}/figures", {"gmv_30d_fen": 1, "sales_30d": 1}),
    ("GET", "/agencies/{agency}", None),
    ("GET", "/consignment/stock/{stock}", None),
    ("GET", "/consignment/stock/{stock}/movements", None),
    ("POST", "/consignment/stock/{stock}/returns", {"quantity": 1, "destination": "supplier"}),
    ("POST", "/consignment/stock/{stock}/damages", {"quantity": 1, "reason": "外县"}),
    ("POST", "/consignment/stock/{stock}/stocktakes", {"counted": 1, "reason": "外县"}),
    ("GET", "/consignment/statements/{supplier}/{period}", None),
    ("GET", "/consignment/statements/{supplier}/{period}/xlsx", None),
]  # fmt: skip


@pytest.fixture(scope="module")
async def story(client, admin):
    """One county's base (a room, a booking and session with a lineup, a pool entry with
    goods at the base, a directed plan with an application, a sample request, an agency),
    and three callers from another county."""
    county = await new_county(client, admin)
    seller, entry = await pool_entry(client, county, stock_at_base=5)
    li = await streamer(client, county, level=3)
    studio = await room(client, county)
    r = await book(client, li, studio["id"], at(9), at(11))
    assert r.status_code == 201, r.text
    booking = r.json()
    r = await client.post(
        f"{L}/sessions",
        json={"booking_id": booking["id"], "platform": "douyin", "title": "封丘好物"},
        headers=li.headers,
    )
    assert r.status_code == 201, r.text
    session = r.json()
    r = await client.put(
        f"{L}/sessions/{session['id']}/lineup",
        json={"items": [{"pool_entry_id": entry["id"], "live_price_fen": 3990, "stock_cap": 5}]},
        headers=li.headers,
    )
    assert r.status_code == 200, r.text
    item = r.json()["lineup"][0]
    today = datetime.now(UTC).astimezone(ZoneInfo(county.timezone)).date()
    r = await client.post(
        f"{L}/plans",
        json={
            "pool_entry_id": entry["id"],
            "kind": "directed",
            "rate_bps": 2000,
            "min_level": 5,
            "starts_on": today.isoformat(),
            "ends_on": today.replace(year=today.year + 1).isoformat(),
        },
        headers=seller.headers,
    )
    assert r.status_code == 201, r.text
    plan = r.json()
    r = await client.post(f"{L}/plans/{plan['id']}/applications", json={}, headers=li.headers)
    assert r.status_code == 201, r.text
    application = r.json()
    r = await client.post(f"{L}/samples", json={"pool_entry_id": entry["id"]}, headers=li.headers)
    assert r.status_code == 201, r.text
    sample = r.json()
    agency = await new_org(client, county, "livestream_agency")
    r = await client.put(f"{L}/agencies/me", json={"service_fee_bps": 500}, headers=agency.headers)
    assert r.status_code == 200, r.text
    stock = await stock_of(client, county.operator, entry["product_id"])
    assert stock is not None
    ids = {
        "room": studio["id"],
        "booking": booking["id"],
        "session": session["id"],
        "item": item["id"],
        "entry": entry["id"],
        "plan": plan["id"],
        "application": application["id"],
        "sample": sample["id"],
        "streamer": str(li.org_id),
        "agency": str(agency.org_id),
        "stock": stock["id"],
        "supplier": str(seller.org_id),
        "period": today.strftime("%Y-%m"),
    }
    elsewhere = await new_county(client, admin, name="长垣市")
    outsiders = [
        elsewhere.operator,
        await streamer(client, elsewhere, level=5),
        await new_org(client, elsewhere, "supplier"),
    ]
    return ids, outsiders


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
async def test_a_foreign_caller_gets_404(client, story, method, path, body):
    ids, outsiders = story
    url = L + path.format(**ids)
    for outsider in outsiders:
        r = await client.request(
            method, url, json=json.loads(json.dumps(body)) if body is not None else None,
            headers=outsider.headers,
        )  # fmt: skip
        assert r.status_code == 404, (outsider.kind, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
