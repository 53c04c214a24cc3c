"""Livestream commission payouts: what a streamer or agency is owed and was paid, and the
operator's bank batch files."""

from __future__ import annotations

import uuid

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from services.payments.commissions import service
from services.payments.commissions.schemas import (
    CommissionBatchStatus,
    CommissionPayee,
    CommissionPayout,
    CommissionPayoutBatch,
    CommissionPayoutBatchCreate,
    CommissionPayoutBatchUpdate,
    CommissionPayoutStatus,
)
from services.payments.db import kernel
from services.payments.paging import one_response, page_response
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import MONTH_DOC, MONTH_PATTERN, Page
from shared.web import SessionDep, download, file_response, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-commissions"])

PAYOUT_QUERY = list_query(("approved_at", "period", "updated_at"), "-approved_at", default_limit=50)
BATCH_QUERY = list_query(("created_at",), "-created_at", default_limit=50)


@router.get(
    "/commission-payees/{payee_org_id}",
    response_model=CommissionPayee,
    responses={304: {}, 404: {}},
)
async def get_payee(
    payee_org_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """A streamer's or agency's commission: carried forward, payable, paid (ETag). Its own
    members and its region's operator; anyone else 404."""
    body = await service.payee_account(session, principal, payee_org_id)
    return one_response(request, CommissionPayee.model_validate(body))


@router.get("/commission-payouts", response_model=Page[CommissionPayout], responses={304: {}})
async def list_payouts(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    payee_org_id: uuid.UUID | None = None,
    period: str | None = Query(None, pattern=MONTH_PATTERN, description=MONTH_DOC),
    status: CommissionPayoutStatus | None = None,
    batch_id: uuid.UUID | None = None,
    query: ListQuery = Depends(PAYOUT_QUERY),
) -> Response:
    """Commission payouts: a payee its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_payouts(
        session,
        principal,
        query,
        region_id=region_id,
        payee_org_id=payee_org_id,
        period=period,
        status=status,
        batch_id=batch_id,
    )
    return page_response(request, rows, next_cursor, CommissionPayout.model_validate)


@router.get(
    "/commission-payouts/{statement_id}",
    response_model=CommissionPayout,
    responses={304: {}, 404: {}},
)
async def get_payout(
    statement_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """One statement's payout, by the livestream statement's id (ETag)."""
    row = await service.get_payout(session, principal, statement_id)
    return one_response(request, CommissionPayout.model_validate(row))


@router.post(
    "/commission-payout-batches",
    status_code=201,
    response_model=CommissionPayoutBatch,
    responses={422: {}},
)
async def create_batch(
    body: CommissionPayoutBatchCreate, session: SessionDep, principal: CurrentPrincipal
) -> CommissionPayoutBatch:
    """Put every payable commission of the region into one new bank file (download it at
    `/commission-payout-batches/{id}.csv`). Accepts Idempotency-Key."""
    return CommissionPayoutBatch.model_validate(
        await service.create_batch(session, principal, body.region_id)
    )


@router.get(
    "/commission-payout-batches",
    response_model=Page[CommissionPayoutBatch],
    responses={304: {}},
)
async def list_batches(
    request: Request,
    region_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    status: CommissionBatchStatus | None = None,
    query: ListQuery = Depends(BATCH_QUERY),
) -> Response:
    """The region's commission bank files (its operator's money roles)."""
    rows, next_cursor = await service.list_batches(
        session, principal, region_id, query, status=status
    )
    return page_response(request, rows, next_cursor, CommissionPayoutBatch.model_validate)


@router.get(
    "/commission-payout-batches/{batch_id}.csv",
    response_class=Response,
    responses={**file_response("text/csv", description="The bank batch-transfer file"), 404: {}},
)
async def batch_csv(
    batch_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The bank batch-transfer file, laid out like the suppliers' payout file."""
    text = await service.batch_csv(session, principal, batch_id)
    return download(text, "text/csv; charset=utf-8", f"commission-{batch_id}.csv")


@router.get(
    "/commission-payout-batches/{batch_id}",
    response_model=CommissionPayoutBatch,
    responses={304: {}, 404: {}},
)
async def get_batch(
    batch_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    row = await service.get_batch(session, principal, batch_id)
    return one_response(request, CommissionPayoutBatch.model_validate(row))


@router.post(
    "/commission-payout-batches/{batch_id}/mark-paid",
    response_model=CommissionPayoutBatch,
    responses={404: {}, 409: {}},
)
async def mark_batch_paid(
    batch_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: CommissionPayoutBatchUpdate | None = None,
) -> CommissionPayoutBatch:
    """The bank paid the file: its payouts are paid, journalled and announced
    (`payments.commission_payout.paid`). Again: 409."""
    row = await service.mark_batch_paid(
        session, principal, batch_id, body.bank_reference if body else None
    )
    return CommissionPayoutBatch.model_validate(row)
