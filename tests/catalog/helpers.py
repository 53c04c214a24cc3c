"""Arranging catalog stories through the HTTP API."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from services.catalog.worker import DAILY_CHECK_TASK
from shared.tasks import celery_app
from tests.factories import eventually, new_org

M = "/v1/catalog/manage"
# The county category list products and brands of these stories choose from.
CATEGORIES = ("金银花", "树莓", "芹菜", "粮油", "日用百货", "农资", "家电")
_made: set[tuple[str, str]] = set()


def today() -> date:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


def in_days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def png(color: str = "red", size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


async def category(client, county, name: str, position: int = 0) -> dict[str, Any]:
    """The operator adds a category to the county's list."""
    r = await client.post(
        f"{M}/categories",
        json={"region_id": str(county.region_id), "name": name, "position": position},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    _made.add((str(county.region_id), name))
    return r.json()


async def categories(client, county, names=CATEGORIES) -> None:
    """The county's category list, made once per county."""
    for position, name in enumerate(names):
        if (str(county.region_id), name) not in _made:
            await category(client, county, name, position)


async def supplier(client, county, name: str | None = None):
    await categories(client, county)
    return await new_org(client, county, "supplier", name)


def product_body(**overrides: Any) -> dict[str, Any]:
    sku = overrides.pop("sku", None) or f"SKU-{datetime.now().timestamp():.6f}".replace(".", "")
    body = {
        "name": "封丘树莓果酱",
        "name_en": "Fengqiu raspberry jam",
        "pinyin": "fengqiu shumei guojiang",
        "category": "树莓",
        "description": "陈固镇树莓基地当季鲜果熬制",
        "origin_township": "陈固镇",
        "origin_village": "东陈固村",
        "grade": "一级",
        "storage": "ambient",
        "shelf_life_days": 365,
        "channels": ["retail", "wholesale"],
        "retail_price_fen": 3980,
        "attributes": {"sugar": "低糖"},
        "variants": [
            {
                "sku": sku,
                "name": "250g 玻璃瓶",
                "unit": "瓶",
                "net_weight_g": 250,
                "volume_cm3": 400,
                "packaging": "玻璃瓶",
                "retail_price_fen": 3980,
            }
        ],
    }
    body.update(overrides)
    return body


async def draft(client, seller, *, image: bool = True, **overrides: Any) -> dict[str, Any]:
    r = await client.post(f"{M}/products", json=product_body(**overrides), headers=seller.headers)
    assert r.status_code == 201, r.text
    product = r.json()
    if image:
        r = await client.post(
            f"{M}/products/{product['id']}/images",
            files={"file": ("jar.png", png(), "image/png")},
            headers=seller.headers,
        )
        assert r.status_code == 201, r.text
        product = r.json()
    return product


async def act(client, actor, product_id, action: str, reasons: list[str] | None = None):
    body = {"reasons": reasons} if reasons is not None else None
    return await client.post(
        f"{M}/products/{product_id}/review/{action}", json=body, headers=actor.headers
    )


async def approved(client, county, seller, **overrides: Any) -> dict[str, Any]:
    await categories(client, county)
    product = await draft(client, seller, **overrides)
    r = await act(client, seller, product["id"], "submit")
    assert r.status_code == 200, r.text
    r = await act(client, county.operator, product["id"], "approve")
    assert r.status_code == 200, r.text
    assert r.json()["on_sale"] is True
    return r.json()


async def public_list(client, county, **params: Any) -> list[dict[str, Any]]:
    r = await client.get(
        "/v1/catalog/products", params={"region_id": str(county.region_id), **params}
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def search(client, county, **params: Any) -> dict[str, Any]:
    r = await client.get(
        "/v1/catalog/search", params={"region_id": str(county.region_id), **params}
    )
    assert r.status_code == 200, r.text
    return r.json()


async def search_ids(client, county, **params: Any) -> set[str]:
    return {h["id"] for h in (await search(client, county, **params))["hits"]}


async def until_indexed(client, county, product_id: str, present: bool = True, **params):
    async def check() -> bool:
        return (product_id in await search_ids(client, county, **params)) == present

    await eventually(check, timeout=30)


def run_daily_check(county, days_from_now: int = 0) -> None:
    celery_app.send_task(
        DAILY_CHECK_TASK,
        kwargs={"as_of": in_days(days_from_now), "region_id": str(county.region_id)},
        queue="catalog",
    )
