"""The Fengqiu demo catalog loads through the API, twice without duplicates."""

from __future__ import annotations

from gateway.seed import DemoContext, load_identity
from services.catalog import demo


async def test_demo_catalog_loads_idempotently_and_the_demo_jar_traces(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await demo.load(client, ctx)
    await demo.load(client, ctx)

    r = await client.get("/v1/catalog/products", params={"region_id": str(ctx.region_id)})
    names = sorted(p["name"] for p in r.json()["items"])
    assert names == sorted(s["name"] for specs in demo.PRODUCTS.values() for s in specs)
    assert all(p["brand"] for p in r.json()["items"])
    trace = (await client.get(f"/v1/catalog/trace/{demo.LOT_CODE}")).json()
    assert trace["harvest_date"] == "2026-06-10" and trace["inspection"]["result"] == "合格"
    assert trace["product"]["brand"] == "封丘树莓"
