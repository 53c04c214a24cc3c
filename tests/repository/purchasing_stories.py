"""Arranging centralized-purchasing stories: a closed window with confirmed orders.

Orders are placed with the clock set back (order_factories.place_at), so their window
closed long ago: older than the scheduled job's horizon, the window waits for the
operator's "consolidate" (or for a job the test sends itself), and the beat stays out
of the story. Cash-on-delivery orders are confirmed when placed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from tests.factories import Actor, County, eventually
from tests.repository.factories import R, deliver, new_buyer, new_supplier, supply
from tests.repository.order_factories import place_at, stocked_offer

LONG_AGO = timedelta(days=30)
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def station_on_a_route(client, county: County, name: str) -> Actor:
    """A station paying cash on delivery (or by card), served by a daily route."""
    station = await new_buyer(client, county, name=name, payment_methods=["cod", "card"])
    stop_id = uuid.uuid4()
    deliver(
        "delivery.route.published",
        {
            "route_id": str(uuid.uuid4()),
            "region_id": str(county.region_id),
            "name": f"城关—{name}线",
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "departure_time": "07:00",
            "stops": [
                {
                    "stop_id": str(stop_id),
                    "station_org_id": str(station.org_id),
                    "sequence": 1,
                    "kind": "station",
                }
            ],
        },
        county.region_id,
    )

    async def served() -> bool:
        r = await client.get(f"{R}/buyers/me", headers=station.headers)
        return r.json()["stop_id"] == str(stop_id)

    await eventually(served)
    return station


def back_then(ago: timedelta = LONG_AGO, minute: int = 0) -> datetime:
    """09:00 (+ minutes) Beijing time that many days ago: well before that day's cut-off."""
    day = (datetime.now(UTC) - ago).astimezone(SHANGHAI).date()
    return datetime.combine(day, time(9, minute), SHANGHAI).astimezone(UTC)


async def order_in_window(
    buyer: Actor, when: datetime, *pairs: tuple[dict, int], method: str = "cod"
) -> dict:
    return await place_at(
        buyer, when, [{"offer_id": o["id"], "cases": cases} for o, cases in pairs], method=method
    )


@dataclass
class Window:
    """A closed window: suppliers A (honey, raspberry) and B (celery) to order, a stocked
    variant in the county warehouse, three stations' confirmed orders and one unpaid."""

    county: County
    window_date: str
    supplier_a: Actor
    supplier_b: Actor
    honey: dict
    raspberry: dict
    celery: dict
    stocked: dict
    warehouse: dict
    stations: list[Actor]
    orders: list[dict]
    unpaid: dict

    @property
    def path(self) -> str:
        return window_path(self.county, self.window_date)


async def closed_window(client, county: County) -> Window:
    supplier_a = await new_supplier(client, county, "封丘县金银花种植合作社")
    supplier_b = await new_supplier(client, county, "应举镇芹菜家庭农场")
    honey = await supply(
        client,
        county,
        supplier_a,
        lead_time_days=2,
        price_tiers=[{"min_cases": 1, "price_fen": 36000}, {"min_cases": 10, "price_fen": 34000}],
    )
    raspberry = await supply(
        client,
        county,
        supplier_a,
        product={"name": "封丘树莓 鲜果", "storage": "chilled", "net_weight_g": 500},
        lead_time_days=1,
        price_tiers=[{"min_cases": 1, "price_fen": 12000}],
    )
    celery = await supply(
        client,
        county,
        supplier_b,
        product={"name": "封芹", "net_weight_g": 1000, "volume_cm3": 3000},
        lead_time_days=3,
        price_tiers=[{"min_cases": 1, "price_fen": 5000}],
    )
    stocked, warehouse = await stocked_offer(
        client, county, 40, price_tiers=[{"min_cases": 1, "price_fen": 8000}]
    )
    stations = [await station_on_a_route(client, county, f"村站{i}") for i in (1, 2, 3)]
    when = back_then()
    orders = [
        await order_in_window(stations[0], when, (honey, 10), (raspberry, 4), (stocked, 5)),
        await order_in_window(stations[1], when, (honey, 6), (celery, 3)),
        await order_in_window(stations[2], when, (stocked, 2)),
    ]
    unpaid = await order_in_window(stations[0], when, (honey, 7), method="card")
    assert {o["window_date"] for o in [*orders, unpaid]} == {orders[0]["window_date"]}
    assert [o["status"] for o in orders] == ["confirmed"] * 3
    return Window(
        county,
        orders[0]["window_date"],
        supplier_a,
        supplier_b,
        honey,
        raspberry,
        celery,
        stocked,
        warehouse,
        stations,
        orders,
        unpaid,
    )


def window_path(county: County, window_date: str) -> str:
    return f"{R}/windows/{county.region_id}/{window_date}"


async def consolidate(client, county: County, window_date: str) -> dict:
    """The operator consolidates the closed window now: the worker runs it and the
    operator polls the run until it is done."""
    r = await client.post(
        f"{window_path(county, window_date)}/consolidate", headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] in ("queued", "running")
    location = r.headers["Location"]

    async def done() -> dict | None:
        r = await client.get(location, headers=county.operator.headers)
        assert r.status_code == 200, r.text
        return r.json() if r.json()["status"] == "done" else None

    return await eventually(done, timeout=60)


async def purchase_orders(client, actor: Actor, **params: Any) -> list[dict]:
    """Every purchase order the actor can see (all pages), each in full."""
    found, cursor = [], None
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"{R}/purchase-orders", params=query, headers=actor.headers)
        assert r.status_code == 200, r.text
        page = r.json()
        for item in page["items"]:
            one = await client.get(f"{R}/purchase-orders/{item['id']}", headers=actor.headers)
            assert one.status_code == 200, one.text
            found.append(one.json())
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def cases_by_variant(purchase_order: dict) -> dict[str, int]:
    return {line["variant_id"]: line["ordered_cases"] for line in purchase_order["lines"]}


async def lines_per_purchase_order_line(region_id: uuid.UUID) -> dict[str, int]:
    """How many order lines point at each PO line of the region (read from the table)."""
    from services.repository.db import kernel
    from services.repository.orders.models import Order, OrderLine
    from shared.db import sessionmaker_for

    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(OrderLine.purchase_order_line_id, func.count())
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.region_id == region_id, OrderLine.purchase_order_line_id.is_not(None))
            .group_by(OrderLine.purchase_order_line_id)
        )
        return {str(k): int(v) for k, v in rows.all()}
