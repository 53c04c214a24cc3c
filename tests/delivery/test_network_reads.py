"""A dispatcher reads the network back: routes with stops and schedule, vehicles, drivers;
runs keep to their day; ad-hoc windows and collection stops are checked at the edge."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.delivery.helpers import act
from tests.delivery.test_delivery_day import network, order_ready, station_parcels
from tests.delivery.test_lists import all_pages, revalidates
from tests.delivery.test_trips import stop, vehicle
from tests.factories import add_member, eventually, new_county


def local_today(county) -> date:
    return datetime.now(ZoneInfo(county.timezone)).date()


async def test_the_dispatcher_reads_routes_vehicles_and_drivers_back(client, county):
    (li, wang), driver = await network(client, county)
    op = county.operator.headers
    region = {"region_id": str(county.region_id)}
    cold = await client.post(
        "/v1/delivery/vehicles",
        json={
            **region,
            "plate": "豫G冷001",
            "max_weight_g": 800_000,
            "max_volume_cm3": 3_000_000,
            "cold_chain": True,
        },
        headers=op,
    )
    assert cold.status_code == 201, cold.text

    [[route]] = await all_pages(client, "/v1/delivery/routes", op, **region)
    assert route["name"] == "城关线" and len(route["stop_ids"]) == 3
    r = await client.get(f"/v1/delivery/routes/{route['id']}", headers=op)
    assert r.status_code == 200, r.text
    detail = r.json()
    assert [(s["sequence"], s["kind"]) for s in detail["stops"]] == [
        (1, "warehouse"),
        (2, "station"),
        (3, "station"),
    ]
    assert [s["station_org_id"] for s in detail["stops"][1:]] == [str(li.org_id), str(wang.org_id)]
    assert detail["weekdays"] == [1, 2, 3, 4, 5, 6, 7]
    assert detail["departure_time"] == "07:30:00"
    assert detail["timezone"] == county.timezone
    assert detail["vehicle"]["id"] == route["vehicle_id"]
    assert detail["driver_user_id"] == str(driver.user_id)
    await revalidates(client, f"/v1/delivery/routes/{route['id']}", op)
    r = await client.get("/v1/delivery/routes", params={**region, "weekday": 8}, headers=op)
    assert r.status_code == 422

    pages = await all_pages(client, "/v1/delivery/vehicles", op, limit=1, **region)
    assert [len(p) for p in pages] == [1, 1]
    [[chilled]] = await all_pages(client, "/v1/delivery/vehicles", op, cold_chain=True, **region)
    assert chilled["id"] == cold.json()["id"]
    r = await client.get(f"/v1/delivery/vehicles/{chilled['id']}", headers=op)
    assert r.status_code == 200 and r.json()["cold_chain"] is True

    [[assigned]] = await all_pages(client, "/v1/delivery/drivers", op, **region)
    assert assigned["driver_user_id"] == str(driver.user_id)
    assert [x["id"] for x in assigned["routes"]] == [route["id"]]
    # the driver reads their own assignments
    r = await client.get(
        f"/v1/delivery/drivers/{driver.user_id}", params=region, headers=driver.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["routes"][0]["name"] == "城关线"
    other_driver = await add_member(client, county.operator, ["driver"])
    r = await client.get(
        f"/v1/delivery/drivers/{driver.user_id}", params=region, headers=other_driver.headers
    )
    assert r.status_code == 404


@pytest.mark.parametrize("path", ["routes", "vehicles", "stops", "drivers"])
async def test_a_foreign_county_gets_404_for_each_network_object(client, county, admin, path):
    (_li, _wang), driver = await network(client, county)
    op = county.operator.headers
    region = {"region_id": str(county.region_id)}
    [[route]] = await all_pages(client, "/v1/delivery/routes", op, **region)
    ids = {
        "routes": route["id"],
        "vehicles": route["vehicle_id"],
        "stops": route["stop_ids"][0],
        "drivers": str(driver.user_id),
    }
    url = f"/v1/delivery/{path}/{ids[path]}"
    params = region if path == "drivers" else {}
    assert (await client.get(url, params=params, headers=op)).status_code == 200
    other = await new_county(client, admin)
    r = await client.get(url, params=params, headers=other.operator.headers)
    assert r.status_code == 404, r.text
    if path != "stops":
        r = await client.get(f"/v1/delivery/{path}", params=region, headers=other.operator.headers)
        assert r.status_code == 403


async def test_a_driver_cannot_start_a_run_dated_ahead_of_today(client, county):
    (li, _wang), driver = await network(client, county)
    ahead = local_today(county) + timedelta(days=2)
    order_ready(county, li, [{"weight_g": 1_000, "volume_cm3": 1_000}], day=ahead)

    async def arrived():
        return await station_parcels(client, li, delivery_date=ahead.isoformat())

    await eventually(arrived)
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": ahead.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    for who in (driver, county.operator):
        r = await act(client, who, run["id"], "start")
        assert r.status_code == 422, r.text
        assert r.json()["type"].endswith("delivery-run-dated-ahead")
    r = await client.post(f"/v1/delivery/runs/{run['id']}/stops/2/arrive", headers=driver.headers)
    assert r.status_code == 422
    r = await client.get(f"/v1/delivery/runs/{run['id']}", headers=driver.headers)
    assert r.json()["status"] == "planned"
    [[assigned]] = await all_pages(
        client, "/v1/delivery/drivers", county.operator.headers, region_id=str(county.region_id)
    )
    assert [x["id"] for x in assigned["upcoming_runs"]] == [run["id"]]


async def test_an_ad_hoc_window_that_ends_before_it_starts_is_refused(client, county):
    depot = await stop(client, county, "warehouse", "县仓", 35.04, 114.41)
    village = await stop(
        client, county, "station", "村1", 35.06, 114.42, station_org_id=str(uuid.uuid4())
    )
    van = await vehicle(client, county, 600_000)
    r = await client.post(
        "/v1/delivery/runs/ad-hoc",
        json={
            "region_id": str(county.region_id),
            "delivery_date": local_today(county).isoformat(),
            "depot_stop_id": depot,
            "vehicle_ids": [van],
            "visits": [
                {
                    "stop_id": village,
                    "demand_g": 1_000,
                    "window_start": "15:00",
                    "window_end": "09:00",
                }
            ],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text
    assert any("window" in e["field"] or "window" in e["message"] for e in r.json()["errors"])


async def test_a_collection_run_refuses_a_village_station_as_a_pickup(client, county):
    farm = await stop(
        client, county, "farm", "树莓基地", 35.1, 114.4, supplier_org_id=str(uuid.uuid4())
    )
    village = await stop(
        client, county, "station", "李庄村", 35.06, 114.42, station_org_id=str(uuid.uuid4())
    )
    truck = await vehicle(client, county, 1_000_000)
    r = await client.post(
        "/v1/delivery/runs/collection",
        json={
            "region_id": str(county.region_id),
            "collection_date": local_today(county).isoformat(),
            "vehicle_id": truck,
            "stop_ids": [farm, village],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text
    assert r.json()["type"].endswith("delivery-not-a-farm")
    assert r.json()["errors"][0]["field"] == "stop_ids.1"
