"""The county sets how each station and shop may buy; buyers see their own account."""

from __future__ import annotations

import uuid

from tests.factories import eventually
from tests.repository.factories import R, deliver, new_buyer, published


async def test_operator_sets_terms_and_payments_is_told(client, county):
    station = await new_buyer(client, county, name="应举镇东村服务站")
    r = await client.put(
        f"{R}/buyers/{station.org_id}/terms",
        json={
            "payment_methods": ["credit", "cod", "card"],
            "credit_limit_fen": 500_000,
            "terms_days": 30,
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text

    r = await client.get(f"{R}/buyers/me", headers=station.headers)
    assert r.status_code == 200
    account = r.json()
    assert account["name"] == "应举镇东村服务站"
    assert account["payment_methods"] == ["card", "cod", "credit"]
    assert account["credit_limit_fen"] == 500_000
    assert account["credit_available_fen"] == 500_000
    assert account["terms_days"] == 30

    events = await published("repository.buyer.credit_terms_set", buyer_org_id=station.org_id)
    assert events == [
        {
            "buyer_org_id": str(station.org_id),
            "region_id": str(county.region_id),
            "credit_limit_fen": 500_000,
            "terms_days": 30,
        }
    ]

    # changing only payment methods tells payments nothing new
    r = await client.put(
        f"{R}/buyers/{station.org_id}/terms",
        json={"payment_methods": ["card"]},
        headers=county.operator.headers,
    )
    assert r.status_code == 200
    assert (
        len(await published("repository.buyer.credit_terms_set", buyer_org_id=station.org_id)) == 1
    )

    r = await client.get(
        f"{R}/buyers", params={"region_id": str(county.region_id)}, headers=county.operator.headers
    )
    assert str(station.org_id) in {b["org_id"] for b in r.json()["items"]}


async def test_buyers_cannot_set_terms_or_read_each_other(client, county):
    station = await new_buyer(client, county)
    shop = await new_buyer(client, county, "retailer")
    r = await client.put(
        f"{R}/buyers/{station.org_id}/terms",
        json={"credit_limit_fen": 99_999_999},
        headers=station.headers,
    )
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get(f"{R}/buyers/{station.org_id}", headers=shop.headers)
    assert r.status_code == 404
    r = await client.get(f"{R}/buyers/me", headers=county.operator.headers)
    assert r.status_code == 403
    r = await client.get(f"{R}/buyers/{station.org_id}", headers=station.headers)
    assert r.json()["credit_limit_fen"] == 0


async def test_bad_terms_are_refused_and_change_nothing(client, county):
    station = await new_buyer(client, county)
    for body in (
        {"payment_methods": ["bitcoin"]},
        {"credit_limit_fen": -1},
        {"terms_days": 365},
        {"payment_methods": []},
        {"surprise": 1},
    ):
        r = await client.put(
            f"{R}/buyers/{station.org_id}/terms", json=body, headers=county.operator.headers
        )
        assert r.status_code == 422, body
    r = await client.get(f"{R}/buyers/{station.org_id}", headers=county.operator.headers)
    assert r.json()["payment_methods"] == ["bank_transfer", "card"]


async def test_a_station_is_served_at_the_stop_its_route_publishes(client, county):
    station = await new_buyer(client, county)
    stop_id = uuid.uuid4()
    deliver(
        "delivery.route.published",
        {
            "route_id": str(uuid.uuid4()),
            "region_id": str(county.region_id),
            "name": "城关—应举线",
            "weekdays": [1, 3, 5],
            "departure_time": "07:00",
            "stops": [
                {
                    "stop_id": str(uuid.uuid4()),
                    "station_org_id": None,
                    "sequence": 1,
                    "kind": "hub",
                },
                {
                    "stop_id": str(stop_id),
                    "station_org_id": str(station.org_id),
                    "sequence": 2,
                    "kind": "station",
                },
            ],
        },
        county.region_id,
    )

    async def served() -> bool:
        r = await client.get(f"{R}/buyers/me", headers=station.headers)
        return r.json()["stop_id"] == str(stop_id)

    await eventually(served)


async def test_operator_sets_the_daily_cutoff_in_local_time(client, admin, county):
    station = await new_buyer(client, county)
    r = await client.get(f"{R}/regions/{county.region_id}/rules", headers=station.headers)
    assert r.status_code == 200
    assert r.json()["cutoff_time"] == "16:00:00"
    assert r.json()["timezone"] == "Asia/Shanghai"

    r = await client.put(
        f"{R}/regions/{county.region_id}/rules",
        json={"cutoff_time": "17:30", "reservation_minutes": 90},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["cutoff_time"] == "17:30:00"
    assert r.json()["reservation_minutes"] == 90

    r = await client.put(
        f"{R}/regions/{county.region_id}/rules",
        json={"cutoff_time": "25:00"},
        headers=county.operator.headers,
    )
    assert r.status_code == 422
    r = await client.put(
        f"{R}/regions/{county.region_id}/rules",
        json={"cutoff_time": "09:00"},
        headers=station.headers,
    )
    assert r.status_code == 403
    r = await client.get(f"{R}/regions/{county.region_id}/rules", headers=station.headers)
    assert r.json()["cutoff_time"] == "17:30:00"


async def test_buy_again_and_reorder_suggestions_come_from_the_buyers_own_orders(client, county):
    from datetime import UTC, datetime, timedelta

    from tests.repository.factories import supply
    from tests.repository.order_factories import place_at

    flour = await supply(
        client,
        county,
        product={"name": "五得利特精小麦粉", "category": "粮油"},
        direction="downstream",
        price_tiers=[{"min_cases": 1, "price_fen": 9_000}, {"min_cases": 5, "price_fen": 8_500}],
    )
    station = await new_buyer(client, county, payment_methods=["cod"])
    neighbour = await new_buyer(client, county, payment_methods=["cod"])
    now = datetime.now(UTC)
    for days_ago, cases in ((21, 4), (14, 6), (7, 5)):
        await place_at(
            station,
            now - timedelta(days=days_ago),
            [{"offer_id": flour["id"], "cases": cases}],
            method="cod",
        )

    r = await client.get(f"{R}/buyers/{station.org_id}/buy-again", headers=station.headers)
    assert r.status_code == 200, r.text
    [item] = r.json()
    assert (item["offer_id"], item["times_ordered"], item["last_cases"]) == (flour["id"], 3, 5)
    assert item["selling"] is True and item["price_fen_per_case"] == 8_500

    r = await client.get(f"{R}/buyers/{station.org_id}/suggestions", headers=station.headers)
    assert r.status_code == 200, r.text
    [suggestion] = r.json()
    assert suggestion["offer_id"] == flour["id"]
    assert suggestion["product_name"] == "五得利特精小麦粉"
    assert suggestion["suggested_cases"] == 5  # the mean of 4, 6 and 5
    assert suggestion["basis"]["signal"] == "cadence"
    assert suggestion["basis"]["interval_days"] == 7
    assert "every 7 days" in suggestion["reason"] and "每7天" in suggestion["reason_zh"]

    # nobody else's history, and nobody else may look
    r = await client.get(f"{R}/buyers/{neighbour.org_id}/suggestions", headers=neighbour.headers)
    assert r.json() == []
    r = await client.get(f"{R}/buyers/{station.org_id}/suggestions", headers=neighbour.headers)
    assert r.status_code == 404
    r = await client.get(
        f"{R}/buyers/{station.org_id}/suggestions", headers=county.operator.headers
    )
    assert [s["offer_id"] for s in r.json()] == [flour["id"]]


async def test_a_new_county_brings_its_time_zone_before_any_buyer_joins(client, admin):
    from tests.factories import new_county

    county = await new_county(client, admin, timezone="America/New_York", name="纽约试点县")

    async def zone() -> str:
        r = await client.get(
            f"{R}/regions/{county.region_id}/rules", headers=county.operator.headers
        )
        return r.json()["timezone"]

    assert await eventually(lambda: _is(zone, "America/New_York"))


async def _is(read, expected) -> bool:
    return await read() == expected
