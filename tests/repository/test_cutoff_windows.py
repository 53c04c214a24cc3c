"""Order windows close at the region's local cut-off, across local midnight and DST changes.

Orders are placed through the placement service with the clock set to a chosen instant
(`now`), then read back through the API.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tests.factories import County, eventually, new_county
from tests.repository.factories import R, deliver, supply
from tests.repository.order_factories import buyer_with, lines, order_of, place_at


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def served_on(client, county: County, buyer, weekdays: list[int]) -> None:
    """The buyer's station is a stop of a route running on `weekdays` (ISO)."""
    stop_id = uuid.uuid4()
    deliver(
        "delivery.route.published",
        {
            "route_id": str(uuid.uuid4()),
            "region_id": str(county.region_id),
            "name": "城关—陈桥线",
            "weekdays": weekdays,
            "departure_time": "06:30",
            "stops": [
                {
                    "stop_id": str(stop_id),
                    "station_org_id": str(buyer.org_id),
                    "sequence": 1,
                    "kind": "station",
                }
            ],
        },
        county.region_id,
    )

    async def served() -> bool:
        r = await client.get(f"{R}/buyers/me", headers=buyer.headers)
        return r.json()["stop_id"] == str(stop_id)

    await eventually(served)


async def with_rules(client, county: County, **rules) -> None:
    async def knows_zone() -> bool:
        r = await client.get(
            f"{R}/regions/{county.region_id}/rules", headers=county.operator.headers
        )
        return r.status_code == 200 and r.json()["timezone"] == county.timezone

    await eventually(knows_zone)
    if rules:
        r = await client.put(
            f"{R}/regions/{county.region_id}/rules", json=rules, headers=county.operator.headers
        )
        assert r.status_code == 200, r.text


async def test_orders_around_local_midnight_join_the_window_of_the_next_cutoff(client, county):
    await with_rules(client, county, cutoff_time="16:00")
    offer = await supply(client, county, lead_time_days=0)
    slow = await supply(client, county, lead_time_days=2)
    station = await buyer_with(client, county, "cod")
    await served_on(client, county, station, [1, 3, 5])  # Monday, Wednesday, Friday

    # Asia/Shanghai is UTC+8; Monday 2026-12-07.
    cases = [
        # (UTC instant, local time, window, cut-off instant, delivery date)
        ("2026-12-07T07:59:00", "Mon 15:59", "2026-12-07", "2026-12-07T08:00:00", "2026-12-09"),
        ("2026-12-07T08:00:00", "Mon 16:00", "2026-12-08", "2026-12-08T08:00:00", "2026-12-09"),
        ("2026-12-07T15:59:00", "Mon 23:59", "2026-12-08", "2026-12-08T08:00:00", "2026-12-09"),
        ("2026-12-07T16:01:00", "Tue 00:01", "2026-12-08", "2026-12-08T08:00:00", "2026-12-09"),
        ("2026-12-08T08:30:00", "Tue 16:30", "2026-12-09", "2026-12-09T08:00:00", "2026-12-11"),
    ]
    for instant, local, window, cutoff, delivery in cases:
        order = await place_at(station, utc(instant), lines((offer, 1)), method="cod")
        assert order["window_date"] == window, local
        assert order["cutoff_at"] == utc(cutoff), local
        assert order["delivery_date"] == delivery, local

    # The order number carries the local date: just after midnight it is already Tuesday.
    after_midnight = await place_at(
        station, utc("2026-12-07T16:01:00"), lines((offer, 1)), method="cod"
    )
    assert after_midnight["number"].startswith("FQ-20261208-")
    seen = await order_of(client, station, after_midnight["id"])
    assert (seen["window_date"], seen["delivery_date"]) == ("2026-12-08", "2026-12-09")

    # A to-order line waits for its supplier's lead time before it can ship.
    order = await place_at(station, utc("2026-12-07T07:00:00"), lines((slow, 1)), method="cod")
    assert (order["window_date"], order["delivery_date"]) == ("2026-12-07", "2026-12-11")

    r = await client.get(
        f"{R}/orders", params={"window_date": "2026-12-08"}, headers=county.operator.headers
    )
    assert len(r.json()["items"]) == 4


async def test_the_cutoff_stays_at_local_wall_time_across_daylight_saving(client, admin):
    county = await new_county(client, admin, timezone="America/New_York", name="Fairfax")
    await with_rules(client, county, cutoff_time="16:00")
    offer = await supply(client, county, lead_time_days=0)
    station = await buyer_with(client, county, "cod")
    await served_on(client, county, station, [1, 3, 5])

    cases = [
        # Saturday before the spring change: 16:00 EST is 21:00 UTC.
        ("2026-03-07T20:59:00", "2026-03-07", "2026-03-07T21:00:00", "2026-03-09"),
        # Sunday 2026-03-08 clocks go forward: 16:00 EDT is 20:00 UTC.
        ("2026-03-08T19:59:00", "2026-03-08", "2026-03-08T20:00:00", "2026-03-09"),
        # 20:30 UTC is 16:30 EDT, past the cut-off (a fixed EST offset would say 15:30).
        ("2026-03-08T20:30:00", "2026-03-09", "2026-03-09T20:00:00", "2026-03-11"),
        # Autumn: Saturday 16:30 EDT joins Sunday's window, which is 25 hours long ...
        ("2026-10-31T20:30:00", "2026-11-01", "2026-11-01T21:00:00", "2026-11-02"),
        # ... and closes at 16:00 EST, 21:00 UTC.
        ("2026-11-01T20:30:00", "2026-11-01", "2026-11-01T21:00:00", "2026-11-02"),
        ("2026-11-01T21:00:00", "2026-11-02", "2026-11-02T21:00:00", "2026-11-04"),
    ]
    for instant, window, cutoff, delivery in cases:
        order = await place_at(station, utc(instant), lines((offer, 1)), method="cod")
        assert (order["window_date"], order["cutoff_at"], order["delivery_date"]) == (
            window,
            utc(cutoff),
            delivery,
        ), instant


async def test_a_cutoff_inside_the_spring_gap_moves_forward_by_the_gap(client, admin):
    county = await new_county(client, admin, timezone="America/New_York", name="Loudoun")
    # 02:30 does not exist on 2026-03-08 in New York: that day's window closes at 03:30 EDT.
    await with_rules(client, county, cutoff_time="02:30")
    offer = await supply(client, county, lead_time_days=0)
    station = await buyer_with(client, county, "cod")

    at_three = await place_at(station, utc("2026-03-08T07:00:00"), lines((offer, 1)), method="cod")
    assert (at_three["window_date"], at_three["cutoff_at"]) == (
        "2026-03-08",
        utc("2026-03-08T07:30:00"),
    )
    later = await place_at(station, utc("2026-03-08T07:45:00"), lines((offer, 1)), method="cod")
    assert (later["window_date"], later["cutoff_at"]) == ("2026-03-09", utc("2026-03-09T06:30:00"))
    # Without a route the order still has its window; delivery is planned when one exists.
    assert later["delivery_date"] is None
