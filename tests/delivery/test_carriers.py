"""A carrier hands over its parcels for the last mile; unknown addresses wait for review."""

from __future__ import annotations

import uuid

from tests.delivery.test_delivery_day import DAY, network, station_parcels


async def test_carrier_parcels_are_matched_to_stations_and_unknown_ones_queued(client, county):
    (li, wang), _driver = await network(client, county)
    prefix = uuid.uuid4().hex[:8].upper()
    batch = {
        "region_id": str(county.region_id),
        "carrier": "中通快递",
        "delivery_date": DAY.isoformat(),
        "parcels": [
            {"tracking_number": f"ZT{prefix}1", "township": "城关镇", "village": "李庄"},
            {"tracking_number": f"ZT{prefix}2", "address": "封丘县城关镇王庄村东头3号"},
            {"tracking_number": f"ZT{prefix}3", "township": "城关镇", "village": "赵岗村"},
        ],
    }
    r = await client.post(
        "/v1/delivery/carrier-parcels", json=batch, headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    assert [row["status"] for row in r.json()["rows"]] == ["matched", "matched", "review"]

    r = await client.post(
        "/v1/delivery/carrier-parcels", json=batch, headers=county.operator.headers
    )
    assert [row["status"] for row in r.json()["rows"]] == ["duplicate"] * 3

    assert [p["tracking_number"] for p in await station_parcels(client, li)] == [f"ZT{prefix}1"]
    assert [p["tracking_number"] for p in await station_parcels(client, wang)] == [f"ZT{prefix}2"]
    r = await client.get(
        "/v1/delivery/carrier-parcels/review",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert [row["tracking_number"] for row in r.json()["items"]] == [f"ZT{prefix}3"]

    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    r = await client.get(f"/v1/delivery/track/ZT{prefix}1")
    assert r.status_code == 200 and r.json()["status"] == "registered"


async def test_a_station_cannot_register_carrier_parcels(client, county):
    (li, _wang), _driver = await network(client, county)
    r = await client.post(
        "/v1/delivery/carrier-parcels",
        json={
            "region_id": str(county.region_id),
            "carrier": "韵达",
            "delivery_date": DAY.isoformat(),
            "parcels": [{"tracking_number": "YD00000001", "village": "李庄村"}],
        },
        headers=li.headers,
    )
    assert r.status_code == 403


async def test_a_person_resolves_the_review_queue_and_the_spelling_is_learnt(client, county):
    (li, wang), _driver = await network(client, county)
    op = county.operator.headers
    r = await client.get(
        "/v1/delivery/stops", params={"region_id": str(county.region_id)}, headers=op
    )
    stops = r.json()["items"]
    li_stop = next(s["id"] for s in stops if s["station_org_id"] == str(li.org_id))
    warehouse_stop = next(s["id"] for s in stops if s["kind"] == "warehouse")
    prefix = uuid.uuid4().hex[:8].upper()

    def batch(*numbers_and_villages):
        return {
            "region_id": str(county.region_id),
            "carrier": "圆通速递",
            "delivery_date": DAY.isoformat(),
            "parcels": [
                {"tracking_number": f"YT{prefix}{n}", "township": "城关镇", "village": v}
                for n, v in numbers_and_villages
            ],
        }

    r = await client.post(
        "/v1/delivery/carrier-parcels", json=batch((1, "小李寨"), (2, "无名村")), headers=op
    )
    assert [row["status"] for row in r.json()["rows"]] == ["review", "review"]
    queue = (
        await client.get(
            "/v1/delivery/carrier-parcels/review",
            params={"region_id": str(county.region_id)},
            headers=op,
        )
    ).json()["items"]
    first, second = (
        next(q for q in queue if q["tracking_number"] == f"YT{prefix}{n}") for n in (1, 2)
    )

    base = "/v1/delivery/carrier-parcels/review"
    r = await client.post(
        f"{base}/{first['id']}/assign", json={"stop_id": li_stop}, headers=li.headers
    )
    assert r.status_code in (403, 404)
    r = await client.post(
        f"{base}/{first['id']}/assign", json={"stop_id": warehouse_stop}, headers=op
    )
    assert r.status_code == 422
    r = await client.post(f"{base}/{first['id']}/assign", json={"stop_id": li_stop}, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "assigned"
    assert r.json()["station_org_id"] == str(li.org_id)
    assert f"YT{prefix}1" in [p["tracking_number"] for p in await station_parcels(client, li)]

    r = await client.post(
        f"{base}/{second['id']}/return", json={"reason": "查无此村，退回快递"}, headers=op
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    r = await client.post(f"{base}/{second['id']}/assign", json={"stop_id": li_stop}, headers=op)
    assert r.status_code == 409

    queue = (
        await client.get(f"{base}", params={"region_id": str(county.region_id)}, headers=op)
    ).json()["items"]
    assert not {f"YT{prefix}1", f"YT{prefix}2"} & {q["tracking_number"] for q in queue}

    # the learnt spelling matches the next parcel for 小李寨 straight away
    r = await client.post("/v1/delivery/carrier-parcels", json=batch((3, "小李寨")), headers=op)
    assert r.json()["rows"][0]["status"] == "matched"
    assert r.json()["rows"][0]["station_org_id"] == str(li.org_id)
