"""The Fengqiu demo gives the county dashboard a year of history (marked as demo data),
naming the demo's own suppliers, stations and products, and loads twice without doubling."""

from __future__ import annotations

from datetime import datetime

from gateway.seed import DemoContext, load_identity
from services.catalog import demo as catalog_demo
from services.insights import demo
from services.suppliers import demo as suppliers_demo


async def test_the_demo_dashboard_is_not_empty_and_a_second_load_changes_nothing(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await suppliers_demo.load(client, ctx)
    await catalog_demo.load(client, ctx)
    await demo.load(client, ctx)
    assert ctx.extra["insights_demo_events"] > 1000
    year = datetime.now(demo.TZ).year
    url = f"/v1/insights/regions/{ctx.region_id}/dashboard"
    operator = ctx.headers["operator"]
    r = await client.get(url, params={"year": year}, headers=operator)
    assert r.status_code == 200, r.text
    first = {f["name"]: f for f in r.json()["figures"]}
    enterprises = first["enterprise_sales"]["detail"]["enterprises"]
    suppliers = {str(v) for k, v in ctx.orgs.items() if k.startswith("supplier-")}
    assert len(enterprises) >= 3 and {e["supplier_id"] for e in enterprises} <= suppliers
    assert all(e["name"] for e in enterprises)
    assert first["growth"]["detail"]["upstream_previous_fen"] > 0
    assert first["growth"]["detail"]["upstream_fen"] > 0
    assert first["livestream"]["value"] >= 10 and first["livestream"]["detail"]["gmv_fen"] > 0
    assert len(first["carriers"]["detail"]["carriers"]) == 5
    assert first["stations_reporting"]["value"] > 0
    assert first["training"]["value"] > 0
    r = await client.get(
        f"/v1/insights/regions/{ctx.region_id}/records", params={"year": year}, headers=operator
    )
    assert r.json() and all(x["title"].startswith("演示") for x in r.json())
    records = len(r.json())

    await demo.load(client, ctx)
    r = await client.get(url, params={"year": year}, headers=operator)
    assert {f["name"]: f for f in r.json()["figures"]} == first
    r = await client.get(
        f"/v1/insights/regions/{ctx.region_id}/records", params={"year": year}, headers=operator
    )
    assert len(r.json()) == records
