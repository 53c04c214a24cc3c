"""Goods receipts of purchase orders (a memo beside the supplier's payable)."""

from __future__ import annotations

import uuid

from fastapi import Depends, Request, Response

from services.payments.db import kernel
from services.payments.paging import one_response, page_response
from services.payments.receipts import service
from services.payments.receipts.schemas import GoodsReceipt
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-receipts"])

LIST_QUERY = list_query(("received_at",), "-received_at", default_limit=50)


@router.get(
    "/purchase-orders/{purchase_order_id}/receipt",
    response_model=GoodsReceipt,
    responses={304: {}, 404: {}},
)
async def get_goods_receipt(
    purchase_order_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> Response:
    """What the county warehouse accepted and rejected, at cost. No money moves on receipt:
    the supplier's payable was credited at sale and shortages take back what is missing
    (ETag)."""
    receipt = await service.get_receipt(session, principal, purchase_order_id)
    return one_response(request, GoodsReceipt.model_validate(receipt))


@router.get("/goods-receipts", response_model=Page[GoodsReceipt], responses={304: {}})
async def list_goods_receipts(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    query: ListQuery = Depends(LIST_QUERY),
) -> Response:
    """Goods receipts: a supplier its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_receipts(
        session,
        principal,
        region_id=region_id,
        supplier_id=supplier_id,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, GoodsReceipt.model_validate)
