"""The pool's own Meilisearch index, `<prefix>livestream_pool`.

Its own index (not catalog's) keeps the service independent: pool fields (prices, the open
commission, stock at the base, status) change with livestream's own writes and events, and
catalog's index settings and documents stay catalog's. Requests go with
`Accept-Encoding: identity`: responses come back uncompressed, so no compressed-body
decoding sits between the engine and the fallback decision (a decoding failure would look
like a search failure); on the same host compression buys nothing.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import structlog

from services.livestream.pool.models import PoolEntry
from shared.settings import get_settings

log = structlog.get_logger(__name__)

INDEX = "livestream_pool"
TIMEOUT_SECONDS = 3
SORT_FIELDS = {
    "-commission": "open_rate_bps:desc",
    "-sales": "sales_count:desc",
    "price": "suggested_retail_fen:asc",
    "-price": "suggested_retail_fen:desc",
}
SETTINGS = {
    "searchableAttributes": ["name", "brand", "category", "pinyin", "initials"],
    "filterableAttributes": [
        "region_id",
        "status",
        "category",
        "brand",
        "suggested_retail_fen",
        "open_rate_bps",
        "stock_at_base",
    ],
    "sortableAttributes": ["open_rate_bps", "sales_count", "suggested_retail_fen"],
    "localizedAttributes": [
        {"attributePatterns": ["name", "brand", "category"], "locales": ["cmn"]}
    ],
}
_configured: set[str] = set()


class SearchUnavailable(Exception):
    pass


def index_uid() -> str:
    return f"{get_settings().meili_index_prefix}{INDEX}"


def _client() -> httpx.AsyncClient:
    settings = get_settings()
    return httpx.AsyncClient(
        base_url=settings.meili_url,
        timeout=TIMEOUT_SECONDS,
        headers={
            "Authorization": f"Bearer {settings.meili_master_key}",
            "Accept-Encoding": "identity",
            "Content-Type": "application/json",
        },
    )


def syllables_of(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s.lower() for s in lazy_pinyin(text) if s.strip()]


def pinyin_of(text: str) -> tuple[str, str]:
    """The reading written together ("fengqiujinyinhuacha") and its initials ("fqjyhc")."""
    syllables = syllables_of(text)
    return "".join(syllables), "".join(s[0] for s in syllables)


def suffixes(parts: list[str]) -> str:
    """Every tail of the joined parts, so a query may start at any syllable (Meilisearch
    matches the start of words): "jinyinhua" finds 封丘金银花茶."""
    return " ".join("".join(parts[i:]) for i in range(len(parts)))


def document(entry: PoolEntry) -> dict[str, Any]:
    syllables = syllables_of(entry.name)
    reading = suffixes(syllables)
    initials = suffixes([s[0] for s in syllables])
    return {
        "id": str(entry.id),
        "product_id": str(entry.product_id),
        "region_id": str(entry.region_id),
        "status": entry.status,
        "name": entry.name,
        "brand": entry.brand,
        "category": entry.category,
        "pinyin": reading,
        "initials": initials,
        "suggested_retail_fen": entry.suggested_retail_fen,
        "floor_price_fen": entry.floor_price_fen,
        "open_rate_bps": entry.open_rate_bps,
        "sales_count": entry.sales_count,
        "stock_at_base": entry.stock_at_base,
    }


async def _ensure_index(client: httpx.AsyncClient) -> str:
    uid = index_uid()
    if uid not in _configured:
        r = await client.post("/indexes", json={"uid": uid, "primaryKey": "id"})
        if r.status_code not in (200, 201, 202):
            raise SearchUnavailable(r.text)
        r = await client.patch(f"/indexes/{uid}/settings", json=SETTINGS)
        if r.status_code not in (200, 202):
            raise SearchUnavailable(r.text)
        _configured.add(uid)
    return uid


async def index_entry(entry: PoolEntry) -> None:
    """Put (or remove) one entry's document; raises on failure so the event retries."""
    async with _client() as client:
        uid = await _ensure_index(client)
        if entry.status == "active":
            r = await client.post(
                f"/indexes/{uid}/documents", content=json.dumps([document(entry)])
            )
        else:
            r = await client.delete(f"/indexes/{uid}/documents/{entry.id}")
        if r.status_code not in (200, 202):
            raise SearchUnavailable(r.text)


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


async def search(
    *,
    region_id: str,
    q: str | None,
    category: str | None,
    brand: str | None,
    min_price_fen: int | None,
    max_price_fen: int | None,
    min_commission_bps: int | None,
    min_stock: int | None,
    sort: str,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    filters = [f"region_id = {_quote(region_id)}", 'status = "active"']
    if category:
        filters.append(f"category = {_quote(category)}")
    if brand:
        filters.append(f"brand = {_quote(brand)}")
    if min_price_fen is not None:
        filters.append(f"suggested_retail_fen >= {min_price_fen}")
    if max_price_fen is not None:
        filters.append(f"suggested_retail_fen <= {max_price_fen}")
    if min_commission_bps is not None:
        filters.append(f"open_rate_bps >= {min_commission_bps}")
    if min_stock is not None:
        filters.append(f"stock_at_base >= {min_stock}")
    body = {
        "q": q or "",
        "filter": filters,
        "sort": [SORT_FIELDS[sort]],
        "limit": limit,
        "offset": offset,
    }
    try:
        async with _client() as client:
            uid = await _ensure_index(client)
            r = await client.post(f"/indexes/{uid}/search", json=body)
    except (httpx.HTTPError, SearchUnavailable) as exc:
        raise SearchUnavailable(str(exc)) from exc
    if r.status_code != 200:
        raise SearchUnavailable(r.text[:300])
    data = r.json()
    return data["hits"], int(data.get("estimatedTotalHits", len(data["hits"])))
