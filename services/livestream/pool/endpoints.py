from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query

from services.livestream.db import kernel
from services.livestream.pool import service
from services.livestream.pool.schemas import (
    PoolEntry,
    PoolEntryCreate,
    PoolEntryUpdate,
    PoolPage,
    PoolSort,
)
from services.livestream.rooms.schemas import BookingCancel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-pool"])
ENTRIES_QUERY = list_query(service.ENTRY_SORT_FIELDS, default="created_at", default_limit=50)


@router.get("/pool", response_model=PoolPage, summary="Browse the selection pool")
async def browse(
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID,
    q: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    brand: Annotated[str | None, Query(max_length=200)] = None,
    min_price_fen: Annotated[int | None, Query(ge=0, le=10**13)] = None,
    max_price_fen: Annotated[int | None, Query(ge=0, le=10**13)] = None,
    min_commission_bps: Annotated[int | None, Query(ge=0, le=10000)] = None,
    min_stock: Annotated[int | None, Query(ge=0, le=10**8)] = None,
    sort: PoolSort = PoolSort.commission,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    source: Literal["search", "database"] = "search",
):
    return await service.browse(
        session,
        region_id=region_id,
        q=q,
        category=category,
        brand=brand,
        min_price_fen=min_price_fen,
        max_price_fen=max_price_fen,
        min_commission_bps=min_commission_bps,
        min_stock=min_stock,
        sort=sort.value,
        limit=limit,
        offset=offset,
        source=source,
    )


@router.post(
    "/pool/entries", response_model=PoolEntry, status_code=201, summary="Open a product to the pool"
)
async def open_entry(body: PoolEntryCreate, session: SessionDep, principal: CurrentPrincipal):
    return await service.open_entry(session, principal, body)


@router.get(
    "/pool/entries", response_model=Page[PoolEntry], summary="Supplier/operator: my entries"
)
async def my_entries(
    q: Annotated[ListQuery, Depends(ENTRIES_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
):
    """A supplier its own entries in any status, the region's operator the region's."""
    rows, next_cursor = await service.my_entries(session, principal, q)
    return Page[PoolEntry](
        items=[PoolEntry.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get("/pool/entries/{entry_id}", response_model=PoolEntry)
async def get_entry(entry_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_entry(session, principal, entry_id)


@router.patch("/pool/entries/{entry_id}", response_model=PoolEntry)
async def update_entry(
    entry_id: uuid.UUID, body: PoolEntryUpdate, session: SessionDep, principal: CurrentPrincipal
):
    return await service.update_entry(session, principal, entry_id, body)


@router.post("/pool/entries/{entry_id}/withdraw", response_model=PoolEntry)
async def withdraw_entry(
    entry_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: BookingCancel | None = None,
):
    return await service.withdraw_entry(session, principal, entry_id, body.reason if body else None)
