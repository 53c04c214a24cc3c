"""Carts and bulk orders for stations and rural shops; order lists for the operator."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import Query, Request
from fastapi.responses import Response

from services.repository.db import kernel
from services.repository.orders import service
from services.repository.orders.schemas import (
    Cart,
    CartLineUpdate,
    Order,
    OrderCancel,
    OrderCreate,
    OrderLine,
    OrderSummary,
    OrderTransition,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.schemas import Page
from shared.web import SessionDep, etag_response, service_router

router = service_router(kernel, prefix="/v1/repository", tags=["repository-orders"])

BUYER_ERRORS: dict[int | str, dict[str, Any]] = {403: {}, 404: {}, 422: {}}


def _summary_fields(order: Any, line_count: int) -> dict[str, Any]:
    fields = {
        name: getattr(order, name) for name in OrderSummary.model_fields if name != "line_count"
    }
    return {**fields, "line_count": line_count}


def order_view(detail: service.OrderDetail) -> Order:
    order = detail.order
    return Order(
        **_summary_fields(order, len(detail.lines)),
        route_id=order.route_id,
        stop_id=order.stop_id,
        note=order.note,
        parcels_expected=order.parcels_expected,
        parcels_delivered=order.parcels_delivered,
        delivered_at=order.delivered_at,
        lines=[OrderLine.model_validate(line) for line in detail.lines],
        transitions=[OrderTransition.model_validate(t) for t in detail.transitions],
        allowed_actions=detail.allowed_actions,
    )


# ------------------------------------------------------------------ cart


@router.get("/cart", response_model=Cart, responses=BUYER_ERRORS)
async def get_cart(
    principal: CurrentPrincipal, session: SessionDep, buyer_org_id: uuid.UUID | None = None
):
    """The cart with each line's price for its quantity and what would stop it being ordered."""
    return await service.cart(session, principal, buyer_org_id)


@router.put("/cart/lines/{offer_id}", response_model=Cart, responses=BUYER_ERRORS)
async def put_cart_line(
    offer_id: uuid.UUID, body: CartLineUpdate, principal: CurrentPrincipal, session: SessionDep
):
    """Set how many cases of an offer the cart holds."""
    return await service.put_cart_line(session, principal, offer_id, body)


@router.delete("/cart/lines/{offer_id}", response_model=Cart, responses=BUYER_ERRORS)
async def delete_cart_line(
    offer_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    buyer_org_id: uuid.UUID | None = None,
):
    return await service.remove_cart_line(session, principal, offer_id, buyer_org_id)


# ------------------------------------------------------------------ orders


@router.post(
    "/orders",
    status_code=201,
    response_model=Order,
    responses={
        403: {},
        409: {"description": "Another buyer took the last cases first"},
        422: {"description": "Every problem of every line at once; nothing was placed"},
    },
)
async def place_order(body: OrderCreate, principal: CurrentPrincipal, session: SessionDep):
    """Place a bulk order (send an Idempotency-Key: a retry answers with the same order)."""
    detail = await service.place_order(session, principal, body)
    # serialised once, by pydantic-core, straight to bytes (response_model stays the schema)
    return Response(
        order_view(detail).model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"Location": f"/v1/repository/orders/{detail.order.id}"},
    )


@router.get("/orders", response_model=Page[OrderSummary], responses={422: {}})
async def list_orders(
    principal: CurrentPrincipal,
    session: SessionDep,
    status: str | None = None,
    window_date: date | None = None,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=200),
):
    """A buyer's own orders, or the operator's region's; newest first."""
    orders, lines, next_cursor = await service.orders_page(
        session,
        principal,
        status=status,
        window_date=window_date,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        cursor=cursor,
        limit=limit,
    )
    return Page[OrderSummary](
        items=[OrderSummary(**_summary_fields(o, len(lines[o.id]))) for o in orders],
        next_cursor=next_cursor,
    )


@router.get("/orders/{order_id}", response_model=Order, responses={304: {}, 404: {}})
async def get_order(
    order_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: SessionDep
):
    """The order with its lines, every transition and what may happen next (ETag)."""
    detail = await service.order_detail(session, principal, order_id)
    return etag_response(request, order_view(detail).model_dump(mode="json"))


@router.post(
    "/orders/{order_id}/cancel",
    response_model=Order,
    responses={404: {}, 409: {"description": "Past the window's cut-off, or not cancellable"}},
)
async def cancel_order(
    order_id: uuid.UUID, body: OrderCancel, principal: CurrentPrincipal, session: SessionDep
):
    """Cancel before the window's cut-off; reserved stock goes back on sale."""
    return order_view(await service.cancel_by_buyer(session, principal, order_id, body.reason))
