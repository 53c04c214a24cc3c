"""The Fengqiu demo repository loads through the API, twice without duplicates."""

from __future__ import annotations

from gateway.seed import DemoContext, load_identity
from services.catalog import demo as catalog_demo
from services.repository import demo

R = "/v1/repository"


async def test_demo_offers_stock_and_terms_load_idempotently(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await catalog_demo.load(client, ctx)
    await demo.load(client, ctx)
    await demo.load(client, ctx)

    station = ctx.headers["station-chengguan-dongjie"]
    r = await client.get(f"{R}/offers", params={"limit": 100}, headers=station)
    assert r.status_code == 200, r.text
    offers = r.json()["items"]
    r = await client.get("/v1/catalog/products", params={"region_id": str(ctx.region_id)})
    wholesale = [p for p in r.json()["items"] if "wholesale" in p["channels"]]
    assert wholesale
    # one offer per wholesale variant, none doubled by the second run
    assert sorted(o["variant_id"] for o in offers) == sorted(
        v["id"] for p in wholesale for v in p["variants"]
    )
    stocked = [o for o in offers if o["fulfilment"] == "stocked"]
    assert stocked and all(o["available_cases"] == demo.STOCK_CASES for o in stocked)

    r = await client.get(f"{R}/buyers/me", headers=station)
    assert r.json()["credit_limit_fen"] == demo.STATION_TERMS["credit_limit_fen"]
    r = await client.get(
        f"{R}/warehouses", params={"region_id": str(ctx.region_id)}, headers=ctx.headers["operator"]
    )
    assert [w["code"] for w in r.json()] == ["FQ-WH-01"]
