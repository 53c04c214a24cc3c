"""SQL of the search fallback: products matched and ranked by pg_trgm in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, case, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.products.models import Product, Variant
from services.catalog.products.repository import ProductFilters, filtered, with_children
from services.catalog.search.matching import TEXT_FIELDS, TRIGRAM_THRESHOLD, Term

CANDIDATES = 2000
TRIGRAM_SCHEMA = text(
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
    " WHERE e.extname = 'pg_trgm'"
)


def _lower(column: Any) -> ColumnElement[str]:
    return func.lower(func.coalesce(column, ""))


def _product_text() -> ColumnElement[str]:
    """The product's text as matching.haystack builds it: the fields, then variant names."""
    variant_names = (
        select(func.coalesce(func.string_agg(Variant.name, literal(" ")), ""))
        .where(Variant.product_id == Product.id)
        .scalar_subquery()
    )
    parts = [_lower(getattr(Product, name)) for name in TEXT_FIELDS]
    parts.append(func.lower(variant_names))
    return func.concat_ws(literal(" "), *parts)


def _fuzzy_fields() -> list[ColumnElement[str]]:
    """As matching.fuzzy_values: pinyin, pinyin without spaces, English name."""
    pinyin = _lower(Product.pinyin)
    return [pinyin, func.replace(pinyin, " ", ""), _lower(Product.name_en)]


def _term_score(term: Term, product_text: ColumnElement[str], schema: str) -> ColumnElement[float]:
    """1 for a substring hit, else the best pg_trgm word_similarity of a spelling."""
    trgm = getattr(func, schema)
    similarities = [
        trgm.word_similarity(literal(spelling), field, type_=Float)
        for spelling in term.spellings
        for field in _fuzzy_fields()
    ]
    best = func.greatest(literal(0.0, Float), *similarities) if similarities else literal(0.0)
    substring = or_(*[func.strpos(product_text, literal(a)) > 0 for a in term.alternatives])
    return case((substring, literal(1.0, Float)), else_=best)


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def trigram_schema(self) -> str | None:
        """Where pg_trgm is installed; None when the server lacks it (match in Python)."""
        return (await self.session.execute(TRIGRAM_SCHEMA)).scalar_one_or_none()

    def _on_sale(self, f: ProductFilters) -> Select[Any]:
        return filtered(with_children(select(Product).where(Product.on_sale)), f)

    async def candidates(self, f: ProductFilters) -> list[Product]:
        """On-sale products of the filters, newest first (no text query, or no pg_trgm)."""
        stmt = self._on_sale(f).order_by(Product.listed_at.desc(), Product.id).limit(CANDIDATES)
        return list((await self.session.execute(stmt)).scalars().all())

    async def trigram_matches(
        self, f: ProductFilters, terms: Sequence[Term], schema: str
    ) -> list[tuple[Product, float]]:
        """Products where every term matches, best mean score first (then newest)."""
        product_text = _product_text()
        scores = [_term_score(term, product_text, schema) for term in terms]
        total: ColumnElement[float] = scores[0]
        for part in scores[1:]:
            total = total + part
        mean = (total / len(scores)).label("score")
        stmt = (
            self._on_sale(f)
            .add_columns(mean)
            .where(*[s >= TRIGRAM_THRESHOLD for s in scores])
            .order_by(mean.desc(), Product.listed_at.desc(), Product.id)
            .limit(CANDIDATES)
        )
        rows = (await self.session.execute(stmt)).all()
        return [(row[0], float(row[1])) for row in rows]
