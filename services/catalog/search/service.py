"""Product search: Meilisearch first; PostgreSQL when it cannot answer (never a 500)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.products.models import Product
from services.catalog.products.repository import ProductFilters, ProductRepository
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


async def search(session: AsyncSession, query: SearchQuery) -> dict[str, Any]:
    try:
        result = await search_engine(query)
    except Exception as exc:  # any engine failure: answer from the database instead
        log.warning("search.engine_unavailable", error=f"{type(exc).__name__}: {exc}"[:300])
        return await search_database(session, query)
    return await reconcile(session, result, query)


async def reconcile(
    session: AsyncSession, result: dict[str, Any], query: SearchQuery
) -> dict[str, Any]:
    """Hits as the database has them now: the index follows the outbox within seconds, but a
    product that just left sale or lost its brand must not show in this answer.
    (Facet counts stay as the index has them.)"""
    ids = [uuid.UUID(h["id"]) for h in result["hits"]]
    states = await ProductRepository(session).listing_states(ids)
    hits = []
    for hit in result["hits"]:
        on_sale, brand = states.get(uuid.UUID(hit["id"]), (False, None))
        if not on_sale:
            continue
        if (query.brand and brand != query.brand) or (query.branded_only and brand is None):
            continue
        hits.append({**hit, "brand": brand})
    dropped = len(result["hits"]) - len(hits)
    return {**result, "hits": hits, "total": max(result["total"] - dropped, len(hits))}


async def search_engine(query: SearchQuery) -> dict[str, Any]:
    index = engine.client().index(engine.index_uid())
    result = await index.search(
        query.q,
        offset=query.offset,
        limit=query.limit,
        filter=meili_filter(query),
        facets=[*FACETS, "price_fen"],
        sort=meili_sort(query.sort),
        attributes_to_retrieve=HIT_FIELDS,
    )
    stats = (result.facet_stats or {}).get("price_fen")
    if stats:
        stats = {"min": int(stats["min"]), "max": int(stats["max"])}
    return {
        "source": "meilisearch",
        "degraded": False,
        "query": query.q,
        "total": result.estimated_total_hits or 0,
        "offset": query.offset,
        "limit": query.limit,
        "hits": result.hits,
        "facets": {name: (result.facet_distribution or {}).get(name, {}) for name in FACETS},
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
