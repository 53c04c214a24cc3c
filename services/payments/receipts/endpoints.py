"""Goods receipts of purchase orders (a memo beside the supplier's payable)."""

from __future__ import annotations

import uuid

from fastapi import Request, Response

from services.payments.db import kernel
from services.payments.paging import Cursor, Limit, one_response, page_response, sort_param
from services.payments.receipts import repository, service
from services.payments.receipts.schemas import GoodsReceiptOut
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import parse_sort
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-receipts"])


@router.get(
    "/purchase-orders/{purchase_order_id}/receipt",
    response_model=GoodsReceiptOut,
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
    return one_response(request, GoodsReceiptOut.model_validate(receipt))


@router.get("/goods-receipts", response_model=Page[GoodsReceiptOut], responses={304: {}})
async def list_goods_receipts(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    sort: str | None = sort_param("received_at (default latest first: -received_at)"),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Response:
    """Goods receipts: a supplier its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_receipts(
        session,
        principal,
        region_id=region_id,
        supplier_id=supplier_id,
        sort=parse_sort(sort, repository.SORT_COLUMNS, "-received_at"),
        cursor=cursor,
        limit=limit,
    )
    return page_response(request, rows, next_cursor, GoodsReceiptOut.model_validate)
