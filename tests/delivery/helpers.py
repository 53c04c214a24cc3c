"""Arranging a delivery day through the API: a network, parcels waiting, a planned run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from services.delivery.db import kernel
from shared.db import sessionmaker_for
from tests.delivery.test_delivery_day import DAY, network, order_ready, station_parcels
from tests.factories import Actor, County, eventually


@dataclass
class Day:
    county: County
    li: Actor
    wang: Actor
    driver: Actor
    parcels: list[dict[str, Any]]
    runs: list[dict[str, Any]]

    @property
    def run(self) -> dict[str, Any]:
        [run] = self.runs
        return run


def parcel(weight_g: int = 1_000, chilled: bool = False) -> dict[str, Any]:
    return {"weight_g": weight_g, "volume_cm3": 1_000, "chilled": chilled}


async def planned_day(client, county, specs, *, max_weight_g=20_000, cost_per_run_fen=0) -> Day:
    """Li's station gets one order of `specs` parcels; the dispatcher plans the day."""
    (li, wang), driver = await network(
        client, county, max_weight_g=max_weight_g, cost_per_run_fen=cost_per_run_fen
    )
    order_ready(county, li, specs)

    async def arrived():
        found = await station_parcels(client, li, limit=100)
        return found if len(found) == len(specs) else None

    parcels = sorted(await eventually(arrived), key=lambda p: p["tracking_number"])
    r = await client.post(
        "/v1/delivery/runs/plan",
        json={"region_id": str(county.region_id), "delivery_date": DAY.isoformat()},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return Day(county, li, wang, driver, parcels, r.json()["runs"])


async def act(client, who: Actor, run_id: str, action: str, **body) -> Any:
    return await client.post(
        f"/v1/delivery/runs/{run_id}/{action}", json=body or None, headers=who.headers
    )


async def run_events(run_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The run's events in the delivery outbox, in the order they were written."""
    outbox = kernel.outbox
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.event_type.like("delivery.run.%"))
            .order_by(outbox.c.seq)
        )
        return [(t, p["data"]) for t, p in rows.all() if p["data"]["run_id"] == run_id]
