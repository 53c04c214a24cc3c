"""Arranging the livestream base through the HTTP API: rooms, streamers, pool products."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.livestream.worker import EXPIRE_SAMPLES_TASK, OVERDUE_SAMPLES_TASK
from shared.tasks import celery_app
from tests.catalog.helpers import approved, supplier
from tests.catalog.test_brand import license, make_brand
from tests.factories import Actor, eventually, new_org

L = "/v1/livestream"
_brands: dict[str, dict[str, Any]] = {}


async def listed(client, path: str, headers=None, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, page after page (following `next_cursor`)."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"{L}{path}", params=query, headers=headers)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return items


def at(hours: float, timezone: str = "Asia/Shanghai") -> str:
    """`hours` after tomorrow's local midnight (so a slot stays inside one local day)."""
    local = datetime.now(UTC).astimezone(ZoneInfo(timezone)) + timedelta(days=1)
    midnight = datetime(local.year, local.month, local.day, tzinfo=ZoneInfo(timezone))
    return (midnight + timedelta(hours=hours)).isoformat()


async def room(client, county, name: str = "1号直播间", **overrides: Any) -> dict[str, Any]:
    body = {
        "region_id": str(county.region_id),
        "name": name,
        "equipment": ["补光灯", "声卡"],
        "opens_at": "00:00",
        "closes_at": "24:00",
        **overrides,
    }
    r = await client.post(f"{L}/rooms", json=body, headers=county.operator.headers)
    assert r.status_code == 201, r.text
    return r.json()


async def streamer(
    client, county, *, followers: int = 1000, level: int = 1, gmv_30d_fen: int = 0, name=None
) -> Actor:
    """A streamer organisation, signed up and approved, with its profile and figures."""
    actor = await new_org(client, county, "streamer", name)
    r = await client.put(
        f"{L}/streamers/me",
        json={
            "display_name": name or "封丘小主播",
            "platform_accounts": [
                {
                    "platform": "douyin",
                    "account_id": f"dy{actor.org_id.hex[:8]}",
                    "followers": followers,
                    "level": level,
                }
            ],
            "focus_categories": ["树莓"],
        },
        headers=actor.headers,
    )
    assert r.status_code == 200, r.text
    if gmv_30d_fen:
        r = await client.put(
            f"{L}/streamers/{actor.org_id}/figures",
            json={"gmv_30d_fen": gmv_30d_fen, "sales_30d": 10},
            headers=county.operator.headers,
        )
        assert r.status_code == 200, r.text
    return actor


async def book(client, actor: Actor, room_id: str, start: str, end: str):
    return await client.post(
        f"{L}/bookings",
        json={"room_id": room_id, "starts_at": start, "ends_at": end},
        headers=actor.headers,
    )


async def branded_product(
    client, county, seller=None, **overrides: Any
) -> tuple[Actor, dict, dict]:
    """An approved catalog product under a licensed brand; returns (seller, product, licence)."""
    seller = seller or await supplier(client, county)
    key = str(county.region_id)
    if key not in _brands:
        _brands[key] = await make_brand(client, county)
    product = await approved(client, county, seller, **overrides)
    licence = await license(client, county, _brands[key], seller, [product["id"]])
    return seller, product, licence


async def open_to_pool(client, actor: Actor, product_id: str, **overrides: Any) -> dict[str, Any]:
    """Open the product once livestream has learnt it from catalog's events."""
    body = {
        "product_id": product_id,
        "supply_price_fen": 2000,
        "suggested_retail_fen": 3980,
        "floor_price_fen": 2990,
        **overrides,
    }
    result: dict[str, Any] = {}

    async def opened() -> bool:
        r = await client.post(f"{L}/pool/entries", json=body, headers=actor.headers)
        if r.status_code == 201:
            result.update(r.json())
            return True
        assert r.status_code in (404, 422), r.text
        return False

    await eventually(opened, timeout=30, interval=0.5)
    return result


async def pool_entry(
    client, county, *, stock_at_base: int = 100, **overrides: Any
) -> tuple[Actor, dict[str, Any]]:
    """A product in the pool with `stock_at_base` consignment goods on hand at the base."""
    seller, product, _ = await branded_product(client, county)
    entry = await open_to_pool(client, seller, product["id"], **overrides)
    if stock_at_base:
        await count_at_base(client, county, product["id"], stock_at_base)
        entry["stock_at_base"] = stock_at_base
    return seller, entry


async def count_at_base(
    client, county, product_id: str, counted: int, reason: str = "opening count"
) -> dict[str, Any]:
    """The operator counts the product's consignment goods at the base (a stocktake);
    returns the stock row after the count."""
    r = await client.post(
        f"{L}/consignment/stock", json={"product_id": product_id}, headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    stock = r.json()
    r = await client.post(
        f"{L}/consignment/stock/{stock['id']}/stocktakes",
        json={"counted": counted, "reason": reason},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.get(f"{L}/consignment/stock/{stock['id']}", headers=county.operator.headers)
    return r.json()


def run_job(task: str, county, as_of: datetime) -> None:
    celery_app.send_task(
        task,
        kwargs={"as_of": as_of.isoformat(), "region_id": str(county.region_id)},
        queue="livestream",
    )


def expire_samples(county, as_of: datetime) -> None:
    run_job(EXPIRE_SAMPLES_TASK, county, as_of)


def overdue_samples(county, as_of: datetime) -> None:
    run_job(OVERDUE_SAMPLES_TASK, county, as_of)


async def gather(*coros):
    return await asyncio.gather(*coros)
