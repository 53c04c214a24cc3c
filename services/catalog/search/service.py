"""Product search: Meilisearch first; PostgreSQL when it cannot answer (never a 500)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.db import SERVICE, kernel
from services.catalog.products.models import Product
from services.catalog.products.repository import ProductFilters, PublicProductReads
from services.catalog.search import engine
from services.catalog.search.documents import (
    FACETS,
    SORTS,
    SearchQuery,
    facet_counts,
    meili_filter,
    meili_sort,
)
from services.catalog.search.indexer import documents_for
from services.catalog.search.matching import (
    TEXT_FIELDS,
    fuzzy_values,
    haystack,
    query_terms,
    score,
)
from services.catalog.search.repository import SearchRepository
from shared.db import sessionmaker_for
from shared.settings import get_settings

log = structlog.get_logger(__name__)

HIT_FIELDS = [
    "id",
    "name",
    "category",
    "brand",
    "township",
    "grade",
    "channels",
    "certificates",
    "price_fen",
    "supplier_name",
    "thumbnail_url",
]


HIT_DEFAULTS: dict[str, Any] = {
    name: [] if name in ("channels", "certificates") else None for name in HIT_FIELDS
}


async def search(query: SearchQuery) -> dict[str, Any]:
    """Meilisearch, the hits checked against the database; PostgreSQL when the engine cannot
    answer. The answer is plain JSON data of `schemas.SearchResult`."""
    try:
        result = await search_engine(query)
    except Exception as exc:  # any engine failure: answer from the database instead
        log.warning("search.engine_unavailable", error=f"{type(exc).__name__}: {exc}"[:300])
        async with sessionmaker_for(kernel)() as session:
            return await search_database(session, query)
    return await reconcile(result, query)


async def reconcile(result: dict[str, Any], query: SearchQuery) -> dict[str, Any]:
    """Hits as the database has them now: the index follows the outbox within seconds, but a
    product that just left sale or lost its brand must not show in this answer.
    (Facet counts stay as the index has them.) One statement on the read pool."""
    reads = PublicProductReads(get_settings().database_url_for(SERVICE))
    states = await reads.listing_states([uuid.UUID(h["id"]) for h in result["hits"]])
    hits = []
    for hit in result["hits"]:
        on_sale, brand = states.get(uuid.UUID(hit["id"]), (False, None))
        if not on_sale:
            continue
        if (query.brand and brand != query.brand) or (query.branded_only and brand is None):
            continue
        hits.append({**HIT_DEFAULTS, **hit, "brand": brand})
    dropped = len(result["hits"]) - len(hits)
    return {**result, "hits": hits, "total": max(result["total"] - dropped, len(hits))}


def engine_body(query: SearchQuery) -> dict[str, Any]:
    """The body of Meilisearch's search request for a query."""
    body: dict[str, Any] = {
        "q": query.q,
        "offset": query.offset,
        "limit": query.limit,
        "filter": meili_filter(query),
        "facets": [*FACETS, "price_fen"],
        "attributesToRetrieve": HIT_FIELDS,
    }
    sort = meili_sort(query.sort)
    if sort:
        body["sort"] = sort
    return body


async def search_engine(query: SearchQuery) -> dict[str, Any]:
    result = await engine.search(engine.index_uid(), engine_body(query))
    stats = (result.get("facetStats") or {}).get("price_fen")
    if stats:
        stats = {"min": int(stats["min"]), "max": int(stats["max"])}
    distribution = result.get("facetDistribution") or {}
    return {
        "source": "meilisearch",
        "degraded": False,
        "query": query.q,
        "total": result.get("estimatedTotalHits") or 0,
        "offset": query.offset,
        "limit": query.limit,
        "hits": result["hits"],
        "facets": {name: distribution.get(name, {}) for name in FACETS},
        "price_stats": stats,
    }


async def _matches(
    session: AsyncSession, query: SearchQuery, filters: ProductFilters
) -> list[tuple[Product, float]]:
    """On-sale products matching every query term, best first: pg_trgm in PostgreSQL when
    the server has it, otherwise the same similarity computed here."""
    repo = SearchRepository(session)
    terms = query_terms(query.q)
    if not terms:
        return [(p, 0.0) for p in await repo.candidates(filters)]
    schema = await repo.trigram_schema()
    if schema is not None:
        return await repo.trigram_matches(filters, terms, schema)
    log.info("search.fallback_without_pg_trgm")
    scored = []
    for product in await repo.candidates(filters):
        text = haystack(
            [*(getattr(product, name) for name in TEXT_FIELDS), *(v.name for v in product.variants)]
        )
        found = score(terms, text, fuzzy_values(product.pinyin, product.name_en))
        if found is not None:
            scored.append((product, found))
    scored.sort(key=lambda item: -item[1])  # stable: newest first among equals
    return scored


async def search_database(session: AsyncSession, query: SearchQuery) -> dict[str, Any]:
    """The same question answered from PostgreSQL: substrings with synonyms, and trigram
    similarity (pg_trgm) on pinyin and English names for typos; ranked by that score."""
    filters = ProductFilters(
        region_id=uuid.UUID(query.region_id),
        category=query.category,
        township=query.township,
        grade=query.grade,
        channel=query.channel,
        branded=True if query.branded_only else None,
    )
    matches = await _matches(session, query, filters)
    documents = []
    for doc in await documents_for(session, [p for p, _ in matches]):
        if query.brand and doc["brand"] != query.brand:
            continue
        if query.certificate and query.certificate not in doc["certificates"]:
            continue
        price = doc["price_fen"]
        if query.price_min is not None and (price is None or price < query.price_min):
            continue
        if query.price_max is not None and (price is None or price > query.price_max):
            continue
        documents.append(doc)
    if query.sort:
        attribute = SORTS[query.sort.lstrip("-")]
        documents.sort(
            key=lambda d: (d[attribute] is None, d[attribute] or 0),
            reverse=query.sort.startswith("-"),
        )
    prices = [d["price_fen"] for d in documents if d["price_fen"] is not None]
    page = documents[query.offset : query.offset + query.limit]
    return {
        "source": "database",
        "degraded": True,
        "query": query.q,
        "total": len(documents),
        "offset": query.offset,
        "limit": query.limit,
        "hits": [{k: d.get(k) for k in HIT_FIELDS} for d in page],
        "facets": facet_counts(documents),
        "price_stats": {"min": min(prices), "max": max(prices)} if prices else None,
    }
