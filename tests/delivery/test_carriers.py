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
    assert [row["tracking_number"] for row in r.json()] == [f"ZT{prefix}3"]

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
