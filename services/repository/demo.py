"""Fengqiu demo repository: wholesale offers for the demo suppliers' products, the county
warehouse with stock, the 16:00 cut-off, and the stations' payment terms.

Called by `python -m gateway seed` (gateway/seed.py) through the public API; idempotent.
The catalog's products reach the repository as events, so this waits for the worker.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

R = "/v1/repository"
SUPPLIERS = ("supplier-honeysuckle", "supplier-raspberry", "supplier-celery", "supplier-goods")
# per-case prices in fen by the product's first-variant unit weight: a simple demo ladder
CASE_PACK = 12
STATION_TERMS = {
    "payment_methods": ["bank_transfer", "card", "cod", "credit"],
    "credit_limit_fen": 500_000,
    "terms_days": 30,
}
SHOP_TERMS = {"payment_methods": ["bank_transfer", "card"]}
STOCK_CASES = 40
# Each station's ledger before it ordered here: its first offers bought every week for
# five weeks, the last a week ago, so that its reorder suggestions show them due now.
PAST_WEEKS = 5
PAST_OFFERS = 3
POLL_S = 0.05  # how often to look for what an event brings (30 s in all)


async def _wait_for_variant(
    client: httpx.AsyncClient, variant_id: str, headers: dict[str, str]
) -> bool:
    for _ in range(600):
        r = await client.get(f"{R}/variants/{variant_id}", headers=headers)
        if r.status_code == 200:
            return True
        await asyncio.sleep(POLL_S)
    return False


async def _products(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    r = await client.get("/v1/catalog/manage/products", headers=headers)
    r.raise_for_status()
    return [p for p in r.json()["items"] if p["on_sale"] and "wholesale" in p["channels"]]


def _offer_body(product: dict[str, Any], variant: dict[str, Any]) -> dict[str, Any]:
    unit_price = variant.get("retail_price_fen") or product.get("retail_price_fen") or 1000
    # wholesale is ~70 % of retail per unit, 5 % less from 10 cases up
    case_price = unit_price * CASE_PACK * 70 // 100
    downstream = product["category"] in ("日用百货", "农资", "家电")
    return {
        "variant_id": variant["id"],
        "direction": "downstream" if downstream else "upstream",
        "unit_name": f"{variant.get('unit') or '件'} ({variant['name']})",
        "case_pack": CASE_PACK,
        "min_order_cases": 1,
        "multiple_cases": 1,
        "price_tiers": [
            {"min_cases": 1, "price_fen": case_price},
            {"min_cases": 10, "price_fen": case_price * 95 // 100},
        ],
        "buyer_kinds": ["station", "retailer"],
        "fulfilment": "stocked" if downstream or product["storage"] == "ambient" else "to_order",
        "lead_time_days": 1,
    }


async def _warehouse(client: httpx.AsyncClient, ctx: Any) -> str:
    operator = ctx.headers["operator"]
    params = {"region_id": str(ctx.region_id), "limit": "100"}
    while True:
        r = await client.get(f"{R}/warehouses", params=params, headers=operator)
        r.raise_for_status()
        page = r.json()
        existing = next((w for w in page["items"] if w["code"] == "FQ-WH-01"), None)
        if existing is not None:
            return existing["id"]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    r = await client.post(
        f"{R}/warehouses",
        json={"region_id": str(ctx.region_id), "code": "FQ-WH-01", "name": "封丘县公共仓储中心"},
        headers=operator,
    )
    r.raise_for_status()
    return r.json()["id"]


async def load(client: httpx.AsyncClient, ctx: Any) -> None:
    operator = ctx.headers["operator"]
    r = await client.put(
        f"{R}/regions/{ctx.region_id}/rules",
        json={"cutoff_time": "16:00", "reservation_minutes": 120},
        headers=operator,
    )
    r.raise_for_status()
    warehouse_id = await _warehouse(client, ctx)

    async def offer(headers: dict[str, str], product: dict[str, Any], variant: dict) -> None:
        if not await _wait_for_variant(client, variant["id"], headers):
            print(f"repository demo: {product['name']} has not arrived; is a worker running?")
            return
        body = _offer_body(product, variant)
        r = await client.post(f"{R}/offers", json=body, headers=headers)
        if r.status_code == 409:
            return  # made by an earlier run
        r.raise_for_status()
        if body["fulfilment"] == "stocked":
            r = await client.post(
                f"{R}/warehouses/{warehouse_id}/receipts",
                json={"variant_id": variant["id"], "cases": STOCK_CASES, "reason": "演示期初库存"},
                headers=operator,
            )
            r.raise_for_status()

    # Each variant waits for its own event: all at once, so that the waits overlap.
    offers = []
    for key in SUPPLIERS:
        if key in ctx.headers:
            headers = ctx.headers[key]
            for product in await _products(client, headers):
                offers += [offer(headers, product, variant) for variant in product["variants"]]
    await asyncio.gather(*offers)

    async def buyer(key: str, org_id: Any, terms: dict[str, Any]) -> None:
        for _ in range(400):  # the buyer account opens on identity's approval event
            r = await client.put(f"{R}/buyers/{org_id}/terms", json=terms, headers=operator)
            if r.status_code != 404:
                break
            await asyncio.sleep(POLL_S)
        r.raise_for_status()
        if key.startswith("station-"):
            await _past_purchases(client, operator, org_id, ctx.headers.get(key))

    await asyncio.gather(
        *(
            buyer(key, org_id, STATION_TERMS if key.startswith("station-") else SHOP_TERMS)
            for key, org_id in ctx.orgs.items()
            if key.startswith(("station-", "retailer-"))
        )
    )
    ctx.extra["repository_warehouse_id"] = warehouse_id


async def _past_purchases(
    client: httpx.AsyncClient,
    operator: dict[str, str],
    org_id: Any,
    station: dict[str, str] | None,
) -> None:
    """The station's weekly purchases of its first offers over the last five weeks."""
    if station is None:
        return
    r = await client.get(f"{R}/offers", params={"limit": 20}, headers=station)
    r.raise_for_status()
    offers = sorted(r.json()["items"], key=lambda o: o["id"])[:PAST_OFFERS]
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    lines = [
        {
            "offer_id": offer["id"],
            "ordered_on": (today - timedelta(days=7 * week)).isoformat(),
            "cases": max(offer["min_order_cases"], 2 + (n + week) % 3),
        }
        for n, offer in enumerate(offers)
        for week in range(1, PAST_WEEKS + 1)
    ]
    if not lines:
        return
    r = await client.post(
        f"{R}/buyers/{org_id}/past-purchases",
        json={"source": "村站进货台账（上线前）", "lines": lines},
        headers=operator,
    )
    r.raise_for_status()
