"""Fengqiu demo livestream base (封丘县直播基地), loaded through the public API: 12 studio
rooms, five streamers and an agency, the brand products in the selection pool with a plan
of each kind, a planned session and a sample on its way."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

L = "/v1/livestream"
ROOMS = [f"{n}号直播间" for n in range(1, 13)]
EQUIPMENT = [["补光灯", "声卡", "提词器"], ["绿幕", "补光灯", "双机位"], ["户外直播包", "补光灯"]]
# key, display name, platform, followers, level, 30-day GMV in fen
STREAMERS = [
    ("streamer-xiaoli", "封丘小李", "douyin", 128_000, 4, 3_860_000),
    ("streamer-chenjie", "陈姐说农事", "kuaishou", 56_000, 3, 1_240_000),
    ("streamer-wangge", "王哥带你逛封丘", "douyin", 312_000, 5, 12_800_000),
    ("streamer-zhaomei", "赵妹的树莓园", "wechat_channels", 8_600, 2, 180_000),
    ("streamer-liuxiong", "刘兄黄河滩", "taobao_live", 23_000, 2, 460_000),
]


def _ok(r: httpx.Response) -> Any:
    if r.status_code >= 400:
        raise RuntimeError(f"{r.request.method} {r.request.url} → {r.status_code}: {r.text[:300]}")
    return r.json()


async def _all(client: httpx.AsyncClient, path: str, headers: Any, **params: Any) -> list[Any]:
    """Every item of a paged list (following `next_cursor`)."""
    items: list[Any] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = _ok(await client.get(f"{L}{path}", params=query, headers=headers))
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def _rooms(client: httpx.AsyncClient, ctx: Any) -> list[dict[str, Any]]:
    operator = ctx.headers["operator"]
    region = str(ctx.region_id)
    existing = {
        r["name"]: r for r in _ok(await client.get(f"{L}/rooms", params={"region_id": region}))
    }

    async def room(n: int, name: str) -> None:
        existing[name] = _ok(
            await client.post(
                f"{L}/rooms",
                json={
                    "region_id": region,
                    "name": name,
                    "equipment": EQUIPMENT[n % 3],
                    "opens_at": "08:00",
                    "closes_at": "24:00",
                },
                headers=operator,
            )
        )

    await asyncio.gather(*(room(n, name) for n, name in enumerate(ROOMS) if name not in existing))
    return [existing[name] for name in ROOMS]


async def _streamers(client: httpx.AsyncClient, ctx: Any) -> None:
    await asyncio.gather(*(_streamer(client, ctx, *streamer) for streamer in STREAMERS))
    agency = ctx.headers["agency-huanghe"]
    _ok(await client.put(f"{L}/agencies/me", json={"service_fee_bps": 1000}, headers=agency))
    for key in ("streamer-xiaoli", "streamer-chenjie"):
        _ok(
            await client.post(
                f"{L}/agencies/me/members", json={"streamer_id": str(ctx.orgs[key])}, headers=agency
            )
        )


async def _streamer(
    client: httpx.AsyncClient,
    ctx: Any,
    key: str,
    name: str,
    platform: str,
    followers: int,
    level: int,
    gmv: int,
) -> None:
    headers = ctx.headers[key]
    account = {
        "platform": platform,
        "account_id": f"fq{key[-6:]}",
        "followers": followers,
        "level": level,
    }
    _ok(
        await client.put(
            f"{L}/streamers/me",
            json={
                "display_name": name,
                "platform_accounts": [account],
                "focus_categories": ["树莓", "金银花"],
            },
            headers=headers,
        )
    )
    _ok(
        await client.put(
            f"{L}/streamers/{ctx.orgs[key]}/figures",
            json={"gmv_30d_fen": gmv, "sales_30d": gmv // 3980},
            headers=ctx.headers["operator"],
        )
    )


async def _pool(client: httpx.AsyncClient, ctx: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every branded product in the pool, opened by its supplier once livestream knows it."""
    products = _ok(
        await client.get(
            "/v1/catalog/products",
            params={"region_id": str(ctx.region_id), "branded": "true", "limit": 100},
        )
    )["items"]
    key_of = {str(v): k for k, v in ctx.orgs.items()}
    # each product waits for its own event: all at once, kept in the catalog's order
    found = await asyncio.gather(
        *(_entry(client, ctx, key, p) for p in products if (key := key_of.get(p["supplier_id"])))
    )
    return [entry for entry in found if entry is not None]


async def _entry(
    client: httpx.AsyncClient, ctx: Any, key: str, product: dict[str, Any]
) -> tuple[str, dict[str, Any]] | None:
    """The product's pool entry, opened by its supplier once livestream knows it."""
    headers = ctx.headers[key]
    price = product.get("retail_price_fen") or 3980
    body = {
        "product_id": product["id"],
        "supply_price_fen": price * 55 // 100,
        "suggested_retail_fen": price,
        "floor_price_fen": price * 80 // 100,
        "sample_rule": {
            "min_followers": 10_000,
            "min_gmv_30d_fen": 500_000,
            "min_level": 3,
            "return_required": False,
        },
    }
    for _ in range(1200):  # catalog's events reach livestream through the worker
        r = await client.post(f"{L}/pool/entries", json=body, headers=headers)
        if r.status_code in (201, 409):
            break
        await asyncio.sleep(0.05)
    mine = await _all(client, "/pool/entries", headers)
    entry = next((e for e in mine if e["product_id"] == product["id"]), None)
    if entry is None:
        return None
    await _count_at_base(client, ctx, product["id"], 200)
    return key, entry


async def _count_at_base(
    client: httpx.AsyncClient, ctx: Any, product_id: str, counted: int
) -> None:
    """The operator's opening count of the product's consignment goods at the base."""
    operator = ctx.headers["operator"]
    stock = _ok(
        await client.post(
            f"{L}/consignment/stock", json={"product_id": product_id}, headers=operator
        )
    )
    _ok(
        await client.post(
            f"{L}/consignment/stock/{stock['id']}/stocktakes",
            json={"counted": counted, "reason": "开业盘点 opening count"},
            headers=operator,
        )
    )


async def _plans(
    client: httpx.AsyncClient, ctx: Any, entries: list[tuple[str, dict[str, Any]]]
) -> None:
    if len(entries) < 4:
        return
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    specs = [
        {"kind": "open", "rate_bps": 2000, "reason": "基地通用佣金"},
        {
            "kind": "directed",
            "rate_bps": 3000,
            "min_level": 4,
            "auto_approve": True,
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=90)).isoformat(),
            "reason": "头部主播定向",
        },
        {
            "kind": "exclusive",
            "rate_bps": 3500,
            "streamer_id": str(ctx.orgs["streamer-wangge"]),
            "reason": "王哥专属",
        },
        {
            "kind": "agency",
            "rate_bps": 2500,
            "service_fee_bps": 800,
            "agency_id": str(ctx.orgs["agency-huanghe"]),
            "period_days": 90,
            "reason": "黄河云团长活动",
        },
    ]
    for (key, entry), spec in zip(entries, specs, strict=False):
        headers = ctx.headers[key]
        plans = await _all(client, "/plans", headers, pool_entry_id=entry["id"])
        if not any(p["kind"] == spec["kind"] for p in plans):
            _ok(
                await client.post(
                    f"{L}/plans", json={"pool_entry_id": entry["id"], **spec}, headers=headers
                )
            )
    directed = await _all(
        client, "/plans", ctx.headers[entries[1][0]], pool_entry_id=entries[1][1]["id"]
    )
    for plan in directed:
        if plan["kind"] == "directed":
            r = await client.post(
                f"{L}/plans/{plan['id']}/applications",
                json={},
                headers=ctx.headers["streamer-xiaoli"],
            )
            if r.status_code != 409:
                _ok(r)


async def _session_and_sample(
    client: httpx.AsyncClient,
    ctx: Any,
    rooms: list[dict[str, Any]],
    entries: list[tuple[str, dict[str, Any]]],
) -> None:
    xiaoli = ctx.headers["streamer-xiaoli"]
    if not entries:
        return
    key, entry = entries[0]
    if not _ok(await client.get(f"{L}/samples", headers=xiaoli))["items"]:
        sample = _ok(
            await client.post(f"{L}/samples", json={"pool_entry_id": entry["id"]}, headers=xiaoli)
        )
        if sample["status"] == "requested":
            sample = _ok(
                await client.post(f"{L}/samples/{sample['id']}/approve", headers=ctx.headers[key])
            )
        _ok(
            await client.post(
                f"{L}/samples/{sample['id']}/ship",
                json={
                    "carrier": "中通快递",
                    "tracking_number": f"ZT{uuid.uuid4().int % 10**12:012d}",
                },
                headers=ctx.headers[key],
            )
        )
    if not _ok(await client.get(f"{L}/sessions", headers=xiaoli))["items"]:
        zone = ZoneInfo("Asia/Shanghai")
        tomorrow = (datetime.now(UTC).astimezone(zone) + timedelta(days=1)).date()
        start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 19, 30, tzinfo=zone)
        booking = _ok(
            await client.post(
                f"{L}/bookings",
                json={
                    "room_id": rooms[0]["id"],
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=3)).isoformat(),
                },
                headers=xiaoli,
            )
        )
        session = _ok(
            await client.post(
                f"{L}/sessions",
                json={
                    "booking_id": booking["id"],
                    "platform": "douyin",
                    "title": "封丘树莓金银花专场",
                    "link_code": "FQXIAOLI01",
                },
                headers=xiaoli,
            )
        )
        _ok(
            await client.put(
                f"{L}/sessions/{session['id']}/lineup",
                json={
                    "items": [
                        {
                            "pool_entry_id": e["id"],
                            "live_price_fen": e["floor_price_fen"],
                            "stock_cap": 50,
                        }
                        for _, e in entries[:3]
                    ]
                },
                headers=xiaoli,
            )
        )


async def load(client: httpx.AsyncClient, ctx: Any) -> None:
    rooms = await _rooms(client, ctx)
    await _streamers(client, ctx)
    entries = await _pool(client, ctx)
    await _plans(client, ctx, entries)
    await _session_and_sample(client, ctx, rooms, entries)
    ctx.extra["livestream_rooms"] = len(rooms)
    ctx.extra["livestream_pool_entries"] = len(entries)
