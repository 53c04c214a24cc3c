"""Goods receipts of purchase orders (a memo beside the supplier's payable)."""

from __future__ import annotations

import uuid

from services.payments.db import kernel
from services.payments.receipts import service
from services.payments.receipts.schemas import GoodsReceiptOut
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-receipts"])


@router.get("/purchase-orders/{purchase_order_id}/receipt", response_model=GoodsReceiptOut)
async def get_goods_receipt(
    purchase_order_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> GoodsReceiptOut:
    """What the county warehouse accepted and rejected, at cost. No money moves on receipt:
    the supplier's payable was credited at sale and shortages take back what is missing."""
    return GoodsReceiptOut.model_validate(
        await service.get_receipt(session, principal, purchase_order_id)
    )
