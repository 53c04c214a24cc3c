"""A seeded year of one county's events gives the totals computed by hand; order, duplicates,
rebuilds and other counties change nothing; only the county's operator reads the figures."""

from __future__ import annotations

import random

from services.insights.db import kernel
from services.insights.readmodel.repository import ReadModelRepository
from shared.db import sessionmaker_for
from tests.factories import new_county, new_org
from tests.insights.helpers import county_year, feed


async def board(client, county, **params):
    r = await client.get(
        f"/v1/insights/regions/{county.region_id}/dashboard",
        params={"year": 2025, **params},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return {f["name"]: f for f in r.json()["figures"]}


async def test_a_year_of_events_gives_the_hand_computed_figures(client, county):
    year = county_year(county.region_id)
    await feed(year.events)
    await feed(random.Random(3).sample(year.events, 40))  # duplicates change nothing
    figures = await board(client, county)
    exp = year.expected

    enterprises = {
        e["name"]: e["current_fen"] for e in figures["enterprise_sales"]["detail"]["enterprises"]
    }
    assert [enterprises.get(f"供应商{i}", 0) for i in range(4)] == exp["per_supplier_2025"]
    assert figures["enterprise_sales"]["value"] == sum(
        1 for v in exp["per_supplier_2025"] if v >= 20_000_000
    )
    assert figures["household_sales"]["value"] == exp["household_2025"]
    assert figures["brand_products"]["value"] == 3
    assert figures["brand_products"]["status"] == "met"
    assert figures["brand_growth"]["detail"]["current_fen"] == exp["brand_2025"]
    assert figures["traceability"]["value"] == 3
    assert figures["delivery_24h"]["value"] == exp["within_24h"]
    assert figures["cost_per_parcel"]["value"] == exp["cost_per_parcel"]
    assert figures["carriers"]["detail"]["carriers"] == exp["carriers"]
    assert figures["livestream"]["value"] == exp["stream_peak"]
    assert figures["livestream"]["detail"]["sessions"] == exp["stream_sessions"]
    months = figures["stations_reporting"]["detail"]["months"]
    assert [m["stations"] for m in months] == exp["stations_per_month_2025"]
    assert sum(m["amount_fen"] for m in months) == exp["station_value_2025"]
    assert figures["growth"]["detail"]["downstream_fen"] == exp["station_value_2025"]
    # December against December a year before: the same orders, so no growth
    december = await board(client, county, from_month=12, to_month=12)
    assert december["brand_growth"]["value"] == 0.0
    # filters: one township's suppliers only
    chengguan = await board(client, county, township="城关镇")
    assert chengguan["household_sales"]["value"] == exp["household_2025"]
    assert chengguan["brand_growth"]["detail"]["current_fen"] == sum(exp["per_supplier_2025"][:2])
    r = await client.get(
        f"/v1/insights/regions/{county.region_id}/households",
        params={"year": 2025},
        headers=county.operator.headers,
    )
    assert r.status_code == 200
    linked = {
        h["name"]: (h["poverty_alleviated"], h["monitored"], h["sales_fen"]) for h in r.json()
    }
    assert linked == {
        "供应商0": (1, 0, exp["per_supplier_2025"][0]),
        "供应商1": (0, 1, exp["per_supplier_2025"][1]),
    }
    for f in figures.values():
        assert f["how"] and f["status"] in ("met", "on_track", "behind", "no_target")


async def test_rebuild_from_scratch_equals_incremental(client, county):
    year = county_year(county.region_id, seed=11)
    await feed(year.events)
    incremental = await board(client, county)
    async with sessionmaker_for(kernel)() as session:
        await ReadModelRepository(session).truncate()
        await session.commit()
    await feed(list(reversed(year.events)))
    assert await board(client, county) == incremental


async def test_another_county_never_appears(client, admin, county):
    other = await new_county(client, admin, name="长垣县")
    await feed(county_year(county.region_id).events)
    await feed(county_year(other.region_id, seed=5).events)
    mine = await board(client, county)
    await feed(county_year(other.region_id, seed=9).events)  # more sales elsewhere
    assert await board(client, county) == mine
    r = await client.get(
        f"/v1/insights/regions/{other.region_id}/dashboard",
        params={"year": 2025},
        headers=county.operator.headers,
    )
    assert r.status_code == 404


async def test_a_station_or_supplier_cannot_read_county_figures(client, county):
    station = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    for who in (station, supplier):
        r = await client.get(
            f"/v1/insights/regions/{county.region_id}/dashboard",
            params={"year": 2025},
            headers=who.headers,
        )
        assert r.status_code == 403, r.text
        r = await client.get(
            f"/v1/insights/regions/{county.region_id}/households",
            params={"year": 2025},
            headers=who.headers,
        )
        assert r.status_code == 403
    r = await client.get(
        f"/v1/insights/regions/{county.region_id}/dashboard", params={"year": 2025}
    )
    assert r.status_code == 401
