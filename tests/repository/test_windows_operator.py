"""What happens at a window's cut-off, as the operator and the buyers see it: "close
now" (for one route or the whole region), an order still unpaid when its window is
consolidated (recorded, told, and rolled to the next window if paid later), and window
dates that are no windows at all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import County, eventually
from tests.repository.factories import R, deliver, published, supply
from tests.repository.order_factories import order_of, place_at, placed
from tests.repository.purchasing_stories import station_on_a_route, window_path

PROBLEMS = "https://county-market.dev/problems/"


async def consolidated(client, county: County, window_date: str) -> dict:
    """Consolidate now; the beat may be at it already (409 while it works): wait for done."""
    r = await client.post(
        f"{window_path(county, window_date)}/consolidate", headers=county.operator.headers
    )
    assert r.status_code in (200, 409), r.text

    async def done() -> dict | None:
        r = await client.get(
            f"{window_path(county, window_date)}/consolidation", headers=county.operator.headers
        )
        return r.json() if r.status_code == 200 and r.json()["status"] == "done" else None

    return await eventually(done, timeout=30)


async def test_operator_closes_todays_window_for_one_route_then_for_the_region(client, county):
    honey = await supply(client, county, price_tiers=[{"min_cases": 1, "price_fen": 36000}])
    near = await station_on_a_route(client, county, "城关村站")
    far = await station_on_a_route(client, county, "黄陵村站")
    before = await placed(client, near, [{"offer_id": honey["id"], "cases": 2}], method="cod")
    today = before["window_date"]
    path = window_path(county, today)

    r = await client.post(
        f"{path}/close", json={"route_id": before["route_id"]}, headers=near.headers
    )
    assert r.status_code == 403
    r = await client.post(
        f"{path}/close",
        json={"route_id": before["route_id"], "reason": "车辆提前出发"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    closure = r.json()
    assert (closure["route_id"], closure["orders_closed"]) == (before["route_id"], 1)
    seen = await order_of(client, near, before["id"])
    assert datetime.fromisoformat(seen["cutoff_at"]) <= datetime.now(UTC)
    assert seen["allowed_actions"] == []  # its window has closed: no cancelling

    # that route's next order joins tomorrow's window; the other route still orders today
    after_near = await placed(client, near, [{"offer_id": honey["id"], "cases": 1}], method="cod")
    after_far = await placed(client, far, [{"offer_id": honey["id"], "cases": 1}], method="cod")
    assert after_near["window_date"] > today
    assert after_far["window_date"] == today

    # the closed orders can be consolidated at once; the open route's order waits
    run = await consolidated(client, county, today)
    assert run["orders"] == 1
    assert (await order_of(client, near, before["id"]))["status"] == "purchased"
    assert (await order_of(client, far, after_far["id"]))["status"] == "confirmed"

    r = await client.post(f"{path}/close", json={}, headers=county.operator.headers)
    assert r.status_code == 200, r.text
    assert r.json()["route_id"] is None and r.json()["orders_closed"] == 1
    later = await placed(client, far, [{"offer_id": honey["id"], "cases": 1}], method="cod")
    assert later["window_date"] > today

    # only the window open now can be closed early
    r = await client.post(
        f"{window_path(county, later['window_date'])}/close", headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    yesterday = (datetime.fromisoformat(today) - timedelta(days=1)).date().isoformat()
    r = await client.post(
        f"{window_path(county, yesterday)}/close", headers=county.operator.headers
    )
    assert r.status_code == 409
    assert r.json()["type"] == PROBLEMS + "repository-window-not-current"


async def test_an_unpaid_card_order_misses_its_window_and_rolls_to_the_next_when_paid(
    client, county
):
    r = await client.put(
        f"{R}/regions/{county.region_id}/rules",
        json={"reservation_minutes": 7 * 24 * 60},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    honey = await supply(client, county, price_tiers=[{"min_cases": 1, "price_fen": 36000}])
    station = await station_on_a_route(client, county, "村站1")
    zone = ZoneInfo(county.timezone)
    yesterday = datetime.now(zone).date() - timedelta(days=1)
    when = datetime.combine(yesterday, datetime.min.time(), zone).replace(hour=9)
    order = await place_at(station, when.astimezone(UTC), [{"offer_id": honey["id"], "cases": 3}])
    assert order["window_date"] == yesterday.isoformat()

    await consolidated(client, county, order["window_date"])

    seen = await order_of(client, station, order["id"])
    assert seen["status"] == "placed"
    assert seen["transitions"][-1]["action"] == "miss_cutoff"
    [missed] = await published("repository.order.missed_cutoff", order_id=order["id"])
    assert missed["buyer_org_id"] == str(station.org_id)
    assert missed["window_date"] == yesterday.isoformat()
    assert missed["reserved_until"] is not None

    # the money comes in late: the order joins the window open now, never yesterday's PO
    deliver(
        "payments.payment.succeeded",
        {"order_id": order["id"], "amount_fen": 3 * 36000},
        county.region_id,
    )

    async def confirmed() -> dict | None:
        found = await order_of(client, station, order["id"])
        return found if found["status"] == "confirmed" else None

    paid = await eventually(confirmed, timeout=30)
    assert paid["window_date"] > yesterday.isoformat()
    assert [t["action"] for t in paid["transitions"]][-3:] == [
        "miss_cutoff",
        "roll_over",
        "confirm",
    ]
    [rolled] = await published("repository.order.rolled_over", order_id=order["id"])
    assert rolled["from_window_date"] == yesterday.isoformat()
    assert rolled["window_date"] == paid["window_date"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1970-01-01"])
async def test_a_window_date_that_is_no_window_is_refused(client, county, day):
    for path in ("consolidate", "close"):
        r = await client.post(
            f"{R}/windows/{county.region_id}/{day}/{path}", headers=county.operator.headers
        )
        assert r.status_code == 422, r.text
    for path in ("consolidation", "board"):
        r = await client.get(
            f"{R}/windows/{county.region_id}/{day}/{path}", headers=county.operator.headers
        )
        assert r.status_code == 422, r.text
    r = await client.get(
        f"{R}/windows/{uuid.uuid4()}/{day}/consolidation", headers=county.operator.headers
    )
    assert r.status_code == 422
