"""Validation at the edge: a malformed line does not hide the other lines' problems,
and a buyer's terms refer only to stops and stations that exist, with 账期 by the
same rule as payments."""

from __future__ import annotations

import uuid

from tests.repository.factories import R, new_buyer
from tests.repository.order_factories import buyer_with, orders_of_buyer, place, stocked_offer
from tests.repository.purchasing_stories import station_on_a_route

PROBLEMS = "https://county-market.dev/problems/"


async def test_a_malformed_line_is_reported_with_every_other_lines_problems(client, county):
    honey, _ = await stocked_offer(client, county, 8, min_order_cases=2, multiple_cases=2)
    station = await buyer_with(client, county, "card")

    r = await place(
        client,
        station,
        [
            {"offer_id": honey["id"], "cases": 0},  # fails the schema
            {"offer_id": honey["id"], "cases": 1},  # below MOQ and not a multiple
            {"offer_id": "not-a-uuid", "cases": 2},  # fails the schema
            {"offer_id": str(uuid.uuid4()), "cases": 2},  # no such offer
            {"offer_id": honey["id"], "cases": 2, "colour": "red"},  # unknown field
        ],
    )

    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"] == PROBLEMS + "repository-order-rejected"
    found = {(e["field"], e["code"]) for e in problem["errors"]}
    assert found == {
        ("lines.0.cases", "greater_than"),
        ("lines.1.cases", "below_minimum_order"),
        ("lines.1.cases", "not_a_multiple"),
        ("lines.2.offer_id", "uuid_parsing"),
        ("lines.3.offer_id", "offer_not_available"),
        ("lines.4.colour", "extra_forbidden"),
    }
    assert [e["field"] for e in problem["errors"]] == sorted(
        (e["field"] for e in problem["errors"]), key=lambda f: int(f.split(".")[1])
    )
    assert await orders_of_buyer(station.org_id) == 0


async def test_terms_refer_to_a_real_stop_and_station_and_terms_days_follow_payments(
    client, county
):
    station = await station_on_a_route(client, county, "村站1")
    shop = await new_buyer(client, county, "retailer")
    known_stop = (await client.get(f"{R}/buyers/me", headers=station.headers)).json()["stop_id"]
    terms = f"{R}/buyers/{shop.org_id}/terms"

    r = await client.put(
        terms,
        json={"stop_id": str(uuid.uuid4()), "station_org_id": str(shop.org_id)},
        headers=county.operator.headers,
    )
    assert r.status_code == 422, r.text
    assert r.json()["type"] == PROBLEMS + "repository-bad-terms"
    assert {(e["field"], e["code"]) for e in r.json()["errors"]} == {
        ("stop_id", "unknown_stop"),
        ("station_org_id", "unknown_station"),
    }
    r = await client.get(f"{R}/buyers/{shop.org_id}", headers=county.operator.headers)
    assert r.json()["stop_id"] is None

    r = await client.put(
        terms,
        json={"stop_id": known_stop, "station_org_id": str(station.org_id)},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["stop_id"] == known_stop

    # 账期 by the shared rule (shared.schemas.TermsDays), the one payments applies too
    for days in (-1, 181, 365):
        r = await client.put(terms, json={"terms_days": days}, headers=county.operator.headers)
        assert r.status_code == 422, days
    for days in (0, 180):
        r = await client.put(terms, json={"terms_days": days}, headers=county.operator.headers)
        assert r.status_code == 200, r.text


async def test_empty_suggestions_say_why(client, county):
    station = await new_buyer(client, county, payment_methods=["cod"])

    r = await client.get(f"{R}/buyers/{station.org_id}/suggestions", headers=station.headers)
    assert r.status_code == 200, r.text
    assert r.json() == []
    assert r.headers["Suggestions-Status"] == "no_history"
    r = await client.get(f"{R}/buyers/{station.org_id}/suggestions/why", headers=station.headers)
    assert r.status_code == 200, r.text
    why = r.json()
    assert (why["status"], why["items"], why["orders_considered"]) == ("no_history", [], 0)
    assert why["reason"] and why["reason_zh"]
    other = await new_buyer(client, county)
    r = await client.get(f"{R}/buyers/{station.org_id}/suggestions/why", headers=other.headers)
    assert r.status_code == 404
