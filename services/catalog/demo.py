"""Fengqiu demo catalog: the county's categories, the three public brands, licensed
products, a certificate and a traced lot of raspberry jam (scan
/v1/catalog/trace/FQ-DEMO-0001).

Called by `python -m gateway seed` (gateway/seed.py) through the public API; idempotent.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from PIL import Image, ImageDraw

M = "/v1/catalog/manage"
LOT_CODE = "FQ-DEMO-0001"

# The county's category list, in the apps' filter order: local specialities first
# (upstream), then what the stations restock (downstream).
CATEGORIES = ["金银花", "树莓", "芹菜", "粮油", "日用百货", "农资", "家电"]

BRANDS = [
    ("封丘金银花", ["金银花"], "封丘是“中国金银花之乡”，黄河故道沙壤土孕育道地药材。"),
    ("封丘树莓", ["树莓"], "黄河滩区引种树莓二十余年，果实饱满，酸甜适口。"),
    ("封芹", ["芹菜"], "封丘芹菜，国家地理标志产品，脆嫩无渣。"),
]

# supplier key -> products (name, category, fields, variants)
PRODUCTS: dict[str, list[dict[str, Any]]] = {
    "supplier-honeysuckle": [
        {
            "name": "封丘金银花茶",
            "category": "金银花",
            "pinyin": "fengqiu jinyinhua cha",
            "name_en": "Fengqiu honeysuckle tea",
            "origin_township": "应举镇",
            "origin_village": "前吴村",
            "grade": "特级",
            "retail_price_fen": 6800,
            "channels": ["retail", "livestream", "wholesale"],
            "variants": [("DEMO-JYH-50", "50g 铁罐", "罐", 50, 6800)],
        },
        {
            "name": "金银花干花",
            "category": "金银花",
            "pinyin": "jinyinhua ganhua",
            "name_en": "Dried honeysuckle flowers",
            "origin_township": "应举镇",
            "grade": "一级",
            "retail_price_fen": 12800,
            "channels": ["wholesale"],
            "variants": [("DEMO-JYH-500", "500g 袋装", "袋", 500, 12800)],
        },
    ],
    "supplier-raspberry": [
        {
            "name": "封丘树莓果酱",
            "category": "树莓",
            "pinyin": "fengqiu shumei guojiang",
            "name_en": "Fengqiu raspberry jam",
            "origin_township": "城关镇",
            "origin_village": "东街村",
            "grade": "一级",
            "retail_price_fen": 3980,
            "channels": ["retail", "livestream", "wholesale"],
            "variants": [
                ("DEMO-SM-250", "250g 玻璃瓶", "瓶", 250, 3980),
                ("DEMO-SM-500", "500g 玻璃瓶", "瓶", 500, 6980),
            ],
        },
        {
            "name": "冷冻树莓",
            "category": "树莓",
            "pinyin": "lengdong shumei",
            "name_en": "Frozen raspberries",
            "origin_township": "城关镇",
            "grade": "特级",
            "storage": "frozen",
            "retail_price_fen": 2500,
            "channels": ["wholesale"],
            "variants": [("DEMO-SM-FZ1", "1kg 冷冻袋", "袋", 1000, 2500)],
        },
    ],
    "supplier-celery": [
        {
            "name": "封芹（地理标志）",
            "category": "芹菜",
            "pinyin": "feng qin",
            "name_en": "Fengqiu celery",
            "origin_township": "荆乡回族乡",
            "origin_village": "荆隆宫村",
            "grade": "一级",
            "storage": "chilled",
            "shelf_life_days": 10,
            "retail_price_fen": 1200,
            "channels": ["wholesale", "retail"],
            "variants": [("DEMO-FQ-5KG", "5kg 箱", "箱", 5000, 1200)],
        },
    ],
}


def _picture(text: str) -> bytes:
    image = Image.new("RGB", (800, 600), (200, 40, 60))
    ImageDraw.Draw(image).text(
        (40, 280), text.encode("ascii", "ignore").decode() or "FQ", fill="white"
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _ok(r: httpx.Response) -> Any:
    if r.status_code >= 400:
        raise RuntimeError(f"{r.request.method} {r.request.url}: {r.status_code} {r.text[:300]}")
    return r.json() if r.content else {}


async def _categories(client: httpx.AsyncClient, ctx: Any) -> None:
    operator = ctx.headers["operator"]
    existing = _ok(
        await client.get(
            f"{M}/categories", params={"region_id": str(ctx.region_id)}, headers=operator
        )
    )
    names = {c["name"] for c in existing}
    for position, name in enumerate(CATEGORIES, start=1):
        if name not in names:
            _ok(
                await client.post(
                    f"{M}/categories",
                    json={"region_id": str(ctx.region_id), "name": name, "position": position * 10},
                    headers=operator,
                )
            )


async def _brands(client: httpx.AsyncClient, ctx: Any) -> dict[str, dict]:
    operator = ctx.headers["operator"]
    existing = {
        b["name"]: b
        for b in _ok(
            await client.get(
                "/v1/catalog/brands", params={"region_id": str(ctx.region_id), "limit": 100}
            )
        )["items"]
    }
    for name, categories, story in BRANDS:
        if name not in existing:
            existing[name] = _ok(
                await client.post(
                    "/v1/catalog/brands",
                    json={
                        "region_id": str(ctx.region_id),
                        "name": name,
                        "story": story,
                        "categories": categories,
                        "trademark_classes": [29, 30, 31],
                        "vi_assets": [{"name": "标准色", "value": "#C8102E"}],
                    },
                    headers=operator,
                )
            )
    return existing


async def _product(client: httpx.AsyncClient, ctx: Any, key: str, spec: dict) -> dict:
    headers = ctx.headers[key]
    mine = _ok(await client.get(f"{M}/products", params={"limit": 100}, headers=headers))["items"]
    found = next((p for p in mine if p["name"] == spec["name"]), None)
    if found is None:
        body = {k: v for k, v in spec.items() if k != "variants"}
        body["description"] = f"{spec['origin_township']}产地直供"
        body["variants"] = [
            {
                "sku": sku,
                "name": name,
                "unit": unit,
                "net_weight_g": grams,
                "retail_price_fen": price,
            }
            for sku, name, unit, grams, price in spec["variants"]
        ]
        found = _ok(await client.post(f"{M}/products", json=body, headers=headers))
        found = _ok(
            await client.post(
                f"{M}/products/{found['id']}/images",
                files={"file": ("product.png", _picture(spec.get("name_en", "")), "image/png")},
                headers=headers,
            )
        )
    if found["status"] == "draft":
        found = _ok(await client.post(f"{M}/products/{found['id']}/review/submit", headers=headers))
    if found["status"] == "submitted":
        found = _ok(
            await client.post(
                f"{M}/products/{found['id']}/review/approve", headers=ctx.headers["operator"]
            )
        )
    return found


async def _licence(client, ctx, brand: dict, key: str, product_ids: list[str]) -> None:
    operator = ctx.headers["operator"]
    licences = _ok(
        await client.get(
            "/v1/catalog/licences",
            params={"brand_id": brand["id"], "supplier_id": str(ctx.orgs[key]), "limit": 1},
            headers=operator,
        )
    )
    if licences["items"]:
        return
    today = datetime.now(UTC).date()
    _ok(
        await client.post(
            f"/v1/catalog/brands/{brand['id']}/licences",
            json={
                "supplier_id": str(ctx.orgs[key]),
                "product_ids": product_ids,
                "valid_from": today.isoformat(),
                "valid_until": (today + timedelta(days=3 * 365)).isoformat(),
            },
            headers=operator,
        )
    )


async def _traced_lot(client: httpx.AsyncClient, ctx: Any, jam: dict) -> None:
    if (await client.get(f"/v1/catalog/trace/{LOT_CODE}")).status_code == 200:
        return
    headers = ctx.headers["supplier-raspberry"]
    today = datetime.now(UTC).date()
    _ok(
        await client.post(
            f"{M}/products/{jam['id']}/certificates",
            json={
                "kind": "compliance_certificate",
                "issuer": "封丘县树莓产业发展有限公司",
                "number": "HGZ-FQ-2026-0001",
                "valid_until": (today + timedelta(days=180)).isoformat(),
                "details": {
                    "producer": "封丘县树莓产业发展有限公司",
                    "product_name": "树莓果酱",
                    "quantity": "2000 瓶",
                    "issued_on": today.isoformat(),
                    "contact": "0373-8210000",
                    "basis": ["委托检测", "内部质量控制"],
                    "commitments": [
                        "不使用禁用农药兽药、停用兽药和非法添加物",
                        "常规农药兽药残留不超标",
                        "对承诺的真实性负责",
                    ],
                },
            },
            headers=headers,
        )
    )
    lot = _ok(
        await client.post(
            f"{M}/products/{jam['id']}/lots",
            json={"code": LOT_CODE, "quantity": "2000", "unit": "瓶", "produced_on": "2026-06-15"},
            headers=headers,
        )
    )
    farm = {
        "location_kind": "farm",
        "location_name": "东街村树莓基地 2 号地块",
        "township": "城关镇",
        "village": "东街村",
    }
    events = [
        {
            "biz_step": "planting",
            "event_time": "2026-03-05T08:00:00+08:00",
            **farm,
            "actor_name": "王建设",
        },
        {
            "biz_step": "harvest",
            "event_time": "2026-06-10T06:30:00+08:00",
            **farm,
            "quantity": "800",
            "unit": "kg",
            "actor_name": "王建设",
        },
        {
            "biz_step": "inspection",
            "event_time": "2026-06-12T10:00:00+08:00",
            "location_kind": "lab",
            "location_name": "封丘县农产品质量安全检测站",
            "actor_name": "县检测站",
            "details": {"result": "合格", "report_number": "JC-2026-0612"},
        },
        {
            "biz_step": "processing",
            "event_time": "2026-06-14T09:00:00+08:00",
            "location_kind": "processing_site",
            "location_name": "城关镇树莓加工车间",
            "actor_name": "加工车间",
        },
        {
            "biz_step": "packing",
            "event_time": "2026-06-15T15:00:00+08:00",
            "location_kind": "processing_site",
            "location_name": "城关镇树莓加工车间",
            "quantity": "2000",
            "unit": "瓶",
            "actor_name": "加工车间",
        },
    ]
    for event in events:
        _ok(await client.post(f"{M}/lots/{lot['id']}/events", json=event, headers=headers))


async def load(client: httpx.AsyncClient, ctx: Any) -> None:
    await _categories(client, ctx)  # brands and products may only name these
    brands = await _brands(client, ctx)
    # the products (and then the licences) are independent of one another: all at once
    made = dict(
        zip(
            PRODUCTS,
            await asyncio.gather(
                *(
                    asyncio.gather(*(_product(client, ctx, key, spec) for spec in specs))
                    for key, specs in PRODUCTS.items()
                )
            ),
            strict=True,
        )
    )
    licensed = [
        ("封丘金银花", "supplier-honeysuckle"),
        ("封丘树莓", "supplier-raspberry"),
        ("封芹", "supplier-celery"),
    ]
    await asyncio.gather(
        *(
            _licence(client, ctx, brands[brand], key, [p["id"] for p in made[key]])
            for brand, key in licensed
        )
    )
    await _traced_lot(client, ctx, made["supplier-raspberry"][0])
    ctx.extra["catalog_trace_code"] = LOT_CODE
