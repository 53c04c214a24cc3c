"""Statements and credit terms count months and days in the region's own calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from services.payments.regions import calendar
from tests.factories import eventually, new_county, new_org
from tests.payments.helpers import P, place_order_with_lines

URUMQI = "Asia/Urumqi"  # UTC+6 all year, two hours behind Shanghai


def local(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


def test_a_month_begins_and_ends_at_local_midnight():
    start, end = calendar.month_bounds("2026-01", URUMQI)
    assert start == datetime(2025, 12, 31, 18, tzinfo=UTC)
    assert end == datetime(2026, 1, 31, 18, tzinfo=UTC)
    # December ends with the year; New York changes its clocks within March
    start, end = calendar.month_bounds("2026-12", URUMQI)
    assert end == datetime(2026, 12, 31, 18, tzinfo=UTC)
    start, end = calendar.month_bounds("2026-03", "America/New_York")
    assert (end - start).total_seconds() == 31 * 86400 - 3600
    assert calendar.month_of(local(URUMQI, 2026, 1, 31, 23, 30), "Asia/Shanghai") == "2026-02"
    assert calendar.month_of(local(URUMQI, 2026, 1, 31, 23, 30), URUMQI) == "2026-01"
    with pytest.raises(ValueError):
        calendar.month_bounds("2026-13", URUMQI)


def test_credit_terms_run_out_at_local_midnight():
    # 30 days of terms on 2026-03-31 at 00:30 local time: what was placed before local
    # midnight starting 2026-03-01 is overdue, whatever the UTC date says
    now = local(URUMQI, 2026, 3, 31, 0, 30)
    assert calendar.overdue_before(now, URUMQI, 30) == local(URUMQI, 2026, 3, 1)
    assert calendar.overdue_before(now, URUMQI, 0) == local(URUMQI, 2026, 3, 31)
    # the same instant is still 30 March in UTC: a UTC calendar would say 28 February
    assert now.astimezone(UTC).date().isoformat() == "2026-03-30"


async def _statement(client, buyer, month: str) -> dict:
    r = await client.get(
        f"{P}/buyers/{buyer.org_id}/statement", params={"month": month}, headers=buyer.headers
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_an_order_placed_before_local_midnight_on_the_last_day_stays_in_that_month(
    client, admin
):
    county = await new_county(client, admin, timezone=URUMQI, name="乌鲁木齐测试县")
    buyer = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    # 23:30 on 31 January in Urumqi is already 1 February in Shanghai
    late_january = local(URUMQI, 2026, 1, 31, 23, 30)
    # 00:10 on 1 February in Urumqi is still 31 January in UTC
    early_february = local(URUMQI, 2026, 2, 1, 0, 10)
    january_order, _ = await place_order_with_lines(
        client, buyer, [10_000], "bank_transfer", supplier.org_id, placed_at=late_january
    )
    february_order, _ = await place_order_with_lines(
        client, buyer, [3_000], "bank_transfer", supplier.org_id, placed_at=early_february
    )

    # payments learns the county's time zone from identity's organisation events
    async def knows_the_zone() -> bool:
        return (await _statement(client, buyer, "2026-01"))["timezone"] == URUMQI

    await eventually(knows_the_zone)
    january = await _statement(client, buyer, "2026-01")
    assert [o["order_id"] for o in january["orders"]] == [str(january_order)]
    assert january["total_fen"] == 10_000 and january["owed_fen"] == 10_000
    assert january["period_start"] == "2025-12-31T18:00:00Z"
    assert january["period_end"] == "2026-01-31T18:00:00Z"
    assert january["orders"][0]["placed_at"] == "2026-01-31T17:30:00Z"
    february = await _statement(client, buyer, "2026-02")
    assert [o["order_id"] for o in february["orders"]] == [str(february_order)]

    r = await client.get(f"{P}/orders/{january_order}", headers=buyer.headers)
    assert r.json()["placed_at"] == "2026-01-31T17:30:00Z"

    op = county.operator.headers
    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": "2026-01"},
        headers=op,
    )
    assert r.status_code == 200, r.text
    [statement] = r.json()
    assert statement["supplier_id"] == str(supplier.org_id)
    assert statement["sold_fen"] == 10_000 and statement["timezone"] == URUMQI
    assert statement["period_start"] == "2025-12-31T18:00:00Z"
    assert statement["period_end"] == "2026-01-31T18:00:00Z"
    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": "2026-02"},
        headers=op,
    )
    assert [s["sold_fen"] for s in r.json()] == [3_000]


async def test_credit_terms_count_the_region_s_calendar_days(client, admin):
    county = await new_county(client, admin, timezone=URUMQI, name="乌鲁木齐测试县")
    op = county.operator.headers
    today = datetime.now(ZoneInfo(URUMQI)).date()
    yesterday = today.toordinal() - 1

    def at(ordinal: int, hour: int, minute: int) -> datetime:
        day = datetime.fromordinal(ordinal)
        return local(URUMQI, day.year, day.month, day.day, hour, minute)

    async def credit_buyer():
        buyer = await new_org(client, county, "station")
        r = await client.put(
            f"{P}/credit-lines/{buyer.org_id}",
            json={"region_id": str(county.region_id), "limit_fen": 100_000, "terms_days": 1},
            headers=op,
        )
        assert r.status_code == 200, r.text
        return buyer

    async def status(buyer, order_id) -> str:
        r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
        return r.json()["status"]

    async def decided(buyer, order_id) -> str:
        await eventually(lambda: _not_placed(status(buyer, order_id)))
        return await status(buyer, order_id)

    # placed early yesterday (perhaps 40 hours ago): one day of terms lasts to tonight
    in_terms = await credit_buyer()
    first, _ = await place_order_with_lines(
        client, in_terms, [1_000], "credit", placed_at=at(yesterday, 0, 5)
    )
    assert await decided(in_terms, first) == "accepted_on_credit"
    # payments has heard of the county's time zone (identity's event) before deciding more
    await eventually(lambda: _zone_is(client, in_terms, URUMQI))
    second, _ = await place_order_with_lines(client, in_terms, [1_000], "credit")
    assert await decided(in_terms, second) == "accepted_on_credit"

    # placed late the day before yesterday: due by the end of yesterday, overdue now
    late = await credit_buyer()
    first, _ = await place_order_with_lines(
        client, late, [1_000], "credit", placed_at=at(yesterday - 1, 23, 55)
    )
    assert await decided(late, first) == "accepted_on_credit"
    second, _ = await place_order_with_lines(client, late, [1_000], "credit")
    assert await decided(late, second) == "credit_refused"


async def _not_placed(status) -> bool:
    return await status != "placed"


async def _zone_is(client, buyer, tz: str) -> bool:
    month = datetime.now(ZoneInfo(tz)).strftime("%Y-%m")
    return (await _statement(client, buyer, month))["timezone"] == tz
