"""A seeded year of one county's events gives the totals computed by hand; order, duplicates,
rebuilds and other counties change nothing; only the county's operator reads the figures."""

from __future__ import annotations

import random
import uuid

from services.insights.db import kernel
from services.insights.readmodel.repository import ReadModelRepository
from shared.db import sessionmaker_for
from tests.factories import new_county, new_org
from tests.insights.helpers import county_year, ev, feed, utc


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
    assert figures["livestream"]["detail"]["gmv_fen"] == exp["stream_gmv_2025"]
    assert figures["livestream"]["detail"]["sessions_gmv_fen"] == 30_000  # line c had none
    assert figures["growth"]["detail"]["upstream_fen"] == exp["upstream_2025"]
    months = figures["stations_reporting"]["detail"]["months"]
    assert [m["stations"] for m in months] == exp["stations_per_month_2025"]
    assert sum(m["amount_fen"] for m in months) == exp["station_value_2025"]
    assert figures["growth"]["detail"]["downstream_fen"] == exp["station_value_2025"]
    # December against December a year before: the same orders, so no growth
    december = await board(client, county, from_month=12, to_month=12)
    assert december["brand_growth"]["value"] == 0.0
    assert december["livestream"]["detail"]["gmv_previous_fen"] == exp["stream_gmv_2024_12"]
    only0 = await board(client, county, supplier_id=str(year.suppliers[0]))
    assert only0["livestream"]["detail"]["gmv_fen"] == exp["stream_gmv_supplier0_2025"]
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


async def test_the_roll_ups_summed_again_from_the_facts_equal_the_incremental_ones(county):
    """Whatever the order and repeats of events, the handlers' increments add up to what a
    set-based sum over the recorded facts gives (the bulk load's path)."""
    year = county_year(county.region_id, seed=13)
    await feed(year.events)
    await feed(random.Random(5).sample(year.events, 60))
    async with sessionmaker_for(kernel)() as session:
        repo = ReadModelRepository(session)
        incremental = await repo.rollup_rows(county.region_id)
        await repo.recompute_rollups(county.region_id)
        assert await repo.rollup_rows(county.region_id) == incremental
        assert incremental["sales_by_variant"] and incremental["deliveries_by_month"]
        assert incremental["stream_sales_by_month"] and incremental["stream_sessions.gmv_fen"]


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


async def test_a_late_or_repeated_sale_line_version_changes_nothing_and_a_refund_lowers_gmv(
    client, county
):
    region = county.region_id
    line = str(uuid.uuid4())

    def version(n: int, refunded: int, status: str) -> dict:
        return ev(
            "livestream.sale_line.recorded",
            region,
            {
                "line_id": line,
                "region_id": str(region),
                "platform": "kuaishou",
                "platform_order_id": "ks-1",
                "session_id": None,
                "supplier_org_id": None,
                "catalog_product_id": None,
                "quantity": 1,
                "paid_fen": 90_000,
                "refunded_fen": refunded,
                "status": status,
                "paid_at": utc(2025, 5, 5).isoformat(),
                "settled_at": None,
                "version": n,
            },
            utc(2025, 5, 5 + n),
        )

    async def gmv() -> int:
        return (await board(client, county))["livestream"]["detail"]["gmv_fen"]

    await feed([version(1, 0, "paid")])
    assert await gmv() == 90_000
    v3 = version(3, 90_000, "refunded")
    await feed([v3, version(2, 30_000, "confirmed")])  # the refund, then a late version 2
    assert await gmv() == 0
    await feed([v3, version(1, 0, "paid")])  # the same event again; an old version again
    assert await gmv() == 0
    await feed([version(4, 40_000, "settled")])  # a partial refund after all
    assert await gmv() == 50_000


async def test_an_imports_batch_of_sale_lines_counts_each_line_once(client, county):
    """`livestream.sale_lines.recorded` (an import's new lines, many to an event: the fields
    once, then each line's values in their order) counts like as many sale_line.recorded;
    the same batch again changes nothing, and a later version of one of its lines wins."""
    region = county.region_id
    paid_at = utc(2025, 6, 1).isoformat()

    def line(n: int, fen: int) -> dict:
        return {
            "line_id": str(uuid.uuid4()),
            "region_id": str(region),
            "platform": "douyin",
            "platform_order_id": f"dy-{n}",
            **dict.fromkeys(("session_id", "streamer_org_id", "agency_org_id")),
            **dict.fromkeys(("supplier_org_id", "catalog_product_id", "pool_entry_id")),
            "quantity": 1,
            "paid_fen": fen,
            "refunded_fen": 0,
            "status": "paid",
            "paid_at": paid_at,
            "settled_at": None,
            "version": 1,
        }

    first = [line(n, fen) for n, fen in enumerate((10_000, 20_000, 30_000))]
    fields = list(first[0])
    lines = [list(d.values()) for d in first]
    batch = ev(
        "livestream.sale_lines.recorded",
        region,
        {"region_id": str(region), "fields": fields, "lines": lines},
        utc(2025, 6, 1),
    )

    async def gmv() -> int:
        return (await board(client, county))["livestream"]["detail"]["gmv_fen"]

    await feed([batch])
    assert await gmv() == 60_000
    await feed([batch])  # delivered twice: the inbox counts it once
    assert await gmv() == 60_000
    refund = dict(zip(fields, lines[2], strict=True))
    refund.update(refunded_fen=30_000, status="refunded", version=2)
    await feed([ev("livestream.sale_line.recorded", region, refund, utc(2025, 6, 3))])
    assert await gmv() == 30_000
    again = {**batch, "id": str(uuid.uuid4())}  # the same lines in another event: old versions
    await feed([again])
    assert await gmv() == 30_000
