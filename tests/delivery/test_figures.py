"""The county sees each route's day: parcels, on time, hours to the village, cost, carrier share.

Only completed runs are judged: a run still on the road would show a rate that changes by the
hour and a cost not yet spent.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from services.delivery.figures.rules import ParcelFact, RunFact, figures
from tests.delivery.helpers import act, parcel, planned_day
from tests.delivery.test_delivery_day import DAY

ROUTE = uuid.uuid4()
DISPATCHED = datetime(2026, 12, 1, 0, tzinfo=UTC)


def fact(reached: datetime | None, carrier: str | None = None, carried=True) -> ParcelFact:
    return ParcelFact(
        ROUTE,
        "城关线",
        date(2026, 12, 1),
        reached,
        DISPATCHED if carried else None,
        carrier,
        delivered=reached is not None,
        carried=carried,
    )


def test_on_time_is_judged_in_the_county_time_zone_over_parcels_of_completed_runs():
    late_local = datetime(2026, 12, 1, 17, tzinfo=UTC)  # 01:00 on 12-02 in Shanghai
    returned = fact(None)
    [day] = figures(
        [fact(datetime(2026, 12, 1, 6, tzinfo=UTC)), fact(late_local, "中通"), returned],
        [RunFact(ROUTE, date(2026, 12, 1), 30_000)],
    )
    assert (day.parcels, day.delivered, day.completed_runs, day.carried) == (3, 2, 1, 3)
    # the returned parcel counts against the rate: it never reached its village
    assert day.on_time_rate == round(1 / 3, 4)
    assert day.median_dispatch_to_delivery_hours == 11.5
    assert day.within_goal_rate == 1.0
    assert day.cost_per_parcel_fen == 10_000
    assert day.carrier_share == round(1 / 3, 4)


def test_parcels_of_runs_still_on_the_road_are_not_judged_and_cost_nothing_yet():
    on_the_road = [
        fact(datetime(2026, 12, 1, 6, tzinfo=UTC), carried=False),
        fact(None, carried=False),
    ]
    [day] = figures(on_the_road, [])
    assert (day.parcels, day.delivered, day.carried, day.completed_runs) == (2, 1, 0, 0)
    assert day.on_time_rate is None
    assert day.median_dispatch_to_delivery_hours is None
    assert day.cost_per_parcel_fen is None


def test_cost_is_shared_only_by_the_parcels_the_completed_runs_carried():
    carried = fact(datetime(2026, 12, 1, 6, tzinfo=UTC))
    left_behind = fact(None, carried=False)
    [day] = figures([carried, left_behind], [RunFact(ROUTE, date(2026, 12, 1), 12_000)])
    assert (day.parcels, day.carried, day.cost_per_parcel_fen) == (2, 1, 12_000)


async def test_operator_reads_the_days_figures_once_the_run_is_completed(client, county):
    day = await planned_day(client, county, [parcel(), parcel()], cost_per_run_fen=8_000)
    driver, op = day.driver, county.operator
    assert (await act(client, driver, day.run["id"], "start")).status_code == 200
    first, second = day.parcels
    r = await client.post(
        f"/v1/delivery/parcels/{first['id']}/deliver",
        data={"recipient_name": "张三"},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    params = {"region_id": str(county.region_id), "from": DAY.isoformat(), "to": DAY.isoformat()}

    r = await client.get("/v1/delivery/figures", params=params, headers=op.headers)
    assert r.status_code == 200, r.text
    [row] = r.json()["items"]
    assert (row["parcels"], row["delivered"], row["carried"]) == (2, 1, 0)
    assert row["on_time_rate"] is None and row["cost_per_parcel_fen"] is None

    # the station takes the second parcel off the van; the villager has not come for it yet
    r = await client.post(f"/v1/delivery/parcels/{second['id']}/receive", headers=day.li.headers)
    assert r.status_code == 200, r.text
    assert (await act(client, driver, day.run["id"], "finish")).status_code == 200

    r = await client.get("/v1/delivery/figures", params=params, headers=op.headers)
    [row] = r.json()["items"]
    assert (row["parcels"], row["delivered"], row["completed_runs"], row["carried"]) == (
        2,
        1,
        1,
        2,
    )
    assert row["on_time_rate"] == 1.0 and row["within_goal_rate"] == 1.0
    assert row["cost_per_parcel_fen"] == 4_000
    assert r.json()["next_cursor"] is None

    r = await client.get("/v1/delivery/figures.xlsx", params=params, headers=op.headers)
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[2]][1:6] == ["城关线", 2, 1, 1, 2]
    r = await client.get("/v1/delivery/figures", params=params, headers=driver.headers)
    assert r.status_code == 403
