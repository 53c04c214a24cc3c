"""A window consolidated again: the cut-off was moved later on a day whose window had
already been consolidated, bought and received. The new orders of that window go on a
new purchase order (round 2) and are bought like the others; none is cancelled as
"every line was shortened" for goods nobody ordered."""

from __future__ import annotations

from datetime import timedelta

from tests.repository.factories import R, new_supplier, published, supply
from tests.repository.order_factories import new_warehouse, order_of
from tests.repository.purchasing_stories import (
    back_then,
    consolidate,
    order_in_window,
    purchase_orders,
    station_on_a_route,
)
from tests.repository.test_cutoff_windows import with_rules


async def test_orders_of_a_window_reopened_by_a_later_cutoff_reach_a_new_purchase_order(
    client, county
):
    await new_warehouse(client, county)
    farm = await new_supplier(client, county, "封丘县金银花种植合作社")
    honey = await supply(client, county, farm, price_tiers=[{"min_cases": 1, "price_fen": 36000}])
    station = await station_on_a_route(client, county, "村站1")
    await with_rules(client, county, cutoff_time="16:00")
    first = await order_in_window(station, back_then(), (honey, 4))
    await consolidate(client, county, first["window_date"])
    [po] = await purchase_orders(client, farm)
    r = await client.post(f"{R}/purchase-orders/{po['id']}/confirm", json={}, headers=farm.headers)
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{R}/purchase-orders/{po['id']}/receipt",
        json={"lines": [{"variant_id": honey["variant_id"], "accepted_cases": 4}]},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text

    # the county moves the cut-off later; an order at 17:00 that day joins the same window
    await with_rules(client, county, cutoff_time="20:00")
    late = await order_in_window(station, back_then() + timedelta(hours=8), (honey, 3))
    assert late["window_date"] == first["window_date"]
    run = await consolidate(client, county, first["window_date"])

    assert (run["status"], run["phase"], run["attempts"]) == ("done", "done", 2)
    assert run["orders_total"] == run["orders_done"] == 1  # only the new order this time
    assert run["suppliers_total"] == run["suppliers_done"] == 1
    pos = sorted(await purchase_orders(client, farm), key=lambda p: p["round_no"])
    assert [(p["round_no"], p["status"]) for p in pos] == [(1, "received"), (2, "sent")]
    assert pos[1]["window_date"] == first["window_date"]
    assert {li["variant_id"]: li["ordered_cases"] for li in pos[1]["lines"]} == {
        honey["variant_id"]: 3
    }
    seen = await order_of(client, county.operator, late["id"])
    assert seen["status"] == "purchased"
    assert seen["lines"][0]["shortened_cases"] == 0
    assert not await published("repository.order.line_shortened", order_id=late["id"])
    assert (await order_of(client, county.operator, first["id"]))["status"] == "ready_for_delivery"
