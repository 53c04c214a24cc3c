"""Centralized purchasing (集采): a closed window is consolidated into one purchase order
per supplier, stocked lines take their held stock, and running it again (or after a
crash half-way) neither buys twice nor forgets anything."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.repository.purchasing import consolidation, tasks
from shared.tasks import celery_app
from tests.factories import eventually, new_county
from tests.repository.factories import R, published
from tests.repository.order_factories import order_of, stock_of
from tests.repository.purchasing_stories import (
    back_then,
    cases_by_variant,
    closed_window,
    consolidate,
    lines_per_purchase_order_line,
    order_in_window,
    purchase_orders,
    station_on_a_route,
)

PROBLEMS = "https://county-market.dev/problems/"


async def test_window_is_consolidated_into_one_purchase_order_per_supplier(client, county):
    w = await closed_window(client, county)

    run = await consolidate(client, county, w.window_date)

    assert (run["status"], run["attempts"]) == ("done", 1)
    assert (run["orders"], run["lines"], run["purchase_orders"]) == (3, 6, 2)
    operator = county.operator
    by_supplier = {p["supplier_id"]: p for p in await purchase_orders(client, operator)}
    assert set(by_supplier) == {str(w.supplier_a.org_id), str(w.supplier_b.org_id)}
    a, b = by_supplier[str(w.supplier_a.org_id)], by_supplier[str(w.supplier_b.org_id)]
    # to-order cases summed per variant; the unpaid order is not bought
    assert cases_by_variant(a) == {w.honey["variant_id"]: 16, w.raspberry["variant_id"]: 4}
    assert cases_by_variant(b) == {w.celery["variant_id"]: 3}
    assert a["status"] == b["status"] == "sent"
    window_date = date.fromisoformat(w.window_date)
    # expected at the county warehouse after the longest lead time among the PO's offers
    assert a["expected_arrival"] == (window_date + timedelta(days=2)).isoformat()
    assert b["expected_arrival"] == (window_date + timedelta(days=3)).isoformat()
    assert a["warehouse_id"] == b["warehouse_id"] == w.warehouse["id"]
    # the supplier is paid the order lines' prices: 10 x 340.00 + 6 x 360.00 for honey
    honey_line = next(li for li in a["lines"] if li["variant_id"] == w.honey["variant_id"])
    assert honey_line["unit_cost_fen"] == (10 * 34000 + 6 * 36000) // 16
    assert a["total_cost_fen"] == 10 * 34000 + 6 * 36000 + 4 * 12000
    assert b["total_cost_fen"] == 3 * 5000
    assert a["allowed_actions"] == ["confirm", "confirm_partly", "decline"]

    first, second, stocked_only = [await order_of(client, operator, o["id"]) for o in w.orders]
    assert first["status"] == second["status"] == "purchased"
    assert [t["to_status"] for t in first["transitions"]][-2:] == ["consolidated", "purchased"]
    stocked_line = next(li for li in first["lines"] if li["variant_id"] == w.stocked["variant_id"])
    assert stocked_line["allocated_cases"] == 5
    # an order of stocked goods only is ready for delivery at once, its goods picked
    assert stocked_only["status"] == "ready_for_delivery"
    assert (await order_of(client, operator, w.unpaid["id"]))["status"] == "placed"
    level = await stock_of(client, county, w.warehouse["id"], w.stocked["variant_id"])
    assert (level["on_hand"], level["reserved"]) == (38, 5)

    sent = await published("repository.purchase_order.sent", region_id=str(county.region_id))
    assert sorted(e["purchase_order_id"] for e in sent) == sorted([a["id"], b["id"]])
    [ready] = await published("repository.order.ready_for_delivery", order_id=stocked_only["id"])
    assert ready["station_org_id"] == str(w.stations[2].org_id)
    assert ready["payment_method"] == "cod"
    assert ready["cod_amount_fen"] == 2 * 8000
    assert ready["delivery_date"] == stocked_only["delivery_date"] is not None
    assert ready["parcels"] == [
        {"weight_g": 2 * 12 * 250, "volume_cm3": 2 * 12 * 600, "chilled": False}
    ]


async def test_consolidating_the_window_again_buys_nothing_twice(client, county):
    w = await closed_window(client, county)
    await consolidate(client, county, w.window_date)
    before = await purchase_orders(client, county.operator)

    again = await consolidate(client, county, w.window_date)

    assert (again["status"], again["attempts"], again["purchase_orders"]) == ("done", 2, 2)
    after = await purchase_orders(client, county.operator)
    assert sorted((p["id"], p["number"]) for p in after) == sorted(
        (p["id"], p["number"]) for p in before
    )
    assert sorted(map(cases_by_variant, after), key=str) == sorted(
        map(cases_by_variant, before), key=str
    )
    attached = await lines_per_purchase_order_line(county.region_id)
    assert sorted(attached.values()) == [1, 1, 2]  # honey twice, raspberry, celery
    sent = await published("repository.purchase_order.sent", region_id=str(county.region_id))
    assert len(sent) == 2
    [ready] = await published("repository.order.ready_for_delivery", order_id=w.orders[2]["id"])
    assert ready["order_id"] == w.orders[2]["id"]


async def test_a_crash_half_way_loses_no_purchase_order_and_makes_none_twice(
    client, county, monkeypatch
):
    w = await closed_window(client, county)
    real_step = consolidation.purchase_from_suppliers
    calls = []

    async def second_supplier_crashes(session, region_id, window_date, supplier_ids):
        calls.extend(supplier_ids)
        if len(calls) == 2:
            raise RuntimeError("worker lost half-way")
        return await real_step(session, region_id, window_date, supplier_ids)

    # one supplier per step (transaction), so that the crash comes between two suppliers
    monkeypatch.setattr(consolidation, "SUPPLIER_BATCH", 1)
    monkeypatch.setattr(consolidation, "purchase_from_suppliers", second_supplier_crashes)
    with pytest.raises(RuntimeError):
        await tasks.run_window(county.region_id, date.fromisoformat(w.window_date))
    monkeypatch.undo()

    [kept] = await purchase_orders(client, county.operator)
    assert kept["supplier_id"] == str(calls[0])
    r = await client.get(f"{w.path}/consolidation", headers=county.operator.headers)
    assert (r.json()["status"], r.json()["attempts"]) == ("running", 1)

    # the real worker runs the job again and finishes what the crash left
    celery_app.send_task(
        tasks.CONSOLIDATE_WINDOW, args=[str(county.region_id), w.window_date], queue="repository"
    )

    async def finished() -> dict | None:
        r = await client.get(f"{w.path}/consolidation", headers=county.operator.headers)
        return r.json() if r.json()["status"] == "done" else None

    run = await eventually(finished, timeout=60)
    assert (run["attempts"], run["purchase_orders"]) == (2, 2)
    by_supplier = {p["supplier_id"]: p for p in await purchase_orders(client, county.operator)}
    assert by_supplier[str(calls[0])]["id"] == kept["id"]
    assert cases_by_variant(by_supplier[str(w.supplier_a.org_id)]) == {
        w.honey["variant_id"]: 16,
        w.raspberry["variant_id"]: 4,
    }
    assert cases_by_variant(by_supplier[str(w.supplier_b.org_id)]) == {w.celery["variant_id"]: 3}
    assert sorted((await lines_per_purchase_order_line(county.region_id)).values()) == [1, 1, 2]
    sent = await published("repository.purchase_order.sent", region_id=str(county.region_id))
    assert len(sent) == 2
    for order in w.orders[:2]:
        assert (await order_of(client, county.operator, order["id"]))["status"] == "purchased"


async def test_an_open_window_waits_for_its_cutoff_and_only_the_operator_consolidates(
    client, admin, county
):
    w = await closed_window(client, county)
    station = w.stations[0]

    r = await client.post(f"{w.path}/consolidate", headers=station.headers)
    assert r.status_code == 403
    r = await client.post(f"{w.path}/consolidate", headers=w.supplier_a.headers)
    assert r.status_code == 403
    other = await new_county(client, admin)
    r = await client.post(f"{w.path}/consolidate", headers=other.operator.headers)
    assert r.status_code == 403

    tomorrow = date.today() + timedelta(days=1)
    r = await client.post(
        f"{R}/windows/{county.region_id}/{tomorrow.isoformat()}/consolidate",
        headers=county.operator.headers,
    )
    assert r.status_code == 409
    assert r.json()["type"] == PROBLEMS + "repository-window-open"
    # nothing was consolidated by the refused calls
    assert (await order_of(client, county.operator, w.orders[0]["id"]))["status"] == "confirmed"
    r = await client.get(f"{w.path}/consolidation", headers=county.operator.headers)
    assert r.status_code == 404


async def test_the_scheduled_job_consolidates_windows_whose_cutoff_passed(client, county):
    honey_supplier_window = await closed_window(client, county)
    station = await station_on_a_route(client, county, "新村站")
    yesterday = back_then(timedelta(days=1))
    recent = await order_in_window(station, yesterday, (honey_supplier_window.honey, 3))

    celery_app.send_task(tasks.CONSOLIDATE_DUE, queue="repository")

    purchased = await eventually(
        lambda: _status_is(client, county, recent["id"], "purchased"), timeout=60
    )
    assert purchased
    # the month-old window is past the job's horizon: it waits for the operator
    old = await order_of(client, county.operator, honey_supplier_window.orders[0]["id"])
    assert old["status"] == "confirmed"


async def _status_is(client, county, order_id: str, status: str) -> bool:
    return (await order_of(client, county.operator, order_id))["status"] == status
