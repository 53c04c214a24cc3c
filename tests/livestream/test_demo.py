"""The Fengqiu demo base loads through the API, twice without duplicates."""

from __future__ import annotations

from gateway.seed import DemoContext, load_identity
from services.catalog import demo as catalog_demo
from services.livestream import demo

L = "/v1/livestream"


async def test_demo_base_loads_idempotently(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await catalog_demo.load(client, ctx)
    await demo.load(client, ctx)
    await demo.load(client, ctx)

    rooms = (await client.get(f"{L}/rooms", params={"region_id": str(ctx.region_id)})).json()
    assert len(rooms) == 12
    operator = ctx.headers["operator"]
    streamers = (await client.get(f"{L}/streamers", headers=operator)).json()
    assert len(streamers) == 5
    agency = (
        await client.get(f"{L}/agencies/{ctx.orgs['agency-huanghe']}", headers=operator)
    ).json()
    assert agency["service_fee_bps"] == 1000
    entries = (await client.get(f"{L}/pool/entries", headers=operator)).json()
    assert len(entries) >= 4 and all(e["brand"] for e in entries)
    kinds = set()
    for entry in entries:
        plans = (
            await client.get(f"{L}/plans", params={"pool_entry_id": entry["id"]}, headers=operator)
        ).json()
        kinds |= {p["kind"] for p in plans}
    assert kinds == {"open", "directed", "exclusive", "agency"}
    samples = (await client.get(f"{L}/samples", headers=ctx.headers["streamer-xiaoli"])).json()
    assert [s["status"] for s in samples] == ["shipped"]
    assert samples[0]["tracking_number"]
    sessions = (await client.get(f"{L}/sessions", headers=ctx.headers["streamer-xiaoli"])).json()
    assert len(sessions) == 1 and len(sessions[0]["lineup"]) == 3
