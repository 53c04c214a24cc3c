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
    assert [w["code"] for w in r.json()["items"]] == ["FQ-WH-01"]


async def test_a_demo_station_sees_reorder_suggestions_from_its_past_purchases(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await catalog_demo.load(client, ctx)
    await demo.load(client, ctx)

    station = ctx.headers["station-chengguan-dongjie"]
    org_id = ctx.orgs["station-chengguan-dongjie"]
    r = await client.get(f"{R}/buyers/{org_id}/suggestions", headers=station)
    assert r.status_code == 200, r.text
    assert r.headers["Suggestions-Status"] == "suggested"
    suggested = r.json()
    assert len(suggested) == demo.PAST_OFFERS
    assert all(s["basis"]["signal"] == "cadence" for s in suggested)
    assert all(s["basis"]["interval_days"] == 7 for s in suggested)
    assert all(s["suggested_cases"] >= 1 and s["product_name"] for s in suggested)
    r = await client.get(f"{R}/buyers/{org_id}/buy-again", headers=station)
    assert {i["offer_id"] for i in r.json()} == {s["offer_id"] for s in suggested}
    assert all(i["times_ordered"] == demo.PAST_WEEKS for i in r.json())

    # the station itself cannot write its history; a foreign station does not see it
    r = await client.post(
        f"{R}/buyers/{org_id}/past-purchases",
        json={
            "source": "x",
            "lines": [
                {"offer_id": suggested[0]["offer_id"], "ordered_on": "2026-01-01", "cases": 1}
            ],
        },
        headers=station,
    )
    assert r.status_code == 403, r.text
    other = next(
        k for k in ctx.orgs if k.startswith("station-") and k != "station-chengguan-dongjie"
    )
    r = await client.get(f"{R}/buyers/{org_id}/suggestions", headers=ctx.headers[other])
    assert r.status_code == 404
