"""Bank refunds of buyer credit, the buyer's bank account on file, bank refund files."""

from __future__ import annotations

import uuid

from fastapi import Depends, Request
from fastapi.responses import Response

from services.payments.db import kernel
from services.payments.paging import one_response, page_response
from services.payments.refunds import service
from services.payments.refunds.schemas import (
    BankAccount,
    BankAccountUpdate,
    BankRefund,
    BankRefundBatch,
    BankRefundBatchCreate,
    BankRefundCancel,
    BankRefundConfirm,
    BankRefundCreate,
    BankRefundFail,
    BankRefundStatus,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, download, file_response, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-refunds"])

LIST_QUERY = list_query(("created_at", "updated_at"), "-created_at", default_limit=50)
BATCH_QUERY = list_query(("created_at",), "-created_at", default_limit=50)


@router.put("/buyers/{buyer_org_id}/bank-account", response_model=BankAccount)
async def set_bank_account(
    buyer_org_id: uuid.UUID,
    body: BankAccountUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> BankAccount:
    """The region's operator records the account a buyer's bank refunds go to."""
    row = await service.set_bank_account(session, principal, buyer_org_id, body.region_id, body)
    return BankAccount.model_validate(row)


@router.get(
    "/buyers/{buyer_org_id}/bank-account",
    response_model=BankAccount,
    responses={304: {}, 404: {}},
)
async def get_bank_account(
    buyer_org_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The buyer's account on file, its number masked (ETag)."""
    row = await service.get_bank_account(session, principal, buyer_org_id)
    return one_response(request, BankAccount.model_validate(row))


@router.post(
    "/bank-refunds", status_code=201, response_model=BankRefund, responses={404: {}, 422: {}}
)
async def request_bank_refund(
    body: BankRefundCreate, session: SessionDep, principal: CurrentPrincipal
) -> BankRefund:
    """The buyer (owner, admin, finance) or its operator asks for buyer credit to be paid
    back by bank: all of it, an amount, or what one order gave back. Accepts
    Idempotency-Key."""
    return BankRefund.model_validate(await service.request_bank_refund(session, principal, body))


@router.get("/bank-refunds", response_model=Page[BankRefund], responses={304: {}})
async def list_bank_refunds(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    status: BankRefundStatus | None = None,
    batch_id: uuid.UUID | None = None,
    query: ListQuery = Depends(LIST_QUERY),
) -> Response:
    """Bank refunds the caller may see: a buyer its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_bank_refunds(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        order_id=order_id,
        status=status,
        batch_id=batch_id,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, BankRefund.model_validate)


@router.get("/bank-refunds/{refund_id}", response_model=BankRefund, responses={304: {}, 404: {}})
async def get_bank_refund(
    refund_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """One bank refund (ETag)."""
    row = await service.get_bank_refund(session, principal, refund_id)
    return one_response(request, BankRefund.model_validate(row))


@router.post(
    "/bank-refunds/{refund_id}/cancel", response_model=BankRefund, responses={404: {}, 409: {}}
)
async def cancel_bank_refund(
    refund_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: BankRefundCancel | None = None,
) -> BankRefund:
    """Withdraw a refund not yet in a bank file; the credit is the buyer's again."""
    row = await service.cancel_bank_refund(
        session, principal, refund_id, body.reason if body else None
    )
    return BankRefund.model_validate(row)


@router.post(
    "/bank-refunds/{refund_id}/confirm", response_model=BankRefund, responses={404: {}, 409: {}}
)
async def confirm_bank_refund(
    refund_id: uuid.UUID, body: BankRefundConfirm, session: SessionDep, principal: CurrentPrincipal
) -> BankRefund:
    """The operator records the bank's confirmation: the refund is paid."""
    row = await service.confirm_bank_refund(session, principal, refund_id, body.bank_reference)
    return BankRefund.model_validate(row)


@router.post(
    "/bank-refunds/{refund_id}/fail", response_model=BankRefund, responses={404: {}, 409: {}}
)
async def fail_bank_refund(
    refund_id: uuid.UUID, body: BankRefundFail, session: SessionDep, principal: CurrentPrincipal
) -> BankRefund:
    """The bank returned the transfer: the credit is restored."""
    row = await service.fail_bank_refund(session, principal, refund_id, body.reason)
    return BankRefund.model_validate(row)


@router.post(
    "/bank-refund-batches", status_code=201, response_model=BankRefundBatch, responses={422: {}}
)
async def create_batch(
    body: BankRefundBatchCreate, session: SessionDep, principal: CurrentPrincipal
) -> BankRefundBatch:
    """Put every waiting refund of the region into one new bank file (download it at
    `/bank-refund-batches/{id}.csv`). Accepts Idempotency-Key."""
    return BankRefundBatch.model_validate(
        await service.create_batch(session, principal, body.region_id)
    )


@router.get("/bank-refund-batches", response_model=Page[BankRefundBatch], responses={304: {}})
async def list_batches(
    request: Request,
    region_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    query: ListQuery = Depends(BATCH_QUERY),
) -> Response:
    rows, next_cursor = await service.list_batches(
        session,
        principal,
        region_id,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, BankRefundBatch.model_validate)


@router.get(
    "/bank-refund-batches/{batch_id}.csv",
    response_class=Response,
    responses={**file_response("text/csv", description="The bank batch-transfer file"), 404: {}},
)
async def batch_csv(
    batch_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The bank batch-transfer file (full account numbers: for the bank only)."""
    text = await service.batch_csv(session, principal, batch_id)
    return download(text, "text/csv; charset=utf-8", f"refunds-{batch_id}.csv")


@router.get(
    "/bank-refund-batches/{batch_id}",
    response_model=BankRefundBatch,
    responses={304: {}, 404: {}},
)
async def get_batch(
    batch_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    row = await service.get_batch(session, principal, batch_id)
    return one_response(request, BankRefundBatch.model_validate(row))
