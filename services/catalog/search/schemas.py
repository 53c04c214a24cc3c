from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class SearchHit(BaseModel):
    id: str
    name: str
    category: str
    brand: str | None = None
    township: str | None = None
    grade: str | None = None
    channels: list[str] = []
    certificates: list[str] = []
    price_fen: int | None = None
    supplier_name: str | None = None
    thumbnail_url: str | None = None


class SearchResult(BaseModel):
    source: Literal["meilisearch", "database"] = Field(
        description="database: the search engine was unreachable; results come from PostgreSQL"
    )
    degraded: bool = False
    query: str
    total: int
    offset: int
    limit: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    price_stats: dict[str, Any] | None = None
