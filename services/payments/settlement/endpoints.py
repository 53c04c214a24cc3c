"""Offline payment: bank transfer receipts, cash-on-delivery runs, credit lines."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import Request, Response

from services.payments.db import kernel
from services.payments.intents.models import OrderAccount
from services.payments.paging import Cursor, Limit, one_response, page_response, sort_param
from services.payments.settlement import repository, service
from services.payments.settlement.schemas import (
    BankReceiptIn,
    BankReceiptOut,
    CreditLineIn,
    CreditLineOut,
    HandInIn,
    OrderMoney,
    OrderStatus,
    PaymentMethod,
    RefundOut,
    RunReport,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import parse_sort
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-settlement"])

ORDER_SORT_DOC = "placed_at (default newest first: -placed_at), updated_at; prefix - for desc"
CREATED_SORT_DOC = "created_at (default newest first: -created_at)"


def _money(order: OrderAccount) -> OrderMoney:
    return OrderMoney(
        order_id=order.order_id,
        payment_method=order.payment_method,
        status=order.status,
        placed_at=order.placed_at,
        total_fen=order.total_fen,
        removed_fen=order.removed_fen,
        paid_fen=order.paid_fen,
        refunded_fen=order.refunded_fen,
        owed_fen=service.owed_fen(order),
        reference_code=order.reference_code,
        delivered_at=order.delivered_at,
        closed_at=order.closed_at,
    )


@router.get("/orders", response_model=Page[OrderMoney], responses={304: {}})
async def list_orders(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    status: OrderStatus | None = None,
    payment_method: PaymentMethod | None = None,
    sort: str | None = sort_param(ORDER_SORT_DOC),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Response:
    """Orders' money: a buyer its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_orders(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        status=status,
        payment_method=payment_method,
        sort=parse_sort(sort, repository.ORDER_SORT_COLUMNS, "-placed_at"),
        cursor=cursor,
        limit=limit,
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


@router.get("/refunds", response_model=Page[RefundOut], responses={304: {}})
async def list_refunds(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    kind: Literal["stripe_refund", "credit_note"] | None = None,
    status: Literal["pending", "done"] | None = None,
    sort: str | None = sort_param(CREATED_SORT_DOC),
    cursor: Cursor = None,
    limit: Limit = 50,
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
        sort=parse_sort(sort, repository.REFUND_SORT_COLUMNS, "-created_at"),
        cursor=cursor,
        limit=limit,
    )
    return page_response(request, rows, next_cursor, RefundOut.model_validate)


@router.get("/bank-receipts", response_model=Page[BankReceiptOut], responses={304: {}})
async def list_bank_receipts(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    sort: str | None = sort_param(CREATED_SORT_DOC),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Response:
    """Bank transfers recorded against orders, as their orders are seen (ETag)."""
    rows, next_cursor = await service.list_bank_receipts(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        order_id=order_id,
        sort=parse_sort(sort, repository.RECEIPT_SORT_COLUMNS, "-created_at"),
        cursor=cursor,
        limit=limit,
    )
    return page_response(request, rows, next_cursor, BankReceiptOut.model_validate)


@router.post("/bank-receipts", status_code=201, response_model=OrderMoney)
async def record_bank_receipt(
    body: BankReceiptIn, session: SessionDep, principal: CurrentPrincipal
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
    run_id: uuid.UUID, body: HandInIn, session: SessionDep, principal: CurrentPrincipal
) -> RunReport:
    """Cash handed in for a delivery run; the answer reports any missing amount."""
    report = await service.record_hand_in(session, principal, run_id, body.amount_fen)
    return RunReport.model_validate(report)


@router.put("/credit-lines/{buyer_org_id}", response_model=CreditLineOut)
async def set_credit_line(
    buyer_org_id: uuid.UUID, body: CreditLineIn, session: SessionDep, principal: CurrentPrincipal
) -> CreditLineOut:
    line = await service.set_credit_line(
        session, principal, buyer_org_id, body.region_id, body.limit_fen, body.terms_days
    )
    return CreditLineOut.model_validate(line)


@router.get("/credit-lines", response_model=Page[CreditLineOut], responses={304: {}})
async def list_credit_lines(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    sort: str | None = sort_param("set_at (default latest first: -set_at); prefix - for desc"),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Response:
    """Credit lines: an operator its region's, a buyer its own (ETag)."""
    rows, next_cursor = await service.list_credit_lines(
        session,
        principal,
        region_id=region_id,
        sort=parse_sort(sort, repository.CREDIT_LINE_SORT_COLUMNS, "-set_at"),
        cursor=cursor,
        limit=limit,
    )
    return page_response(request, rows, next_cursor, CreditLineOut.model_validate)


@router.get(
    "/credit-lines/{buyer_org_id}", response_model=CreditLineOut, responses={304: {}, 404: {}}
)
async def get_credit_line(
    buyer_org_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The buyer's credit line as payments decides credit orders with it (set here or on the
    buyer account in the repository; ETag)."""
    line = await service.get_credit_line(session, principal, buyer_org_id)
    return one_response(request, CreditLineOut.model_validate(line))
