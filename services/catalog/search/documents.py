"""The public product index: settings, synonyms, documents and filters (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INDEX = "catalog_products"

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("金银花", "忍冬", "银花", "双花"),
    ("树莓", "覆盆子", "raspberry"),
    ("芹菜", "封芹", "celery"),
    ("果酱", "jam"),
)

FACETS = ("category", "brand", "township", "grade", "certificates", "channels", "price_band")
SORTS = {"price": "price_fen", "newest": "listed_ts", "name": "name"}

# Indicative retail price bands (fen), for the price-range facet.
PRICE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 2000, "0-20"),
    (2000, 5000, "20-50"),
    (5000, 10000, "50-100"),
    (10000, 20000, "100-200"),
    (20000, None, "200+"),
)


def synonyms() -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            result[word] = [w for w in group if w != word]
    return result


def expand_term(term: str) -> list[str]:
    """A query term and its synonyms (for the PostgreSQL fallback)."""
    lowered = term.lower()
    for group in SYNONYM_GROUPS:
        if lowered in group:
            return list(group)
    return [term]


def index_settings() -> dict[str, Any]:
    return {
        "searchable_attributes": [
            "name",
            "category",
            "brand",
            "pinyin",
            "pinyin_suffixes",
            "initials_suffixes",
            "name_en",
            "variant_names",
            "township",
            "village",
            "description",
        ],
        "filterable_attributes": [
            "region_id",
            "supplier_id",
            "storage",
            "price_fen",
            *FACETS,
        ],
        "sortable_attributes": ["price_fen", "listed_ts", "name"],
        # "sort" first: a query with a sort is ordered by it (relevance picks the hits);
        # without a sort parameter the rule does nothing and relevance orders as before.
        "ranking_rules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
        "synonyms": synonyms(),
        "typo_tolerance": {
            "enabled": True,
            "min_word_size_for_typos": {"one_typo": 4, "two_typos": 8},
            # "fqjyhc" is an abbreviation: a typo in it names another product.
            "disable_on_attributes": ["initials_suffixes"],
        },
        "localized_attributes": [
            {"attribute_patterns": ["name", "category", "brand", "description"], "locales": ["cmn"]}
        ],
        "faceting": {"max_values_per_facet": 100},
        "pagination": {"max_total_hits": 2000},
    }


def price_band(price_fen: int | None) -> str | None:
    if price_fen is None:
        return None
    for low, high, label in PRICE_BANDS:
        if price_fen >= low and (high is None or price_fen < high):
            return label
    return None


@dataclass
class SearchQuery:
    region_id: str
    q: str = ""
    category: str | None = None
    brand: str | None = None
    township: str | None = None
    grade: str | None = None
    certificate: str | None = None
    channel: str | None = None
    price_min: int | None = None
    price_max: int | None = None
    branded_only: bool = False
    sort: str | None = None
    offset: int = 0
    limit: int = 20
    extra: dict[str, Any] = field(default_factory=dict)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meili_filter(query: SearchQuery) -> list[str | list[str]]:
    """AND of clauses (Meilisearch's array form; an inner list would be an OR)."""
    clauses: list[str | list[str]] = [f"region_id = {_quote(query.region_id)}"]
    for attribute, value in (
        ("category", query.category),
        ("brand", query.brand),
        ("township", query.township),
        ("grade", query.grade),
        ("certificates", query.certificate),
        ("channels", query.channel),
    ):
        if value:
            clauses.append(f"{attribute} = {_quote(value)}")
    if query.branded_only:
        clauses.append("brand EXISTS AND brand IS NOT NULL")
    if query.price_min is not None:
        clauses.append(f"price_fen >= {int(query.price_min)}")
    if query.price_max is not None:
        clauses.append(f"price_fen <= {int(query.price_max)}")
    return clauses


def meili_sort(sort: str | None) -> list[str] | None:
    if not sort:
        return None
    descending = sort.startswith("-")
    attribute = SORTS[sort.lstrip("-")]
    return [f"{attribute}:{'desc' if descending else 'asc'}"]


def facet_counts(documents: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for doc in documents:
        for name in FACETS:
            value = doc.get(name)
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is None:
                    continue
                counts[name][str(v)] = counts[name].get(str(v), 0) + 1
    return counts
