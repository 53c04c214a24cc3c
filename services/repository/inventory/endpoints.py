"""Warehouses and stock, for the operator's warehouse staff."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends

from services.repository.db import kernel
from services.repository.inventory import service
from services.repository.inventory.schemas import (
    AdjustmentCreate,
    DriftRow,
    Movement,
    ReceiptCreate,
    ReturnCreate,
    StockLevel,
    StockVerification,
    TransferCreate,
    Warehouse,
    WarehouseCreate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-inventory"])
WAREHOUSES_QUERY = list_query(service.WAREHOUSE_SORT_FIELDS, default="created_at", default_limit=50)
STOCK_QUERY = list_query(service.STOCK_SORT_FIELDS, default="variant_id", default_limit=50)
MOVEMENTS_QUERY = list_query(service.MOVEMENT_SORT_FIELDS, default="-seq", default_limit=50)

STOCK_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {},
    404: {},
    409: {"description": "Not enough stock"},
    422: {},
}


@router.post("/warehouses", status_code=201, response_model=Warehouse, responses={403: {}})
async def create_warehouse(body: WarehouseCreate, principal: CurrentPrincipal, session: SessionDep):
    """The region's operator opens a warehouse (the first county warehouse ships stock)."""
    return await service.create_warehouse(session, principal, body)


@router.get("/warehouses", response_model=Page[Warehouse], responses={403: {}, 422: {}})
async def list_warehouses(
    q: Annotated[ListQuery, Depends(WAREHOUSES_QUERY)],
    region_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """The region's warehouses, the first opened first (operator)."""
    rows, next_cursor = await service.list_warehouses(session, principal, region_id, q)
    return Page[Warehouse](
        items=[Warehouse.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/warehouses/{warehouse_id}/receipts",
    status_code=201,
    response_model=Movement,
    responses=STOCK_ERRORS,
)
async def receive_goods(
    warehouse_id: uuid.UUID, body: ReceiptCreate, principal: CurrentPrincipal, session: SessionDep
):
    """Goods booked in (cases); the balance row is created on the first receipt."""
    return await service.receive_goods(session, principal, warehouse_id, body)


@router.post(
    "/warehouses/{warehouse_id}/adjustments",
    status_code=201,
    response_model=Movement,
    responses=STOCK_ERRORS,
)
async def adjust_stock(
    warehouse_id: uuid.UUID,
    body: AdjustmentCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Correct the count (signed cases) with a reason; never below what is reserved."""
    return await service.adjust(session, principal, warehouse_id, body)


@router.post(
    "/warehouses/{warehouse_id}/returns",
    status_code=201,
    response_model=Movement,
    responses=STOCK_ERRORS,
)
async def take_return(
    warehouse_id: uuid.UUID, body: ReturnCreate, principal: CurrentPrincipal, session: SessionDep
):
    return await service.take_return(session, principal, warehouse_id, body)


# an array by nature: a transfer is always its two movements, out of here and into there
@router.post(
    "/warehouses/{warehouse_id}/transfers",
    status_code=201,
    response_model=list[Movement],
    responses=STOCK_ERRORS,
)
async def transfer_stock(
    warehouse_id: uuid.UUID,
    body: TransferCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Move cases to another warehouse of the region: out and in, both or neither."""
    return await service.transfer(session, principal, warehouse_id, body)


@router.get(
    "/warehouses/{warehouse_id}/stock",
    response_model=Page[StockLevel],
    responses={403: {}, 404: {}, 422: {}},
)
async def stock(
    q: Annotated[ListQuery, Depends(STOCK_QUERY)],
    warehouse_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    variant_id: uuid.UUID | None = None,
    available_only: bool = False,
):
    """On hand, reserved and available cases per variant."""
    rows, next_cursor = await service.stock_page(
        session,
        principal,
        warehouse_id,
        q,
        variant_id=variant_id,
        only_available=available_only,
    )
    return Page[StockLevel](
        items=[StockLevel.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/warehouses/{warehouse_id}/movements",
    response_model=Page[Movement],
    responses={403: {}, 404: {}, 422: {}},
)
async def movements(
    q: Annotated[ListQuery, Depends(MOVEMENTS_QUERY)],
    warehouse_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    variant_id: uuid.UUID | None = None,
    kind: str | None = None,
    order_id: uuid.UUID | None = None,
):
    """The ledger, newest first (`sort=seq` for the oldest first)."""
    rows, next_cursor = await service.movements_page(
        session,
        principal,
        warehouse_id,
        q,
        variant_id=variant_id,
        kind=kind,
        order_id=order_id,
    )
    return Page[Movement](items=[Movement.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/warehouses/{warehouse_id}/stock/verify",
    response_model=StockVerification,
    responses={403: {}, 404: {}},
)
async def verify_stock(warehouse_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep):
    """Rebuild every balance from the movements ledger and report any difference."""
    checked, drifts = await service.verify(session, principal, warehouse_id)
    return StockVerification(
        warehouse_id=warehouse_id,
        variants_checked=checked,
        drift=[DriftRow.model_validate(d) for d in drifts],
        consistent=not drifts,
    )
