"""The county sees each route's day: parcels, on time, hours to the village, cost, carrier share."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from services.delivery.figures.rules import ParcelFact, RunFact, figures
from tests.delivery.test_delivery_day import DAY
from tests.delivery.test_driver import started_run

ROUTE = uuid.uuid4()


def fact(delivered: datetime | None, carrier: str | None = None) -> ParcelFact:
    return ParcelFact(
        ROUTE, "城关线", date(2026, 12, 1), delivered, datetime(2026, 12, 1, 0, tzinfo=UTC), carrier
    )


def test_on_time_is_judged_in_the_county_time_zone_and_cost_is_shared_by_parcels():
    late_local = datetime(2026, 12, 1, 17, tzinfo=UTC)  # 01:00 on 12-02 in Shanghai
    [day] = figures(
        [fact(datetime(2026, 12, 1, 6, tzinfo=UTC)), fact(late_local, "中通"), fact(None)],
        [RunFact(ROUTE, date(2026, 12, 1), 30_000)],
    )
    assert (day.parcels, day.delivered, day.on_time_rate) == (3, 2, 0.5)
    assert day.median_dispatch_to_delivery_hours == 11.5
    assert day.within_goal_rate == 1.0
    assert day.cost_per_parcel_fen == 10_000
    assert day.carrier_share == round(1 / 3, 4)


async def test_operator_reads_the_days_figures_as_json_and_xlsx(client, county):
    [parcel], driver, _li = await started_run(
        client, county, [{"weight_g": 1_000, "volume_cm3": 1_000, "chilled": False}]
    )
    r = await client.post(
        f"/v1/delivery/parcels/{parcel['id']}/deliver",
        data={"recipient_name": "张三"},
        headers=driver.headers,
    )
    assert r.status_code == 200, r.text
    params = {"region_id": str(county.region_id), "from": DAY.isoformat(), "to": DAY.isoformat()}
    r = await client.get("/v1/delivery/figures", params=params, headers=county.operator.headers)
    assert r.status_code == 200, r.text
    [day] = r.json()
    assert (day["parcels"], day["delivered"], day["on_time_rate"]) == (1, 1, 1.0)
    assert day["within_goal_rate"] == 1.0
    r = await client.get(
        "/v1/delivery/figures.xlsx", params=params, headers=county.operator.headers
    )
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[2]][1:4] == ["城关线", 1, 1]
    r = await client.get("/v1/delivery/figures", params=params, headers=driver.headers)
    assert r.status_code == 403
