"""A delivery day: orders become parcels, runs are planned, the driver drives, the station hands over."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.delivery.db import kernel
from shared.db import sessionmaker_for
from shared.events import Event
from shared.tasks import celery_app
from tests.factories import add_member, eventually, new_org

# today in the county: a driver can start only a run dated today or earlier, and on time means
# reaching the village by the end of the delivery date, so a fixed date would age into "late".
DAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def order_ready(county, station, parcels, cod_amount_fen=0, day: date = DAY) -> str:
    order_id = str(uuid.uuid4())
    event = Event(
        type="repository.order.ready_for_delivery",
        producer="repository",
        region_id=county.region_id,
        data={
            "order_id": order_id,
            "buyer_org_id": str(station.org_id),
            "region_id": str(county.region_id),
            "station_org_id": str(station.org_id),
            "delivery_date": day.isoformat(),
            "payment_method": "cod" if cod_amount_fen else "card",
            "cod_amount_fen": cod_amount_fen,
            "parcels": parcels,
        },
    )
    celery_app.send_task(
        "delivery.handle_event", args=[event.model_dump(mode="json")], queue="delivery"
    )
    return order_id


async def network(client, county, max_weight_g=20_000, cost_per_run_fen=0):
    op = county.operator
    r = await client.post(
        "/v1/delivery/stops",
        json={"region_id": str(county.region_id), "kind": "warehouse", "name": "封丘县仓"},
        headers=op.headers,
    )
    assert r.status_code == 201, r.text
    warehouse = r.json()["id"]
    stations, stops = [], [warehouse]
    for village in ("李庄村", "王庄村"):
        station = await new_org(client, county, "station", f"{village}服务站")
        r = await client.post(
            "/v1/delivery/stops",
            json={
                "region_id": str(county.region_id),
                "kind": "station",
                "name": village,
                "township": "城关镇",
                "village": village,
                "station_org_id": str(station.org_id),
                "latitude": 35.05,
                "longitude": 114.42,
            },
            headers=op.headers,
        )
        assert r.status_code == 201, r.text
        stations.append(station)
        stops.append(r.json()["id"])
    r = await client.post(
        "/v1/delivery/vehicles",
        json={
            "region_id": str(county.region_id),
            "plate": f"豫G{uuid.uuid4().hex[:5]}",
            "max_weight_g": max_weight_g,
            "max_volume_cm3": 2_000_000,
            "cost_per_run_fen": cost_per_run_fen,
        },
        headers=op.headers,
    )
    assert r.status_code == 201, r.text
    driver = await add_member(client, op, ["driver"])
    r = await client.post(
        "/v1/delivery/routes",
        json={
            "region_id": str(county.region_id),
            "name": "城关线",
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "departure_time": "07:30",
            "vehicle_id": r.json()["id"],
            "driver_user_id": str(driver.user_id),
            "stop_ids": stops,
        },
        headers=op.headers,
    )
    assert r.status_code == 201, r.text
    return stations, driver


async def station_parcels(client, station, **params):
    r = await client.get(
        f"/v1/delivery/stations/{station.org_id}/parcels", params=params, headers=station.headers
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def outbox_types() -> list[str]:
    async with sessionmaker_for(kernel)() as session:
        return list(await session.scalars(select(kernel.outbox.c.event_type)))


async def test_an_order_travels_from_warehouse_to_the_villager_against_its_pickup_code(
    client, county
):
    (li, wang), driver = await network(client, county)
    order_id = order_ready(
        county, li, [{"weight_g": 3_000, "volume_cm3": 5_000, "chilled": False}], 1_500
    )
    order_ready(county, wang, [{"weight_g": 2_000, "volume_cm3": 5_000, "chilled": False}])

    async def arrived():
        # both orders' parcels, before the day is planned (the events arrive in any order)
        mine, theirs = await station_parcels(client, li), await station_parcels(client, wang)
        return mine if mine and theirs else None

    [parcel] = await eventually(arrived)
    assert parcel["order_id"] == order_id and parcel["status"] == "registered"

    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    [run] = r.json()["runs"]
    assert run["weight_g"] == 5_000 and not run["overloaded"]

    r = await client.get("/v1/delivery/runs/mine", headers=driver.headers)
    assert [x["id"] for x in r.json()["items"]] == [run["id"]]
    r = await client.get(f"/v1/delivery/runs/{run['id']}/pick-list", headers=driver.headers)
    assert [p["station_org_id"] for p in r.json()] == [str(wang.org_id), str(li.org_id)]

    r = await client.post(f"/v1/delivery/runs/{run['id']}/start", headers=driver.headers)
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v1/delivery/runs/{run['id']}/stops/{parcel['stop_sequence']}/arrive",
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    assert [s["arrived_at"] is not None for s in r.json()["stops"]] == [True]

    r = await client.post(f"/v1/delivery/parcels/{parcel['id']}/receive", headers=li.headers)
    assert r.status_code == 200, r.text
    code = r.json()["pickup_code"]
    assert len(code) == 6
    assert [p["id"] for p in await station_parcels(client, li, status="at_station")] == [
        parcel["id"]
    ]

    wrong = "000000" if code != "000000" else "111111"
    r = await client.post(
        f"/v1/delivery/parcels/{parcel['id']}/hand-over",
        json={"pickup_code": wrong},
        headers=li.headers,
    )
    assert r.status_code == 422
    assert r.json()["type"].endswith("delivery-wrong-pickup-code")
    r = await client.post(
        f"/v1/delivery/parcels/{parcel['id']}/hand-over",
        json={"pickup_code": code, "recipient_name": "李大娘"},
        headers=li.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "delivered"

    r = await client.get(f"/v1/delivery/track/{parcel['tracking_number']}")
    assert r.status_code == 200
    assert [s["status"] for s in r.json()["history"]] == [
        "registered",
        "in_transit",
        "at_station",
        "delivered",
    ]
    types = await outbox_types()
    assert {"delivery.route.published", "delivery.parcel.delivered", "delivery.cod.collected"} <= (
        set(types)
    )


async def test_a_station_sees_only_its_parcels_and_a_driver_only_their_runs(client, county):
    (li, wang), driver = await network(client, county)
    order_ready(county, li, [{"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False}])

    async def arrived():
        return await station_parcels(client, li)

    [parcel] = await eventually(arrived)
    r = await client.post(f"/v1/delivery/parcels/{parcel['id']}/receive", headers=wang.headers)
    assert r.status_code == 404
    r = await client.get(f"/v1/delivery/stations/{li.org_id}/parcels", headers=wang.headers)
    assert r.status_code == 404

    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    other_driver = await add_member(client, county.operator, ["driver"])
    r = await client.get(f"/v1/delivery/runs/{run['id']}", headers=other_driver.headers)
    assert r.status_code == 404
    r = await client.post(f"/v1/delivery/runs/{run['id']}/start", headers=other_driver.headers)
    assert r.status_code == 404
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=driver.headers,
    )
    assert r.status_code == 403


async def test_overload_goes_onto_a_second_trip_and_chilled_waits_for_a_cold_van(client, county):
    (li, _), _driver = await network(client, county, max_weight_g=5_000)
    order_ready(
        county,
        li,
        [
            {"weight_g": 4_000, "volume_cm3": 1_000, "chilled": False},
            {"weight_g": 4_000, "volume_cm3": 1_000, "chilled": False},
            {"weight_g": 500, "volume_cm3": 1_000, "chilled": True},
        ],
    )

    async def arrived():
        return len(await station_parcels(client, li)) == 3

    await eventually(arrived)
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    body = r.json()
    assert [(run["trip"], run["weight_g"]) for run in body["runs"]] == [(1, 4_000), (2, 4_000)]
    assert len(body["unplaced_parcel_ids"]) == 1


async def test_the_station_app_revalidates_its_parcel_list_with_an_etag(client, county):
    (li, _wang), _driver = await network(client, county)
    r = await client.get(f"/v1/delivery/stations/{li.org_id}/parcels", headers=li.headers)
    tag = r.headers["etag"]
    r = await client.get(
        f"/v1/delivery/stations/{li.org_id}/parcels",
        headers={**li.headers, "If-None-Match": tag},
    )
    assert r.status_code == 304
