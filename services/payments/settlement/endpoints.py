"""Offline payment: bank transfer receipts, cash-on-delivery runs, credit lines."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import Depends, Request, Response

from services.payments.db import kernel
from services.payments.paging import one_response, page_response
from services.payments.settlement import service
from services.payments.settlement.schemas import (
    BankReceipt,
    BankReceiptCreate,
    CreditLine,
    CreditLineUpdate,
    HandInCreate,
    OrderMoney,
    OrderStatus,
    PaymentMethod,
    Refund,
    RunReport,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-settlement"])

ORDER_QUERY = list_query(("placed_at", "updated_at"), "-placed_at", default_limit=50)
REFUND_QUERY = list_query(("created_at",), "-created_at", default_limit=50)
RECEIPT_QUERY = list_query(("created_at",), "-created_at", default_limit=50)
CREDIT_LINE_QUERY = list_query(("set_at",), "-set_at", default_limit=50)


def _money(order: Any) -> OrderMoney:
    return OrderMoney.model_validate(service.money_view(order))


@router.get("/orders", response_model=Page[OrderMoney], responses={304: {}})
async def list_orders(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    status: OrderStatus | None = None,
    payment_method: PaymentMethod | None = None,
    query: ListQuery = Depends(ORDER_QUERY),
) -> Response:
    """Orders' money: a buyer its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_orders(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        status=status,
        payment_method=payment_method,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, _money)


@router.get("/orders/{order_id}", response_model=OrderMoney, responses={304: {}, 404: {}})
async def get_order_money(
    order_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """What the order costs, what was paid and given back, what is owed; bank reference code
    (ETag: poll with If-None-Match)."""
    order = await service.bank_transfer_instructions(session, principal, order_id)
    return one_response(request, _money(order))


@router.get("/refunds", response_model=Page[Refund], responses={304: {}})
async def list_refunds(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    kind: Literal["stripe_refund", "credit_note"] | None = None,
    status: Literal["pending", "done"] | None = None,
    query: ListQuery = Depends(REFUND_QUERY),
) -> Response:
    """What orders gave back (card refunds, credit notes), as their orders are seen (ETag)."""
    rows, next_cursor = await service.list_refunds(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        order_id=order_id,
        kind=kind,
        status=status,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, Refund.model_validate)


@router.get("/bank-receipts", response_model=Page[BankReceipt], responses={304: {}})
async def list_bank_receipts(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    query: ListQuery = Depends(RECEIPT_QUERY),
) -> Response:
    """Bank transfers recorded against orders, as their orders are seen (ETag)."""
    rows, next_cursor = await service.list_bank_receipts(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        order_id=order_id,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, BankReceipt.model_validate)


@router.post("/bank-receipts", status_code=201, response_model=OrderMoney)
async def record_bank_receipt(
    body: BankReceiptCreate, session: SessionDep, principal: CurrentPrincipal
) -> OrderMoney:
    """The operator records a bank transfer received for a reference code."""
    order = await service.record_bank_receipt(
        session, principal, body.reference_code, body.amount_fen, body.bank_reference
    )
    return _money(order)


@router.get("/cod/runs/{run_id}", response_model=RunReport)
async def get_run(run_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal) -> RunReport:
    return RunReport.model_validate(await service.run_report(session, principal, run_id))


@router.post("/cod/runs/{run_id}/hand-ins", status_code=201, response_model=RunReport)
async def hand_in(
    run_id: uuid.UUID, body: HandInCreate, session: SessionDep, principal: CurrentPrincipal
) -> RunReport:
    """Cash handed in for a delivery run; the answer reports any missing amount."""
    report = await service.record_hand_in(session, principal, run_id, body.amount_fen)
    return RunReport.model_validate(report)


@router.put("/credit-lines/{buyer_org_id}", response_model=CreditLine)
async def set_credit_line(
    buyer_org_id: uuid.UUID,
    body: CreditLineUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> CreditLine:
    line = await service.set_credit_line(
        session, principal, buyer_org_id, body.region_id, body.limit_fen, body.terms_days
    )
    return CreditLine.model_validate(line)


@router.get("/credit-lines", response_model=Page[CreditLine], responses={304: {}})
async def list_credit_lines(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    query: ListQuery = Depends(CREDIT_LINE_QUERY),
) -> Response:
    """Credit lines: an operator its region's, a buyer its own (ETag)."""
    rows, next_cursor = await service.list_credit_lines(
        session,
        principal,
        region_id=region_id,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, CreditLine.model_validate)


@router.get("/credit-lines/{buyer_org_id}", response_model=CreditLine, responses={304: {}, 404: {}})
async def get_credit_line(
    buyer_org_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The buyer's credit line as payments decides credit orders with it (set here or on the
    buyer account in the repository; ETag)."""
    line = await service.get_credit_line(session, principal, buyer_org_id)
    return one_response(request, CreditLine.model_validate(line))
