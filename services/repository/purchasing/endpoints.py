"""Centralized purchasing: consolidating a window, purchase orders, goods receipt."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Response

from services.repository.db import kernel
from services.repository.orders.schemas import WindowClosure, WindowClosureCreate, WindowDate
from services.repository.purchasing import service
from services.repository.purchasing.schemas import (
    ConsolidationRun,
    GoodsReceiptCreate,
    PurchaseOrder,
    PurchaseOrderConfirm,
    PurchaseOrderStatus,
    PurchaseOrderSummary,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-purchasing"])


@router.post(
    "/windows/{region_id}/{window_date}/consolidate",
    response_model=ConsolidationRun,
    responses={403: {}, 409: {}, 422: {}},
)
async def consolidate_window(
    region_id: uuid.UUID,
    window_date: WindowDate,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    background: BackgroundTasks,
):
    """Consolidate a closed window now (the scheduled job does it after each cut-off):
    stocked lines allocated, to-order lines summed into one purchase order per supplier.
    The worker does it, off the request path: the answer is the run as it is now
    (`queued`, or `running` when a run is at work); poll `Location` (`.../consolidation`)
    for its phase and progress until `done`. Safe to repeat; 409 while the window is open."""
    run = await service.consolidate_now(session, principal, region_id, window_date)
    background.add_task(service.start_consolidation, region_id, window_date)
    response.headers["Location"] = (
        f"/v1/repository/windows/{region_id}/{window_date.isoformat()}/consolidation"
    )
    return ConsolidationRun.model_validate(run)


@router.post(
    "/windows/{region_id}/{window_date}/close",
    response_model=WindowClosure,
    responses={403: {}, 409: {}, 422: {}},
)
async def close_window(
    region_id: uuid.UUID,
    window_date: WindowDate,
    principal: CurrentPrincipal,
    session: SessionDep,
    body: WindowClosureCreate | None = None,
):
    """Close the window open now before its cut-off ("close now"), for the whole region
    or for one route (`route_id`): its orders can be consolidated at once; orders placed
    afterwards (on that route) join the next window. Repeating it changes nothing."""
    closed = await service.close_window_now(
        session, principal, region_id, window_date, body or WindowClosureCreate()
    )
    return WindowClosure.model_validate(
        {
            **{
                c: getattr(closed.closure, c)
                for c in WindowClosure.model_fields
                if c != "orders_closed"
            },
            "orders_closed": closed.orders_closed,
        }
    )


@router.get(
    "/windows/{region_id}/{window_date}/consolidation",
    response_model=ConsolidationRun,
    responses={403: {}, 404: {}},
)
async def get_consolidation(
    region_id: uuid.UUID, window_date: WindowDate, principal: CurrentPrincipal, session: SessionDep
):
    """The window's consolidation run: status, attempts and what it produced."""
    run = await service.consolidation_run(session, principal, region_id, window_date)
    return ConsolidationRun.model_validate(run)


PURCHASE_ORDERS_QUERY = list_query(service.PURCHASE_ORDER_SORT_FIELDS, "-created_at")


@router.get("/purchase-orders", response_model=Page[PurchaseOrderSummary], responses={400: {}})
async def list_purchase_orders(
    principal: CurrentPrincipal,
    session: SessionDep,
    q: Annotated[ListQuery, Depends(PURCHASE_ORDERS_QUERY)],
    region_id: uuid.UUID | None = None,
    window_date: date | None = None,
    status: PurchaseOrderStatus | None = None,
    supplier_id: uuid.UUID | None = None,
):
    """A supplier's own purchase orders, or an operator's region's; newest first."""
    rows, next_cursor = await service.list_purchase_orders(
        session,
        principal,
        q,
        region_id=region_id,
        window_date=window_date,
        status=status,
        supplier_id=supplier_id,
    )
    return Page[PurchaseOrderSummary](
        items=[PurchaseOrderSummary.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/purchase-orders/{purchase_order_id}", response_model=PurchaseOrder, responses={404: {}}
)
async def get_purchase_order(
    purchase_order_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
):
    """One purchase order with its lines (its supplier, or the region's operator)."""
    return PurchaseOrder.model_validate(
        await service.get_purchase_order(session, principal, purchase_order_id)
    )


@router.post(
    "/purchase-orders/{purchase_order_id}/confirm",
    response_model=PurchaseOrder,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def confirm_purchase_order(
    purchase_order_id: uuid.UUID,
    body: PurchaseOrderConfirm,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """The supplier confirms in full or in part (confirmed <= ordered per line). What it
    cannot deliver is shortened at once across the waiting orders by the fair rule."""
    return PurchaseOrder.model_validate(
        await service.confirm(session, principal, purchase_order_id, body)
    )


@router.post(
    "/purchase-orders/{purchase_order_id}/ship",
    response_model=PurchaseOrder,
    responses={403: {}, 404: {}, 409: {}},
)
async def ship_purchase_order(
    purchase_order_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep
):
    """The supplier marks the confirmed goods as on their way to the county warehouse."""
    return PurchaseOrder.model_validate(await service.ship(session, principal, purchase_order_id))


@router.post(
    "/purchase-orders/{purchase_order_id}/receipt",
    response_model=PurchaseOrder,
    responses={403: {}, 404: {}, 409: {}, 422: {}},
)
async def receive_purchase_order(
    purchase_order_id: uuid.UUID,
    body: GoodsReceiptCreate,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Goods receipt (once): accepted and rejected cases per line, a quality reason for
    each rejection. Accepted cases are shared out fairly; the rest is shortened."""
    return PurchaseOrder.model_validate(
        await service.receive(session, principal, purchase_order_id, body)
    )
