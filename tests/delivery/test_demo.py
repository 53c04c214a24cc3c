"""The Fengqiu network loads through the API, twice without duplicates, ready to plan a run."""

from __future__ import annotations

from gateway.seed import DemoContext, load_identity
from services.delivery import demo

D = "/v1/delivery"


async def test_the_fengqiu_network_loads_once_and_the_demo_driver_drives_it(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await demo.load(client, ctx)
    await demo.load(client, ctx)

    operator = ctx.headers["operator"]
    region = {"region_id": str(ctx.region_id), "limit": 100}
    r = await client.get(f"{D}/stops", params=region, headers=operator)
    kinds = sorted(s["kind"] for s in r.json()["items"])
    assert kinds == sorted(
        ["warehouse"] + ["hub"] * len(demo.HUBS) + ["station"] * 4 + ["farm"] * len(demo.FARMS)
    )
    r = await client.get(f"{D}/vehicles", params=region, headers=operator)
    vehicles = r.json()["items"]
    assert len(vehicles) == 2 and any(v["cold_chain"] for v in vehicles)
    r = await client.get(f"{D}/routes", params=region, headers=operator)
    routes = r.json()["items"]
    assert sorted(route["name"] for route in routes) == sorted(name for name, *_ in demo.ROUTES)

    driver = ctx.headers["driver"]
    me = (await client.get("/v1/identity/me", headers=driver)).json()
    r = await client.get(
        f"{D}/drivers/{me['id']}", params={"region_id": str(ctx.region_id)}, headers=driver
    )
    assert r.status_code == 200, r.text
    assert sorted(x["name"] for x in r.json()["routes"]) == sorted(
        route["name"] for route in routes
    )
    first = routes[0]
    r = await client.get(f"{D}/routes/{first['id']}", headers=operator)
    assert r.json()["stops"][0]["name"] == demo.WAREHOUSE
    # a newcomer can plan right away: the plan answers (no parcels yet, so no runs)
    r = await client.post(
        f"{D}/runs/plan",
        json={"region_id": str(ctx.region_id), "delivery_date": "2026-12-02"},
        headers=operator,
    )
    assert r.status_code == 200, r.text
