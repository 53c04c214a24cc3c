"""The selection pool: suppliers open catalog products with their prices and sample rule;
catalog's and suppliers' events keep only eligible products in it."""

from __future__ import annotations

import uuid

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.livestream import lifecycle
from services.livestream.access import ensure_may_change
from services.livestream.consignment.repository import ConsignmentRepository
from services.livestream.directory.repository import DirectoryRepository
from services.livestream.directory.service import supplier_in_standing
from services.livestream.pool import search
from services.livestream.pool.models import PoolEntry
from services.livestream.pool.repository import ENTRY_SORTS, PoolRepository
from services.livestream.pool.schemas import (
    PoolEntryCreate,
    PoolEntryUpdate,
    PoolHit,
    PoolPage,
    SampleRule,
)
from services.livestream.problems import NOT_IN_POOL
from shared.auth import ensure_readable, ensure_writable
from shared.auth.principal import Principal
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import ListQuery

log = structlog.get_logger(__name__)
ENTRY_CHANGED = "livestream.pool.entry_changed"
ENTRY_SORT_FIELDS = tuple(ENTRY_SORTS)


async def _changed(session: AsyncSession, entry: PoolEntry) -> None:
    """The index follows through livestream's own outbox (after the commit, retried)."""
    await publish(
        session,
        ENTRY_CHANGED,
        {"entry_id": str(entry.id), "product_id": str(entry.product_id), "status": entry.status},
        region_id=entry.region_id,
    )


async def eligibility(session: AsyncSession, product_id: uuid.UUID) -> str | None:
    """None when the product may be in the pool, else why not."""
    product = await DirectoryRepository(session).product(product_id)
    if product is None or not product.on_sale:
        return "product not on sale"
    if product.brand is None:
        return "no valid brand licence"
    if not await supplier_in_standing(session, product.supplier_id):
        return "supplier suspended"
    return None


async def open_entry(
    session: AsyncSession, principal: Principal, body: PoolEntryCreate
) -> PoolEntry:
    product = await DirectoryRepository(session).product(body.product_id)
    if product is None:
        raise NotFound("No such product")
    ensure_writable(
        principal, org_id=product.supplier_id, region_id=product.region_id, what="product"
    )
    why_not = await eligibility(session, product.id)
    if why_not:
        raise RuleViolation(f"The product cannot enter the pool: {why_not}", code=NOT_IN_POOL)
    repo = PoolRepository(session)
    if await repo.by_product(product.id) is not None:
        raise Conflict("The product is in the pool already")
    rule = body.sample_rule or SampleRule(min_followers=0, min_gmv_30d_fen=0, min_level=0)
    entry = PoolEntry(
        region_id=product.region_id,
        supplier_id=product.supplier_id,
        product_id=product.id,
        name=product.name,
        pinyin=search.pinyin_of(product.name)[0],
        brand=product.brand,
        category=product.category,
        supply_price_fen=body.supply_price_fen,
        suggested_retail_fen=body.suggested_retail_fen,
        floor_price_fen=body.floor_price_fen,
        # goods at the base are consignment stock: the entry shows what is on hand
        stock_at_base=await ConsignmentRepository(session).on_hand(product.id),
        sample_min_followers=rule.min_followers,
        sample_min_gmv_30d_fen=rule.min_gmv_30d_fen,
        sample_min_level=rule.min_level,
        sample_return_required=rule.return_required,
    )
    await repo.add(entry)
    await lifecycle.created(
        session, lifecycle.POOL_ENTRY, entry.id, "active", "open", actor_id=principal.user_id
    )
    await _changed(session, entry)
    return entry


async def get_entry(
    session: AsyncSession, principal: Principal, entry_id: uuid.UUID, *, lock: bool = False
) -> PoolEntry:
    """Active entries are for every signed-in caller of the region (streamers browse them);
    lapsed and withdrawn ones only for their supplier and the operator."""
    entry = await PoolRepository(session).get(entry_id, lock=lock)
    if entry is None:
        raise NotFound("No such pool entry")
    in_region = principal.platform_admin or any(
        m.region_id == entry.region_id for m in principal.memberships_where()
    )
    if not (entry.status == "active" and in_region):
        ensure_readable(
            principal, org_id=entry.supplier_id, region_id=entry.region_id, what="pool entry"
        )
    return entry


async def update_entry(
    session: AsyncSession, principal: Principal, entry_id: uuid.UUID, body: PoolEntryUpdate
) -> PoolEntry:
    entry = await get_entry(session, principal, entry_id, lock=True)
    ensure_may_change(
        principal, org_id=entry.supplier_id, region_id=entry.region_id, what="pool entry"
    )
    values = body.model_dump(exclude_unset=True, exclude={"sample_rule"})
    for key, value in values.items():
        if value is not None:
            setattr(entry, key, value)
    if body.sample_rule is not None:
        entry.sample_min_followers = body.sample_rule.min_followers
        entry.sample_min_gmv_30d_fen = body.sample_rule.min_gmv_30d_fen
        entry.sample_min_level = body.sample_rule.min_level
        entry.sample_return_required = body.sample_rule.return_required
    if not entry.supply_price_fen <= entry.floor_price_fen <= entry.suggested_retail_fen:
        raise RuleViolation("supply price ≤ floor price ≤ suggested retail price")
    await _changed(session, entry)
    return entry


async def withdraw_entry(
    session: AsyncSession, principal: Principal, entry_id: uuid.UUID, reason: str | None
) -> PoolEntry:
    entry = await get_entry(session, principal, entry_id, lock=True)
    ensure_may_change(
        principal, org_id=entry.supplier_id, region_id=entry.region_id, what="pool entry"
    )
    await lifecycle.apply(
        session, lifecycle.POOL_ENTRY, entry, "withdraw", actor_id=principal.user_id, reason=reason
    )
    await _changed(session, entry)
    return entry


async def stock_changed(session: AsyncSession, product_id: uuid.UUID, on_hand: int) -> None:
    """Consignment moved the product's goods at the base: the entry (and its index
    document) shows the new on-hand figure."""
    entry = await PoolRepository(session).by_product(product_id, lock=True)
    if entry is not None and entry.stock_at_base != on_hand:
        entry.stock_at_base = on_hand
        await _changed(session, entry)


async def my_entries(
    session: AsyncSession, principal: Principal, query: ListQuery
) -> tuple[list[PoolEntry], str | None]:
    repo = PoolRepository(session)
    return await repo.page(repo.readable(principal), query)


async def _reconcile(session: AsyncSession, entry: PoolEntry, reason: str) -> None:
    why_not = await eligibility(session, entry.product_id)
    if why_not and entry.status == "active":
        await lifecycle.apply(
            session,
            lifecycle.POOL_ENTRY,
            entry,
            "lapse",
            actor_id=None,
            reason=f"{reason}: {why_not}",
        )
        entry.status_reason = why_not
        await _changed(session, entry)
    elif why_not is None and entry.status == "lapsed":
        await lifecycle.apply(
            session, lifecycle.POOL_ENTRY, entry, "restore", actor_id=None, reason=reason
        )
        entry.status_reason = None
        await _changed(session, entry)
    if why_not is None:
        product = await DirectoryRepository(session).product(entry.product_id)
        if product is not None and (product.name, product.brand, product.category) != (
            entry.name,
            entry.brand,
            entry.category,
        ):
            entry.name, entry.brand, entry.category = product.name, product.brand, product.category
            entry.pinyin = search.pinyin_of(product.name)[0]
            await _changed(session, entry)


async def reconcile_product(session: AsyncSession, product_id: uuid.UUID, reason: str) -> None:
    entry = await PoolRepository(session).by_product(product_id, lock=True)
    if entry is not None:
        await _reconcile(session, entry, reason)


async def reconcile_supplier(session: AsyncSession, supplier_id: uuid.UUID, reason: str) -> None:
    for entry in await PoolRepository(session).of_supplier(supplier_id):
        await _reconcile(session, entry, reason)


async def sync_index(session: AsyncSession, event: Event) -> None:
    entry = await PoolRepository(session).get(uuid.UUID(event.data["entry_id"]))
    if entry is not None:
        await search.index_entry(entry)


async def browse(
    session: AsyncSession,
    *,
    region_id: uuid.UUID,
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
    source: str,
) -> PoolPage:
    """Meilisearch first (Chinese, pinyin, initials); PostgreSQL when it is unavailable."""
    criteria = {
        "q": q,
        "category": category,
        "brand": brand,
        "min_price_fen": min_price_fen,
        "max_price_fen": max_price_fen,
        "min_commission_bps": min_commission_bps,
        "min_stock": min_stock,
        "sort": sort,
        "limit": limit,
        "offset": offset,
    }
    if source != "database":
        try:
            hits, total = await search.search(region_id=str(region_id), **criteria)  # type: ignore[arg-type]
            return PoolPage(
                hits=[PoolHit.model_validate(h) for h in hits], total=total, source="meilisearch"
            )
        except search.SearchUnavailable as exc:
            log.warning("pool.search_unavailable", error=str(exc)[:200])
    rows, total = await PoolRepository(session).browse(region_id=region_id, **criteria)  # type: ignore[arg-type]
    return PoolPage(hits=[PoolHit.model_validate(r) for r in rows], total=total, source="database")
