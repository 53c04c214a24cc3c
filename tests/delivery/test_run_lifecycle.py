"""A run leaves, brings every parcel to an end and is finished by its driver; its history
says who did what, and each status change is published."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from services.delivery.db import kernel
from shared.db import sessionmaker_for
from tests.delivery.helpers import act, parcel, planned_day, run_events
from tests.delivery.test_delivery_day import DAY, station_parcels
from tests.factories import add_member, new_county


async def test_the_driver_finishes_the_run_once_every_parcel_is_off_the_van(client, county):
    day = await planned_day(client, county, [parcel(), parcel(), parcel(), parcel()])
    driver, run_id = day.driver, day.run["id"]
    to_station, in_person, absent, refused = day.parcels

    r = await act(client, driver, run_id, "finish")
    assert r.status_code == 409 and r.json()["type"].endswith("invalid-transition")
    r = await act(client, driver, run_id, "start")
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["parcels"]) == ("in_transit", {"in_transit": 4})
    assert r.json()["allowed_actions"] == ["finish"]

    r = await client.post(
        f"/v1/delivery/parcels/{to_station['id']}/receive", headers=day.li.headers
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v1/delivery/parcels/{in_person['id']}/deliver",
        data={"recipient_name": "张三"},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v1/delivery/parcels/{refused['id']}/exception",
        json={"kind": "refused"},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text

    r = await act(client, driver, run_id, "finish")
    assert r.status_code == 409, r.text
    assert r.json()["type"].endswith("delivery-run-has-parcels-aboard")
    assert r.json()["tracking_numbers"] == [absent["tracking_number"]]
    run = (await client.get(f"/v1/delivery/runs/{run_id}", headers=driver.headers)).json()
    assert run["status"] == "in_transit" and run["completed_at"] is None

    r = await client.post(
        f"/v1/delivery/parcels/{absent['id']}/exception",
        json={"kind": "absent"},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    r = await act(client, driver, run_id, "finish")
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["status"] == "completed" and run["completed_at"] is not None
    # the absent recipient's parcel left the run for tomorrow's
    assert run["parcels"] == {"at_station": 1, "delivered": 1, "returned": 1}
    assert run["allowed_actions"] == []
    assert [(s["action"], s["to_status"], s["actor_role"]) for s in run["history"]] == [
        ("plan", "planned", "dispatcher"),
        ("start", "in_transit", "driver"),
        ("finish", "completed", "driver"),
    ]
    assert run["history"][1]["actor_user_id"] == str(driver.user_id)

    events = await run_events(run_id)
    assert [t for t, _ in events] == ["delivery.run.started", "delivery.run.completed"]
    completed = events[1][1]
    assert (completed["from_status"], completed["to_status"], completed["actor_role"]) == (
        "in_transit",
        "completed",
        "driver",
    )
    assert completed["driver_user_id"] == str(driver.user_id)
    assert completed["parcels"] == {"at_station": 1, "delivered": 1, "returned": 1}

    r = await act(client, driver, run_id, "finish")
    assert r.status_code == 409
    r = await client.post(f"/v1/delivery/runs/{run_id}/stops/1/arrive", headers=driver.headers)
    assert r.status_code == 409
    assert len(await run_events(run_id)) == 2


async def test_the_dispatcher_cancels_a_run_that_has_not_left_and_plans_its_parcels_again(
    client, county
):
    day = await planned_day(client, county, [parcel(), parcel()])
    op, driver, run_id = county.operator, day.driver, day.run["id"]
    r = await client.get(f"/v1/delivery/runs/{run_id}", headers=op.headers)
    assert r.json()["allowed_actions"] == ["assign", "cancel", "start"]
    r = await client.get(f"/v1/delivery/runs/{run_id}", headers=driver.headers)
    assert r.json()["allowed_actions"] == ["start"]

    r = await act(client, driver, run_id, "cancel", reason="车坏了")
    assert r.status_code == 403
    r = await act(client, op, run_id, "cancel")
    assert r.status_code == 422
    r = await act(client, op, run_id, "cancel", reason="车辆故障，改派")
    assert r.status_code == 200, r.text
    cancelled = r.json()
    assert cancelled["status"] == "cancelled" and cancelled["parcels"] == {}
    step = cancelled["history"][-1]
    assert (step["action"], step["actor_role"], step["reason"]) == (
        "cancel",
        "dispatcher",
        "车辆故障，改派",
    )
    assert [t for t, _ in await run_events(run_id)] == ["delivery.run.cancelled"]
    assert (await act(client, driver, run_id, "start")).status_code == 409
    waiting = await station_parcels(client, day.li)
    assert [(p["run_id"], p["status"]) for p in waiting] == [(None, "registered")] * 2

    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=op.headers,
    )
    [again] = r.json()["runs"]
    assert again["trip"] == 2 and again["weight_g"] == 2_000
    r = await client.get(f"/v1/delivery/runs/{again['id']}/pick-list", headers=driver.headers)
    assert sorted(p["id"] for p in r.json()) == sorted(p["id"] for p in day.parcels)


async def test_a_driver_sees_and_moves_only_the_runs_assigned_to_them(client, county, admin):
    day = await planned_day(client, county, [parcel()])
    run_id = day.run["id"]
    other_driver = await add_member(client, county.operator, ["driver"])
    other_county = await new_county(client, admin)

    for who in (other_driver, day.li, other_county.operator):
        assert (
            await client.get(f"/v1/delivery/runs/{run_id}", headers=who.headers)
        ).status_code == 404
        for action in ("start", "finish"):
            assert (await act(client, who, run_id, action)).status_code == 404
        assert (await act(client, who, run_id, "cancel", reason="x")).status_code == 404
    r = await client.get("/v1/delivery/runs/mine", headers=other_driver.headers)
    assert r.json()["items"] == []

    day_runs = {"region_id": str(county.region_id), "delivery_date": DAY.isoformat()}
    for who in (day.driver, day.li, other_county.operator):
        r = await client.get("/v1/delivery/runs", params=day_runs, headers=who.headers)
        assert r.status_code == 403
    r = await client.get("/v1/delivery/runs", params=day_runs, headers=county.operator.headers)
    assert [x["id"] for x in r.json()["items"]] == [run_id]
    # nothing moved
    r = await client.get(f"/v1/delivery/runs/{run_id}", headers=day.driver.headers)
    assert r.json()["status"] == "planned" and len(r.json()["history"]) == 1


async def test_arriving_at_the_first_stop_starts_the_run_and_loads_its_parcels(client, county):
    day = await planned_day(client, county, [parcel()])
    [only] = day.parcels
    r = await client.post(
        f"/v1/delivery/runs/{day.run['id']}/stops/{only['stop_sequence']}/arrive",
        headers=day.driver.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["run"]["status"] == "in_transit"
    r = await client.get(f"/v1/delivery/runs/{day.run['id']}", headers=day.driver.headers)
    assert r.json()["parcels"] == {"in_transit": 1}
    assert [s["action"] for s in r.json()["history"]] == ["plan", "start"]
    r = await client.post(
        f"/v1/delivery/parcels/{only['id']}/deliver",
        data={"recipient_name": "李四"},
        headers=day.driver.headers,
    )
    assert r.status_code == 200, r.text
    assert (await act(client, day.driver, day.run["id"], "finish")).status_code == 200


async def test_a_reassignment_is_in_the_history_but_not_published(client, county):
    day = await planned_day(client, county, [parcel()])
    stand_in = await add_member(client, county.operator, ["driver"])
    r = await act(
        client, county.operator, day.run["id"], "assign", driver_user_id=str(stand_in.user_id)
    )
    assert r.status_code == 200, r.text
    step = r.json()["history"][-1]
    assert (step["action"], step["from_status"], step["to_status"]) == (
        "assign",
        "planned",
        "planned",
    )
    assert str(stand_in.user_id) in step["reason"]
    assert await run_events(day.run["id"]) == []
    # the previous driver no longer sees it at all
    r = await client.get(f"/v1/delivery/runs/{day.run['id']}", headers=day.driver.headers)
    assert r.status_code == 404


async def test_a_collection_run_is_finished_by_its_driver(client, county):
    from tests.delivery.test_trips import stop, vehicle

    farm = await stop(client, county, "farm", "金银花基地", 35.1, 114.4)
    truck = await vehicle(client, county, 1_000_000)
    driver = await add_member(client, county.operator, ["driver"])
    r = await client.post(
        "/v1/delivery/runs/collection",
        json={
            "region_id": str(county.region_id),
            "collection_date": DAY.isoformat(),
            "vehicle_id": truck,
            "driver_user_id": str(driver.user_id),
            "stop_ids": [farm],
        },
        headers=county.operator.headers,
    )
    run_id = r.json()["run"]["id"]
    r = await client.post(
        f"/v1/delivery/runs/{run_id}/stops/1/pickup",
        json={"weight_g": 50_000},
        headers=driver.headers,
    )
    assert r.status_code == 200 and r.json()["run"]["status"] == "in_transit"
    r = await act(client, driver, run_id, "finish")
    assert r.status_code == 200, r.text
    assert [s["action"] for s in r.json()["history"]] == ["plan", "start", "finish"]
    assert [t for t, _ in await run_events(run_id)] == [
        "delivery.run.started",
        "delivery.run.completed",
    ]
    r = await client.post(
        f"/v1/delivery/runs/{run_id}/stops/1/pickup", json={"weight_g": 1}, headers=driver.headers
    )
    assert r.status_code == 409


async def test_a_start_racing_another_start_of_the_run_is_refused_once_the_other_commits(
    client, county
):
    day = await planned_day(client, county, [parcel(), parcel()])
    run_id = day.run["id"]
    async with sessionmaker_for(kernel)() as other:
        # the other tap has moved the run and not yet committed
        await other.execute(
            text("UPDATE delivery.runs SET status = 'in_transit' WHERE id = :id"), {"id": run_id}
        )
        tap = asyncio.create_task(act(client, day.driver, run_id, "start"))
        await asyncio.sleep(0.5)
        assert not tap.done()
        await other.commit()
    r = await tap
    assert r.status_code == 409 and r.json()["allowed_actions"] == ["finish"]
    r = await client.get(f"/v1/delivery/runs/{run_id}", headers=day.driver.headers)
    # this tap loaded nothing and recorded nothing
    assert [s["action"] for s in r.json()["history"]] == ["plan"]
    assert r.json()["parcels"] == {"registered": 2}
    assert await run_events(run_id) == []
