"""The Fengqiu demo base loads through the API, twice without duplicates."""

from __future__ import annotations

from gateway.seed import DemoContext, load_identity
from services.catalog import demo as catalog_demo
from services.livestream import demo
from tests.livestream.helpers import L, listed


async def test_demo_base_loads_idempotently(client):
    ctx = DemoContext()
    await load_identity(client, ctx)
    await catalog_demo.load(client, ctx)
    await demo.load(client, ctx)
    await demo.load(client, ctx)

    rooms = (await client.get(f"{L}/rooms", params={"region_id": str(ctx.region_id)})).json()
    assert len(rooms) == 12
    operator = ctx.headers["operator"]
    streamers = await listed(client, "/streamers", operator)
    assert len(streamers) == 5
    agency = (
        await client.get(f"{L}/agencies/{ctx.orgs['agency-huanghe']}", headers=operator)
    ).json()
    assert agency["service_fee_bps"] == 1000
    entries = await listed(client, "/pool/entries", operator)
    assert len(entries) >= 4 and all(e["brand"] for e in entries)
    kinds = set()
    for entry in entries:
        plans = await listed(client, "/plans", operator, pool_entry_id=entry["id"])
        kinds |= {p["kind"] for p in plans}
    assert kinds == {"open", "directed", "exclusive", "agency"}
    samples = await listed(client, "/samples", ctx.headers["streamer-xiaoli"])
    assert [s["status"] for s in samples] == ["shipped"]
    assert samples[0]["tracking_number"]
    sessions = await listed(client, "/sessions", ctx.headers["streamer-xiaoli"])
    assert len(sessions) == 1 and len(sessions[0]["lineup"]) == 3
