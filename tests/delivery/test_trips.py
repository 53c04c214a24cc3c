"""Ad-hoc runs sequenced by OR-Tools, and farm collection runs weighed at pickup."""

from __future__ import annotations

import uuid

from tests.delivery.test_delivery_day import DAY
from tests.factories import add_member


async def stop(client, county, kind, name, lat, lon, **extra):
    r = await client.post(
        "/v1/delivery/stops",
        json={
            "region_id": str(county.region_id),
            "kind": kind,
            "name": name,
            "latitude": lat,
            "longitude": lon,
            **extra,
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def vehicle(client, county, max_weight_g):
    r = await client.post(
        "/v1/delivery/vehicles",
        json={
            "region_id": str(county.region_id),
            "plate": f"豫G{uuid.uuid4().hex[:5]}",
            "max_weight_g": max_weight_g,
            "max_volume_cm3": 5_000_000,
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_ad_hoc_day_is_sequenced_within_capacity_and_windows(client, county):
    depot = await stop(client, county, "warehouse", "县仓", 35.04, 114.41)
    villages = [
        await stop(
            client,
            county,
            "station",
            f"村{i}",
            35.04 + 0.02 * i,
            114.41 + 0.01 * i,
            station_org_id=str(uuid.uuid4()),
        )
        for i in range(1, 5)
    ]
    vans = [await vehicle(client, county, 600_000), await vehicle(client, county, 600_000)]
    r = await client.post(
        "/v1/delivery/runs/ad-hoc",
        json={
            "region_id": str(county.region_id),
            "delivery_date": DAY.isoformat(),
            "depot_stop_id": depot,
            "vehicle_ids": vans,
            "visits": [{"stop_id": v, "demand_g": 300_000} for v in villages],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dropped_stop_ids"] == []
    visited = [s["stop_id"] for trip in body["trips"] for s in trip["stops"]]
    assert sorted(visited) == sorted(villages)
    assert all(trip["run"]["weight_g"] <= 600_000 for trip in body["trips"])
    assert all(trip["run"]["kind"] == "ad_hoc" for trip in body["trips"])


async def test_collection_run_records_farm_weights_for_its_driver_only(client, county):
    farms = [
        await stop(
            client, county, "farm", f"金银花基地{i}", 35.1, 114.4, supplier_org_id=str(uuid.uuid4())
        )
        for i in range(2)
    ]
    truck = await vehicle(client, county, 1_000_000)
    driver = await add_member(client, county.operator, ["driver"])
    r = await client.post(
        "/v1/delivery/runs/collection",
        json={
            "region_id": str(county.region_id),
            "collection_date": DAY.isoformat(),
            "vehicle_id": truck,
            "driver_user_id": str(driver.user_id),
            "stop_ids": farms,
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    run_id = r.json()["run"]["id"]
    r = await client.post(f"/v1/delivery/runs/{run_id}/stops/1/arrive", headers=driver.headers)
    assert r.status_code == 200, r.text
    assert r.json()["stops"][0]["arrived_at"] is not None
    for sequence, weight in ((1, 400_000), (2, 700_000)):
        r = await client.post(
            f"/v1/delivery/runs/{run_id}/stops/{sequence}/pickup",
            json={"weight_g": weight},
            headers=driver.headers,
        )
        assert r.status_code == 200, r.text
    run = r.json()["run"]
    assert (run["weight_g"], run["overloaded"], run["status"]) == (1_100_000, True, "in_transit")
    other = await add_member(client, county.operator, ["driver"])
    r = await client.get(f"/v1/delivery/runs/{run_id}/stops", headers=other.headers)
    assert r.status_code == 404
    r = await client.post(f"/v1/delivery/runs/{run_id}/stops/2/arrive", headers=other.headers)
    assert r.status_code == 404
