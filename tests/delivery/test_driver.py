"""The driver delivers in person with proof and cash, or reports an exception."""

from __future__ import annotations

from datetime import timedelta

from tests.delivery.test_delivery_day import (
    DAY,
    network,
    order_ready,
    outbox_types,
    station_parcels,
)
from tests.factories import eventually, new_org

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


async def started_run(client, county, parcels, cod_amount_fen=0):
    (li, _wang), driver = await network(client, county)
    order_ready(county, li, parcels, cod_amount_fen)

    async def arrived():
        found = await station_parcels(client, li)
        return found if len(found) == len(parcels) else None

    found = await eventually(arrived)
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    r = await client.post(f"/v1/delivery/runs/{run['id']}/start", headers=driver.headers)
    assert r.status_code == 200, r.text
    return found, driver, li


async def test_driver_delivers_with_a_photo_and_collects_the_cash_due(client, county):
    [parcel], driver, li = await started_run(
        client, county, [{"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False}], 2_500
    )
    url = f"/v1/delivery/parcels/{parcel['id']}/deliver"
    r = await client.post(
        url, data={"recipient_name": "张三", "cod_collected_fen": "2000"}, headers=driver.headers
    )
    assert r.status_code == 422 and r.json()["type"].endswith("delivery-cod-mismatch")
    r = await client.post(
        url,
        data={"recipient_name": "张三", "cod_collected_fen": "2500"},
        files={"proof": ("sign.png", PNG, "image/png")},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "delivered"
    assert "delivery.cod.collected" in await outbox_types()

    # the proof image, for the driver, the station and the operator; anyone else: 404
    proof = f"/v1/delivery/parcels/{parcel['id']}/proof"
    for who in (driver, li, county.operator):
        r = await client.get(proof, headers=who.headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "image/png" and r.content == PNG
    stranger = await new_org(client, county, "station")
    r = await client.get(proof, headers=stranger.headers)
    assert r.status_code == 404, r.text


async def test_absent_recipient_is_redelivered_next_day_and_refusal_is_returned(client, county):
    parcels, driver, li = await started_run(
        client,
        county,
        [
            {"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False},
            {"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False},
        ],
    )
    absent, refused = parcels
    r = await client.post(
        f"/v1/delivery/parcels/{absent['id']}/exception",
        json={"kind": "absent", "note": "家中无人"},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    assert (
        r.json()["status"] == "registered"
        and r.json()["delivery_date"] == (DAY + timedelta(days=1)).isoformat()
    )
    r = await client.post(
        f"/v1/delivery/parcels/{refused['id']}/exception",
        json={"kind": "refused"},
        headers=driver.headers,
    )
    assert r.json()["status"] == "returned"
    r = await client.post(
        f"/v1/delivery/parcels/{refused['id']}/exception", json={"kind": "lost"}, headers=li.headers
    )
    assert r.status_code == 422
    r = await client.post(
        f"/v1/delivery/parcels/{refused['id']}/exception",
        json={"kind": "absent"},
        headers=li.headers,
    )
    assert r.status_code == 404


async def test_dispatcher_hands_a_planned_run_to_another_driver(client, county):
    from tests.factories import add_member

    (li, _wang), driver = await network(client, county)
    order_ready(county, li, [{"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False}])

    async def arrived():
        return await station_parcels(client, li)

    await eventually(arrived)
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    [run] = r.json()["runs"]
    stand_in = await add_member(client, county.operator, ["driver"])

    r = await client.post(
        f"/v1/delivery/runs/{run['id']}/assign",
        json={"driver_user_id": str(stand_in.user_id)},
        headers=driver.headers,
    )
    assert r.status_code in (403, 404)
    r = await client.post(
        f"/v1/delivery/runs/{run['id']}/assign",
        json={"driver_user_id": str(stand_in.user_id)},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["driver_user_id"] == str(stand_in.user_id)
    mine = (await client.get("/v1/delivery/runs/mine", headers=stand_in.headers)).json()
    assert [m["id"] for m in mine["items"]] == [run["id"]]
    theirs = (await client.get("/v1/delivery/runs/mine", headers=driver.headers)).json()["items"]
    assert run["id"] not in [m["id"] for m in theirs]

    r = await client.post(f"/v1/delivery/runs/{run['id']}/start", headers=stand_in.headers)
    assert r.status_code == 200
    r = await client.post(
        f"/v1/delivery/runs/{run['id']}/assign",
        json={"driver_user_id": str(driver.user_id)},
        headers=county.operator.headers,
    )
    assert r.status_code in (409, 422)
