"""The apps page through their lists with a cursor and revalidate them with an ETag."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

from tests.delivery.helpers import act, parcel, planned_day
from tests.delivery.test_delivery_day import DAY, network
from tests.factories import new_county


def hand_made_cursor(field: str, descending: bool, key, row_id) -> str:
    """A cursor in the kernel's format, as a client could edit one."""
    raw = json.dumps({"s": field, "d": descending, "k": key, "i": row_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def all_pages(client, url, headers, **params) -> list[list[dict]]:
    """Every page of a list, following next_cursor."""
    pages, cursor = [], None
    while True:
        r = await client.get(
            url, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert r.status_code == 200, r.text
        pages.append(r.json()["items"])
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return pages


async def revalidates(client, url, headers, **params) -> str:
    """The list answers 304 to its own ETag; returns the tag."""
    r = await client.get(url, params=params, headers=headers)
    tag = r.headers["etag"]
    r = await client.get(url, params=params, headers={**headers, "If-None-Match": tag})
    assert r.status_code == 304
    return tag


async def test_a_station_pages_through_its_own_parcels(client, county):
    day = await planned_day(client, county, [parcel(), parcel(), parcel()])
    url = f"/v1/delivery/stations/{day.li.org_id}/parcels"
    pages = await all_pages(client, url, day.li.headers, limit=2)
    assert [len(p) for p in pages] == [2, 1]
    assert sorted(p["id"] for page in pages for p in page) == sorted(p["id"] for p in day.parcels)
    by_number = await all_pages(client, url, day.li.headers, limit=1, sort="tracking_number")
    assert [p["tracking_number"] for [p] in by_number] == sorted(
        p["tracking_number"] for p in day.parcels
    )
    r = await client.get(
        url, params={"delivery_date": (DAY + timedelta(days=1)).isoformat()}, headers=day.li.headers
    )
    assert r.json()["items"] == []

    tag = await revalidates(client, url, day.li.headers, status="in_transit")
    assert (await act(client, day.driver, day.run["id"], "start")).status_code == 200
    r = await client.get(
        url, params={"status": "in_transit"}, headers={**day.li.headers, "If-None-Match": tag}
    )
    assert r.status_code == 200 and len(r.json()["items"]) == 3

    edited = (
        hand_made_cursor("created_at", True, "yesterday", {"u": str(uuid.uuid4())}),
        hand_made_cursor("created_at", True, {"t": "2026-12-01T08:00:00+08:00"}, "zzz"),
        hand_made_cursor(
            "created_at", True, {"t": "2026-12-01T08:00:00"}, {"u": str(uuid.uuid4())}
        ),
    )
    for cursor in edited:
        r = await client.get(url, params={"cursor": cursor}, headers=day.li.headers)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "cursor"
    for bad in ({"cursor": "not-a-cursor"}, {"sort": "weight_g"}, {"status": "lost"}):
        r = await client.get(url, params=bad, headers=day.li.headers)
        assert r.status_code == 422, bad
    # a cursor of one sort is refused under another
    r = await client.get(url, params={"limit": 1}, headers=day.li.headers)
    r = await client.get(
        url,
        params={"cursor": r.json()["next_cursor"], "sort": "tracking_number"},
        headers=day.li.headers,
    )
    assert r.status_code == 422
    r = await client.get(url, headers=day.wang.headers)
    assert r.status_code == 404


async def test_the_dispatcher_pages_through_the_days_runs_and_the_driver_through_theirs(
    client, county
):
    day = await planned_day(client, county, [parcel(4_000), parcel(4_000)], max_weight_g=5_000)
    assert [r["trip"] for r in day.runs] == [1, 2]
    op = county.operator.headers
    params = {"region_id": str(county.region_id), "delivery_date": DAY.isoformat()}
    pages = await all_pages(client, "/v1/delivery/runs", op, limit=1, sort="-trip", **params)
    assert [p[0]["trip"] for p in pages] == [2, 1]
    tag = await revalidates(client, "/v1/delivery/runs", op, **params)

    first = day.runs[0]["id"]
    assert (await act(client, day.driver, first, "start")).status_code == 200
    r = await client.get("/v1/delivery/runs", params=params, headers={**op, "If-None-Match": tag})
    assert r.status_code == 200
    r = await client.get("/v1/delivery/runs", params={**params, "status": "in_transit"}, headers=op)
    assert [x["id"] for x in r.json()["items"]] == [first]
    r = await client.get(
        "/v1/delivery/runs", params={**params, "delivery_date": "2026-13-01"}, headers=op
    )
    assert r.status_code == 422

    mine = await all_pages(client, "/v1/delivery/runs/mine", day.driver.headers, limit=1)
    assert sorted(p[0]["id"] for p in mine) == sorted(r["id"] for r in day.runs)
    r = await client.get(
        "/v1/delivery/runs/mine", params={"status": "planned"}, headers=day.driver.headers
    )
    assert [x["trip"] for x in r.json()["items"]] == [2]
    await revalidates(client, "/v1/delivery/runs/mine", day.driver.headers)
    await revalidates(client, f"/v1/delivery/runs/{first}", day.driver.headers)
    await revalidates(client, f"/v1/delivery/runs/{first}/stops", day.driver.headers)


async def test_the_operator_pages_through_stops_and_the_address_review_queue(client, county, admin):
    await network(client, county)
    op = county.operator.headers
    region = {"region_id": str(county.region_id)}
    pages = await all_pages(client, "/v1/delivery/stops", op, limit=2, **region)
    names = [s["name"] for page in pages for s in page]
    assert [len(p) for p in pages] == [2, 1] and names == sorted(names)
    r = await client.get("/v1/delivery/stops", params={**region, "kind": "warehouse"}, headers=op)
    assert [s["name"] for s in r.json()["items"]] == ["封丘县仓"]
    await revalidates(client, "/v1/delivery/stops", op, **region)

    prefix = uuid.uuid4().hex[:8].upper()
    r = await client.post(
        "/v1/delivery/carrier-parcels",
        json={
            **region,
            "carrier": "圆通速递",
            "delivery_date": DAY.isoformat(),
            "parcels": [
                {"tracking_number": f"YT{prefix}{n}", "village": "无名村"} for n in range(3)
            ],
        },
        headers=op,
    )
    assert r.json()["review"] == 3
    url = "/v1/delivery/carrier-parcels/review"
    pages = await all_pages(client, url, op, limit=2, **region)
    queue = [q for page in pages for q in page]
    assert [len(p) for p in pages] == [2, 1]
    assert sorted(q["tracking_number"] for q in queue) == [f"YT{prefix}{n}" for n in range(3)]
    tag = await revalidates(client, url, op, **region)
    r = await client.post(f"{url}/{queue[0]['id']}/return", json={"reason": "查无此村"}, headers=op)
    assert r.status_code == 200
    r = await client.get(url, params=region, headers={**op, "If-None-Match": tag})
    assert r.status_code == 200 and len(r.json()["items"]) == 2
    r = await client.get(url, params={**region, "status": "returned"}, headers=op)
    [returned] = r.json()["items"]
    assert (returned["id"], returned["resolution"]) == (queue[0]["id"], "查无此村")

    other = await new_county(client, admin)
    for path in ("/v1/delivery/stops", url):
        r = await client.get(path, params=region, headers=other.operator.headers)
        assert r.status_code == 403


async def test_the_figures_page_by_day(client, county):
    (li, _wang), _driver = await network(client, county)
    op = county.operator.headers
    for offset in range(3):
        r = await client.post(
            "/v1/delivery/carrier-parcels",
            json={
                "region_id": str(county.region_id),
                "carrier": "中通快递",
                "delivery_date": (DAY + timedelta(days=offset)).isoformat(),
                "parcels": [{"tracking_number": f"ZT{uuid.uuid4().hex[:10]}", "village": "李庄村"}],
            },
            headers=op,
        )
        assert r.json()["matched"] == 1, r.text
    params = {
        "region_id": str(county.region_id),
        "from": DAY.isoformat(),
        "to": (DAY + timedelta(days=2)).isoformat(),
    }
    days = [(DAY + timedelta(days=n)).isoformat() for n in range(3)]
    pages = await all_pages(client, "/v1/delivery/figures", op, limit=2, **params)
    assert [[row["delivery_date"] for row in page] for page in pages] == [days[:2], days[2:]]
    pages = await all_pages(
        client, "/v1/delivery/figures", op, limit=1, sort="-delivery_date", **params
    )
    assert [page[0]["delivery_date"] for page in pages] == days[::-1]
    assert all(page[0]["carrier_share"] == 1.0 for page in pages)
    await revalidates(client, "/v1/delivery/figures", op, **params)
    r = await client.get(
        "/v1/delivery/figures", params={**params, "cursor": "eyJzIjoieCJ9"}, headers=op
    )
    assert r.status_code == 422
