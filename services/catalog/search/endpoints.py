from __future__ import annotations

import uuid
from typing import Literal

import orjson
from fastapi import APIRouter, Query, Response

from services.catalog.search import service
from services.catalog.search.documents import SearchQuery
from services.catalog.search.schemas import SearchResult

# No unit of work: search opens a session only when it falls back to PostgreSQL.
router = APIRouter(prefix="/v1/catalog", tags=["catalog-search"])

SortName = Literal["price", "-price", "newest", "-newest", "name", "-name"]


@router.get("/search", response_model=SearchResult)
async def search_products(
    region_id: uuid.UUID,
    q: str = Query("", max_length=200, examples=["树莓 果酱"]),
    category: str | None = None,
    brand: str | None = None,
    township: str | None = None,
    grade: str | None = None,
    certificate: str | None = None,
    channel: Literal["wholesale", "livestream", "retail"] | None = None,
    price_min: int | None = Query(None, ge=0, description="fen"),
    price_max: int | None = Query(None, ge=0, description="fen"),
    branded: bool = Query(False, description="Only products carrying a public brand"),
    sort: SortName | None = Query(None, description="price, -price, newest, -newest, name, -name"),
    offset: int = Query(0, ge=0, le=1900),
    limit: int = Query(20, ge=1, le=100),
) -> Response:
    """Search products on sale (public). Synonyms, typo tolerance, facets, sorting.

    `source` says where the answer came from: `database` when Meilisearch is down.
    """
    result = await service.search(
        SearchQuery(
            region_id=str(region_id),
            q=q.strip(),
            category=category,
            brand=brand,
            township=township,
            grade=grade,
            certificate=certificate,
            channel=channel,
            price_min=price_min,
            price_max=price_max,
            branded_only=branded,
            sort=sort,
            offset=offset,
            limit=limit,
        ),
    )
    if result["source"] != "meilisearch":
        result = SearchResult.model_validate(result).model_dump(mode="json")
    # the engine's JSON, already in the schema's shape: serialised once, not validated again
    return Response(orjson.dumps(result), media_type="application/json")
