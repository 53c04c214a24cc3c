"""A rebuild empties the read model and every producer replays its stored events: the
figures come back equal to the incremental ones, through the real worker."""

from __future__ import annotations

import importlib

from shared.db import sessionmaker_for, utcnow
from tests.factories import eventually
from tests.insights.helpers import county_year, feed


async def _store_in_producers_outboxes(events: list[dict]) -> None:
    """As if each producer had published them (already relayed: published_at is set)."""
    by_producer: dict[str, list[dict]] = {}
    for payload in events:
        by_producer.setdefault(payload["type"].split(".")[0], []).append(payload)
    for producer, payloads in by_producer.items():
        kernel = importlib.import_module(f"services.{producer}.db").kernel
        async with sessionmaker_for(kernel)() as session:
            await session.execute(
                kernel.outbox.insert(),
                [
                    {
                        "event_id": p["id"],
                        "event_type": p["type"],
                        "region_id": p["region_id"],
                        "payload": p,
                        "published_at": utcnow(),
                    }
                    for p in payloads
                ],
            )
            await session.commit()


async def test_rebuild_by_replay_gives_the_incremental_figures(client, admin, county):
    year = county_year(county.region_id, seed=21)
    await feed(year.events)
    url = f"/v1/insights/regions/{county.region_id}/dashboard"
    params = {"year": 2025}
    r = await client.get(url, params=params, headers=county.operator.headers)
    incremental = r.json()
    await _store_in_producers_outboxes(year.events)

    r = await client.post("/v1/insights/rebuild", headers=county.operator.headers)
    assert r.status_code == 403  # a county's operator may not empty every county's model
    r = await client.post("/v1/insights/rebuild", headers=admin.headers)
    assert r.status_code == 202, r.text
    assert {"catalog", "delivery", "identity", "livestream", "repository", "suppliers"} <= set(
        r.json()["replay_asked_of"]
    )

    async def rebuilt():
        r = await client.get(url, params=params, headers=county.operator.headers)
        return r.json() == incremental

    await eventually(rebuilt, timeout=180, interval=2)
