"""Suppliers answer their purchase orders and the county warehouse receives the goods;
what does not come is shared out by the fair rule (purchasing/allocation.py: shares in
proportion to what each line still waits for, rounded down, the cases left over one
each by largest remainder, ties to the earlier order) and each cut is published."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import Actor, County, new_county
from tests.repository.factories import R, new_supplier, published, supply
from tests.repository.order_factories import new_warehouse, order_of, stock_of
from tests.repository.purchasing_stories import (
    back_then,
    consolidate,
    order_in_window,
    purchase_orders,
    station_on_a_route,
)

PROBLEMS = "https://county-market.dev/problems/"
HONEY_FEN = 36000


@dataclass
class Story:
    county: County
    honey_supplier: Actor
    celery_supplier: Actor
    honey: dict
    celery: dict
    warehouse: dict
    orders: list[dict]
    honey_po: dict
    celery_po: dict


async def honey_for_three_stations(client, county: County) -> Story:
    """Honey ordered 10 / 6 / 4 cases by three stations, a minute apart; the first
    station also orders celery from another supplier. Consolidated."""
    warehouse = await new_warehouse(client, county)
    honey_supplier = await new_supplier(client, county, "封丘县金银花种植合作社")
    celery_supplier = await new_supplier(client, county, "应举镇芹菜家庭农场")
    honey = await supply(
        client, county, honey_supplier, price_tiers=[{"min_cases": 1, "price_fen": HONEY_FEN}]
    )
    celery = await supply(
        client,
        county,
        celery_supplier,
        product={"name": "封芹", "net_weight_g": 1000, "volume_cm3": 3000},
        price_tiers=[{"min_cases": 1, "price_fen": 5000}],
    )
    stations = [await station_on_a_route(client, county, f"村站{i}") for i in (1, 2, 3)]
    orders = [
        await order_in_window(stations[0], back_then(minute=0), (honey, 10), (celery, 2)),
        await order_in_window(stations[1], back_then(minute=1), (honey, 6)),
        await order_in_window(stations[2], back_then(minute=2), (honey, 4)),
    ]
    story = Story(county, honey_supplier, celery_supplier, honey, celery, warehouse, orders, {}, {})
    await consolidate(client, county, orders[0]["window_date"])
    [story.honey_po] = await purchase_orders(client, honey_supplier)
    [story.celery_po] = await purchase_orders(client, celery_supplier)
    return story


def honey_line(order: dict) -> dict:
    return next(li for li in order["lines"] if li["fulfilment"] == "to_order" and li["cases"] != 2)


async def test_a_partial_confirmation_shortens_the_waiting_orders_fairly_at_once(client, county):
    s = await honey_for_three_stations(client, county)
    assert s.honey_po["lines"][0]["ordered_cases"] == 20

    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/confirm",
        json={"lines": [{"variant_id": s.honey["variant_id"], "confirmed_cases": 15}]},
        headers=s.honey_supplier.headers,
    )

    assert r.status_code == 200, r.text
    po = r.json()
    assert po["status"] == "partially_confirmed"
    assert po["lines"][0]["confirmed_cases"] == 15
    assert po["allowed_actions"] == ["receive", "ship"]
    # 15 of 20: shares 7.5, 4.5, 3 -> 7, 4, 3 and the left-over case to the earlier of
    # the two equal remainders: 8, 4, 3; so 2, 2 and 1 cases are cut now.
    shortened = []
    for order, cut in zip(s.orders, (2, 2, 1), strict=True):
        seen = await order_of(client, county.operator, order["id"])
        assert seen["status"] == "purchased"
        assert honey_line(seen)["shortened_cases"] == cut
        [event] = await published("repository.order.line_shortened", order_id=order["id"])
        shortened.append(event)
        assert event == {
            "order_id": order["id"],
            "line_id": honey_line(seen)["id"],
            "variant_id": s.honey["variant_id"],
            "supplier_id": str(s.honey_supplier.org_id),
            "quantity_shortened": cut,
            "amount_fen": cut * HONEY_FEN,
        }
    assert sum(e["quantity_shortened"] for e in shortened) == 5
    # the supplier will be paid for the 15 cases it confirmed, not the 20 ordered
    assert po["total_cost_fen"] == s.honey_po["total_cost_fen"] - 5 * HONEY_FEN
    [confirmed] = await published(
        "repository.purchase_order.partially_confirmed", purchase_order_id=s.honey_po["id"]
    )
    assert confirmed["action"] == "confirm_partly"

    # answered once: a second confirmation is refused
    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/confirm",
        json={"lines": []},
        headers=s.honey_supplier.headers,
    )
    assert r.status_code == 409
    assert r.json()["type"] == PROBLEMS + "invalid-transition"


async def test_receipt_with_rejects_shares_the_shortage_fairly_and_readies_the_orders(
    client, county
):
    s = await honey_for_three_stations(client, county)
    supplier, operator = s.honey_supplier.headers, county.operator.headers
    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/confirm",
        json={"lines": [{"variant_id": s.honey["variant_id"], "confirmed_cases": 15}]},
        headers=supplier,
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"{R}/purchase-orders/{s.honey_po['id']}/ship", headers=supplier)
    assert (r.status_code, r.json()["status"]) == (200, "shipped")

    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/receipt",
        json={
            "lines": [
                {
                    "variant_id": s.honey["variant_id"],
                    "accepted_cases": 12,
                    "rejected_cases": 2,
                    "reason": "2 箱受潮发霉",
                }
            ]
        },
        headers=operator,
    )

    assert r.status_code == 200, r.text
    po = r.json()
    assert po["status"] == "received"
    assert (po["lines"][0]["accepted_cases"], po["lines"][0]["rejected_cases"]) == (12, 2)
    assert po["lines"][0]["rejection_reason"] == "2 箱受潮发霉"
    # 12 accepted over what the lines still wait for (8, 4, 3 of 15): 6.4, 3.2, 2.4 ->
    # 6, 3, 2 and the left-over case to the earlier of the equal remainders (first order).
    expected = {0: (7, 3), 1: (3, 3), 2: (2, 2)}
    for index, (allocated, shortened) in expected.items():
        seen = await order_of(client, county.operator, s.orders[index]["id"])
        line = honey_line(seen)
        assert (line["allocated_cases"], line["shortened_cases"]) == (allocated, shortened)
        events = await published("repository.order.line_shortened", order_id=seen["id"])
        assert [e["quantity_shortened"] for e in events] == [
            (2, 2, 1)[index],
            shortened - (2, 2, 1)[index],
        ]
        assert sum(e["amount_fen"] for e in events) == shortened * HONEY_FEN
    first, second, third = [await order_of(client, county.operator, o["id"]) for o in s.orders]
    # the first order still waits for its celery; the others are complete
    assert first["status"] == "received"
    assert second["status"] == third["status"] == "ready_for_delivery"
    [ready] = await published("repository.order.ready_for_delivery", order_id=second["id"])
    assert ready["cod_amount_fen"] == 3 * HONEY_FEN
    assert ready["parcels"] == [
        {"weight_g": 3 * 12 * 250, "volume_cm3": 3 * 12 * 600, "chilled": False}
    ]
    [received] = await published(
        "repository.purchase_order.received", purchase_order_id=s.honey_po["id"]
    )
    assert received == {
        "purchase_order_id": s.honey_po["id"],
        "supplier_id": str(s.honey_supplier.org_id),
        "region_id": str(county.region_id),
        "lines": [
            {
                "variant_id": s.honey["variant_id"],
                "accepted": 12,
                "rejected": 2,
                "unit_cost_fen": HONEY_FEN,
            }
        ],
        "accepted_amount_fen": 12 * HONEY_FEN,
    }
    # the accepted cases came into the county warehouse; the ready orders' went out
    level = await stock_of(client, county, s.warehouse["id"], s.honey["variant_id"])
    assert (level["on_hand"], level["reserved"], level["available"]) == (7, 7, 0)

    # the celery arrives in full: the first order is complete too
    r = await client.post(
        f"{R}/purchase-orders/{s.celery_po['id']}/confirm",
        json={"lines": []},
        headers=s.celery_supplier.headers,
    )
    assert r.json()["status"] == "confirmed"
    r = await client.post(
        f"{R}/purchase-orders/{s.celery_po['id']}/receipt",
        json={"lines": [{"variant_id": s.celery["variant_id"], "accepted_cases": 2}]},
        headers=operator,
    )
    assert r.status_code == 200, r.text
    first = await order_of(client, county.operator, s.orders[0]["id"])
    assert first["status"] == "ready_for_delivery"
    [ready] = await published("repository.order.ready_for_delivery", order_id=first["id"])
    assert ready["cod_amount_fen"] == 7 * HONEY_FEN + 2 * 5000
    assert sorted(p["weight_g"] for p in ready["parcels"]) == sorted([7 * 12 * 250, 2 * 12 * 1000])


async def test_a_receipt_is_booked_once_and_impossible_numbers_change_nothing(client, county):
    s = await honey_for_three_stations(client, county)
    po_path = f"{R}/purchase-orders/{s.honey_po['id']}"
    operator = county.operator.headers
    honey = s.honey["variant_id"]

    r = await client.post(
        f"{po_path}/receipt",
        json={"lines": [{"variant_id": honey, "accepted_cases": 20}]},
        headers=operator,
    )
    assert r.status_code == 409  # not confirmed by the supplier yet
    assert r.json()["type"] == PROBLEMS + "invalid-transition"
    r = await client.post(
        f"{po_path}/confirm", json={"lines": []}, headers=s.honey_supplier.headers
    )
    assert r.json()["status"] == "confirmed"

    for lines, field, code in [
        ([{"variant_id": honey, "accepted_cases": 18, "rejected_cases": 3, "reason": "破损"}],
         "lines.0.accepted_cases", "more_than_confirmed"),
        ([{"variant_id": honey, "accepted_cases": 18, "rejected_cases": 2}],
         "lines.0.reason", "reason_required"),
        ([{"variant_id": s.celery["variant_id"], "accepted_cases": 1}],
         "lines.0.variant_id", "unknown"),
        ([{"variant_id": honey, "accepted_cases": 1}, {"variant_id": honey, "accepted_cases": 1}],
         "lines.1.variant_id", "duplicate"),
    ]:  # fmt: skip
        r = await client.post(f"{po_path}/receipt", json={"lines": lines}, headers=operator)
        assert r.status_code == 422, r.text
        assert r.json()["type"] == PROBLEMS + "repository-bad-quantities"
        assert {"field": field, "code": code} in [
            {"field": e["field"], "code": e["code"]} for e in r.json()["errors"]
        ], r.json()
    r = await client.post(
        f"{po_path}/receipt",
        json={"lines": [{"variant_id": honey, "accepted_cases": -1}]},
        headers=operator,
    )
    assert r.status_code == 422
    # nothing was booked by the refused receipts
    r = await client.get(po_path, headers=operator)
    assert r.json()["status"] == "confirmed"
    assert r.json()["lines"][0]["accepted_cases"] == 0
    assert (
        await published("repository.purchase_order.received", purchase_order_id=s.honey_po["id"])
        == []
    )
    level = await stock_of(client, county, s.warehouse["id"], honey)
    assert level["on_hand"] == 0

    # the supplier cannot book its own goods in; a station does not even see the PO
    body = {"lines": [{"variant_id": honey, "accepted_cases": 20}]}
    r = await client.post(f"{po_path}/receipt", json=body, headers=s.honey_supplier.headers)
    assert r.status_code == 403
    station = await station_on_a_route(client, county, "旁观村站")
    r = await client.post(f"{po_path}/receipt", json=body, headers=station.headers)
    assert r.status_code == 404

    r = await client.post(f"{po_path}/receipt", json=body, headers=operator)
    assert r.status_code == 200, r.text
    r = await client.post(f"{po_path}/receipt", json=body, headers=operator)
    assert r.status_code == 409
    assert r.json()["type"] == PROBLEMS + "repository-purchase-order-received"
    assert (
        len(
            await published(
                "repository.purchase_order.received", purchase_order_id=s.honey_po["id"]
            )
        )
        == 1
    )
    for order in s.orders[1:]:
        seen = await order_of(client, county.operator, order["id"])
        assert seen["status"] == "ready_for_delivery"
        assert honey_line(seen)["shortened_cases"] == 0


async def test_suppliers_see_and_answer_only_their_own_purchase_orders(client, admin, county):
    s = await honey_for_three_stations(client, county)
    other_supplier = s.celery_supplier

    mine = await purchase_orders(client, other_supplier)
    assert [p["id"] for p in mine] == [s.celery_po["id"]]
    r = await client.get(f"{R}/purchase-orders/{s.honey_po['id']}", headers=other_supplier.headers)
    assert r.status_code == 404
    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/confirm",
        json={"lines": []},
        headers=other_supplier.headers,
    )
    assert r.status_code == 404
    # the region's operator sees both, filtered by window and status, but cannot confirm
    seen = await purchase_orders(
        client, county.operator, window_date=s.orders[0]["window_date"], status="sent"
    )
    assert sorted(p["id"] for p in seen) == sorted([s.honey_po["id"], s.celery_po["id"]])
    assert await purchase_orders(client, county.operator, status="received") == []
    r = await client.get(
        f"{R}/purchase-orders", params={"status": "lost"}, headers=county.operator.headers
    )
    assert r.status_code == 422
    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/confirm",
        json={"lines": []},
        headers=county.operator.headers,
    )
    assert r.status_code == 403
    # another county's operator sees none of it
    elsewhere = await new_county(client, admin)
    assert await purchase_orders(client, elsewhere.operator) == []
    r = await client.get(
        f"{R}/purchase-orders/{s.honey_po['id']}", headers=elsewhere.operator.headers
    )
    assert r.status_code == 404

    # confirming more than was ordered, or a variant not on the order, changes nothing
    r = await client.post(
        f"{R}/purchase-orders/{s.honey_po['id']}/confirm",
        json={
            "lines": [
                {"variant_id": s.honey["variant_id"], "confirmed_cases": 21},
                {"variant_id": s.celery["variant_id"], "confirmed_cases": 1},
            ]
        },
        headers=s.honey_supplier.headers,
    )
    assert r.status_code == 422
    assert [e["code"] for e in r.json()["errors"]] == ["more_than_ordered", "unknown"]
    r = await client.get(
        f"{R}/purchase-orders/{s.honey_po['id']}", headers=s.honey_supplier.headers
    )
    assert (r.json()["status"], r.json()["lines"][0]["confirmed_cases"]) == ("sent", None)


async def test_an_order_whose_every_line_was_shortened_is_cancelled(client, county):
    raspberry_farm = await new_supplier(client, county, "封丘树莓家庭农场")
    raspberry = await supply(
        client,
        county,
        raspberry_farm,
        product={"name": "封丘树莓 鲜果", "storage": "chilled"},
        price_tiers=[{"min_cases": 1, "price_fen": 12000}],
    )
    station = await station_on_a_route(client, county, "树莓村站")
    order = await order_in_window(station, back_then(), (raspberry, 5))
    await consolidate(client, county, order["window_date"])
    [po] = await purchase_orders(client, raspberry_farm)

    r = await client.post(
        f"{R}/purchase-orders/{po['id']}/confirm",
        json={"lines": [{"variant_id": raspberry["variant_id"], "confirmed_cases": 0}]},
        headers=raspberry_farm.headers,
    )

    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    seen = await order_of(client, county.operator, order["id"])
    assert seen["status"] == "cancelled"
    assert seen["lines"][0]["shortened_cases"] == 5
    [cut] = await published("repository.order.line_shortened", order_id=order["id"])
    assert (cut["quantity_shortened"], cut["amount_fen"]) == (5, 5 * 12000)
    [cancelled] = await published("repository.order.cancelled", order_id=order["id"])
    assert cancelled["buyer_org_id"] == str(station.org_id)
