"""Stations and rural shops place bulk orders: every rule checked at once, all or nothing."""

from __future__ import annotations

import re
import uuid

from tests.factories import eventually, new_county
from tests.repository.factories import R, deliver, new_buyer, new_supplier, published, supply
from tests.repository.order_factories import (
    buyer_with,
    lines,
    order_of,
    orders_of_buyer,
    place,
    placed,
    stock_of,
    stocked_offer,
    verify,
)

PROBLEMS = "https://county-market.dev/problems/"


async def delist(client, county, variant_id: str) -> None:
    """catalog delists the product: the repository stops selling it at once."""
    r = await client.get(f"{R}/variants/{variant_id}", headers=county.operator.headers)
    variant = r.json()
    deliver(
        "catalog.product.delisted",
        {
            "product_id": variant["product_id"],
            "region_id": str(county.region_id),
            "supplier_id": variant["supplier_id"],
            "reason": "资质过期",
        },
        county.region_id,
    )

    async def gone() -> bool:
        r = await client.get(f"{R}/variants/{variant_id}", headers=county.operator.headers)
        return r.json()["listed"] is False

    await eventually(gone)


async def test_station_places_an_order_priced_by_tier_with_its_stock_reserved(client, county):
    honey, warehouse = await stocked_offer(
        client,
        county,
        20,
        price_tiers=[{"min_cases": 1, "price_fen": 36000}, {"min_cases": 5, "price_fen": 34000}],
    )
    flour = await supply(client, county, price_tiers=[{"min_cases": 1, "price_fen": 9000}])
    station = await buyer_with(client, county, "card")

    order = await placed(
        client, station, lines((honey, 6), (flour, 2)), method="card", note="周五前送到"
    )

    assert order["status"] == "placed"
    assert re.fullmatch(r"FQ-\d{8}-\d{6}", order["number"])
    assert [(li["cases"], li["unit_price_fen"], li["amount_fen"]) for li in order["lines"]] == [
        (6, 34000, 204000),
        (2, 9000, 18000),
    ]
    assert order["total_fen"] == 222000
    assert order["reserved_until"] is not None
    assert [t["to_status"] for t in order["transitions"]] == ["placed"]
    assert "cancel" in order["allowed_actions"]

    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert (level["on_hand"], level["reserved"], level["available"]) == (20, 6, 14)
    assert (await verify(client, county, warehouse["id"]))["consistent"] is True

    [event] = await published("repository.order.placed", order_id=order["id"])
    assert event == {
        "order_id": order["id"],
        "buyer_org_id": str(station.org_id),
        "region_id": str(county.region_id),
        "total_fen": 222000,
        "payment_method": "card",
        "lines": [
            {
                "line_id": line["id"],
                "variant_id": line["variant_id"],
                "supplier_id": line["supplier_id"],
                "quantity": line["cases"],
                "unit_price_fen": line["unit_price_fen"],
                "amount_fen": line["amount_fen"],
            }
            for line in order["lines"]
        ],
    }

    r = await client.get(f"{R}/orders/{order['id']}", headers=station.headers)
    assert r.status_code == 200
    assert r.json()["number"] == order["number"]
    again = await client.get(
        f"{R}/orders/{order['id']}", headers={**station.headers, "If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304


async def test_every_broken_rule_is_named_at_once_and_nothing_is_placed(client, admin, county):
    honey, warehouse = await stocked_offer(client, county, 8, min_order_cases=2, multiple_cases=2)
    paused, _ = await stocked_offer(client, county, 10, warehouse=warehouse)
    shops_only = await supply(client, county, buyer_kinds=["retailer"])
    elsewhere = await new_county(client, admin, name="长垣市")
    far = await supply(client, elsewhere)
    r = await client.post(
        f"{R}/offers/{paused['id']}/pause", json={}, headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    delisted = await supply(client, county)
    await delist(client, county, delisted["variant_id"])
    station = await buyer_with(client, county, "card")

    r = await place(
        client,
        station,
        [
            {"offer_id": honey["id"], "cases": 3},  # not a multiple of 2
            {"offer_id": honey["id"], "cases": 1},  # below MOQ and not a multiple
            {"offer_id": honey["id"], "cases": 10},  # more than the 8 on the shelf
            {"offer_id": paused["id"], "cases": 1},  # paused by its supplier
            {"offer_id": shops_only["id"], "cases": 1},  # open to shops only
            {"offer_id": far["id"], "cases": 1},  # another county's offer
            {"offer_id": str(uuid.uuid4()), "cases": 1},  # no such offer
            {"offer_id": delisted["id"], "cases": 1},  # catalog delisted the product
        ],
        method="cod",  # not among the station's payment methods
    )

    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == PROBLEMS + "repository-order-rejected"
    found = {(e["field"], e["code"]) for e in problem["errors"]}
    assert found == {
        ("lines.0.cases", "not_a_multiple"),
        ("lines.1.cases", "below_minimum_order"),
        ("lines.1.cases", "not_a_multiple"),
        ("lines.2.cases", "insufficient_stock"),
        ("lines.3.offer_id", "offer_not_selling"),
        ("lines.4.offer_id", "offer_not_available"),
        ("lines.5.offer_id", "offer_not_available"),
        ("lines.6.offer_id", "offer_not_available"),
        ("lines.7.offer_id", "offer_not_selling"),
        ("payment_method", "payment_method_not_allowed"),
    }
    assert all(e["message"] for e in problem["errors"])
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert "8" in messages["lines.2.cases"]

    assert await orders_of_buyer(station.org_id) == 0
    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert (level["on_hand"], level["reserved"]) == (8, 0)
    assert await published("repository.order.placed", buyer_org_id=station.org_id) == []

    # Malformed orders never reach the rules.
    for body in (
        {"payment_method": "card", "lines": []},
        {"payment_method": "card", "lines": [{"offer_id": honey["id"], "cases": 0}]},
        {"payment_method": "barter", "lines": [{"offer_id": honey["id"], "cases": 2}]},
        {
            "payment_method": "card",
            "from_cart": True,
            "lines": [{"offer_id": honey["id"], "cases": 2}],
        },
    ):
        r = await client.post(
            f"{R}/orders",
            json=body,
            headers={**station.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert r.status_code == 422, body
    assert await orders_of_buyer(station.org_id) == 0


async def test_credit_orders_stop_at_the_credit_limit(client, county):
    offer = await supply(client, county, price_tiers=[{"min_cases": 1, "price_fen": 50000}])
    shop = await new_buyer(
        client,
        county,
        "retailer",
        payment_methods=["credit", "card"],
        credit_limit_fen=120000,
        terms_days=30,
    )

    first = await placed(client, shop, lines((offer, 2)), method="credit")
    assert first["total_fen"] == 100000

    r = await place(client, shop, lines((offer, 1)), method="credit")
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
        ("payment_method", "credit_limit_exceeded")
    ]
    # The same goods paid by card are fine.
    assert (await placed(client, shop, lines((offer, 1)), method="card"))["status"] == "placed"
    assert await orders_of_buyer(shop.org_id) == 2


async def test_only_stations_and_shops_with_an_account_order(client, county):
    offer = await supply(client, county)
    supplier = await new_supplier(client, county)
    for outsider in (supplier, county.operator):
        r = await place(client, outsider, lines((offer, 1)))
        assert r.status_code == 403, r.text
        assert r.json()["type"] == PROBLEMS + "repository-not-a-buyer"


async def test_a_retry_with_the_same_key_answers_with_the_same_order(client, county):
    honey, warehouse = await stocked_offer(client, county, 10)
    station = await buyer_with(client, county, "card")
    key = uuid.uuid4().hex

    first = await place(client, station, lines((honey, 3)), key=key)
    assert first.status_code == 201, first.text
    replay = await place(client, station, lines((honey, 3)), key=key)
    assert replay.status_code == 201
    assert replay.headers.get("idempotent-replayed") == "true"
    assert replay.json()["id"] == first.json()["id"]
    assert replay.json()["number"] == first.json()["number"]

    changed = await place(client, station, lines((honey, 4)), key=key)
    assert changed.status_code == 422
    assert changed.json()["type"] == PROBLEMS + "idempotency-key-reused"

    assert await orders_of_buyer(station.org_id) == 1
    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert level["reserved"] == 3
    assert len(await published("repository.order.placed", order_id=first.json()["id"])) == 1


async def test_cart_shows_prices_and_problems_and_places_in_one_go(client, county):
    honey, warehouse = await stocked_offer(
        client,
        county,
        4,
        price_tiers=[{"min_cases": 1, "price_fen": 36000}, {"min_cases": 3, "price_fen": 35000}],
    )
    flour = await supply(client, county, min_order_cases=5)
    station = await buyer_with(client, county, "card", "cod")

    r = await client.put(
        f"{R}/cart/lines/{honey['id']}", json={"cases": 3}, headers=station.headers
    )
    assert r.status_code == 200, r.text
    r = await client.put(
        f"{R}/cart/lines/{flour['id']}", json={"cases": 2}, headers=station.headers
    )
    cart = r.json()
    by_offer = {line["offer_id"]: line for line in cart["lines"]}
    assert by_offer[honey["id"]]["unit_price_fen"] == 35000
    assert by_offer[honey["id"]]["available_cases"] == 4
    assert by_offer[honey["id"]]["problems"] == []
    assert [p["code"] for p in by_offer[flour["id"]]["problems"]] == ["below_minimum_order"]

    r = await client.post(
        f"{R}/orders",
        json={"payment_method": "cod", "from_cart": True},
        headers={**station.headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["lines.1.cases"]

    r = await client.put(
        f"{R}/cart/lines/{flour['id']}", json={"cases": 5}, headers=station.headers
    )
    assert r.json()["lines"][1]["problems"] == []
    r = await client.put(
        f"{R}/cart/lines/{str(uuid.uuid4())}", json={"cases": 1}, headers=station.headers
    )
    assert r.status_code == 404

    r = await client.post(
        f"{R}/orders",
        json={"payment_method": "cod", "from_cart": True},
        headers={**station.headers, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert r.status_code == 201, r.text
    order = r.json()
    # Cash on delivery: confirmed when placed, its stock held until delivery.
    assert order["status"] == "confirmed"
    assert order["reserved_until"] is None
    assert [t["action"] for t in order["transitions"]] == ["place", "confirm"]
    assert len(order["lines"]) == 2
    assert (await client.get(f"{R}/cart", headers=station.headers)).json()["lines"] == []
    assert (await stock_of(client, county, warehouse["id"], honey["variant_id"]))["reserved"] == 3
    assert await published("repository.order.confirmed", order_id=order["id"])

    r = await client.delete(f"{R}/cart/lines/{flour['id']}", headers=station.headers)
    assert r.status_code == 404


async def test_buyers_see_their_own_orders_and_the_operator_sees_the_region(client, county):
    offer = await supply(client, county)
    station = await buyer_with(client, county, "card")
    shop = await new_buyer(client, county, "retailer", payment_methods=["card"])
    mine = await placed(client, station, lines((offer, 1)))
    theirs = await placed(client, shop, lines((offer, 2)))

    r = await client.get(f"{R}/orders", headers=station.headers)
    assert [o["id"] for o in r.json()["items"]] == [mine["id"]]
    r = await client.get(f"{R}/orders/{theirs['id']}", headers=station.headers)
    assert r.status_code == 404
    r = await client.post(
        f"{R}/orders/{theirs['id']}/cancel", json={"reason": "不要了"}, headers=station.headers
    )
    assert r.status_code == 404

    r = await client.get(
        f"{R}/orders",
        params={"region_id": str(county.region_id), "limit": 1},
        headers=county.operator.headers,
    )
    page = r.json()
    assert [o["id"] for o in page["items"]] == [theirs["id"]]
    r = await client.get(
        f"{R}/orders",
        params={"region_id": str(county.region_id), "cursor": page["next_cursor"]},
        headers=county.operator.headers,
    )
    assert [o["id"] for o in r.json()["items"]] == [mine["id"]]
    r = await client.get(
        f"{R}/orders",
        params={"status": "placed", "window_date": mine["window_date"]},
        headers=county.operator.headers,
    )
    assert {o["id"] for o in r.json()["items"]} == {mine["id"], theirs["id"]}
    assert (await order_of(client, county.operator, mine["id"]))["line_count"] == 1
