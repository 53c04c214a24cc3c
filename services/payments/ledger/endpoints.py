"""Ledger reads: balances per organisation, the region's trial balance and account
statements, reconciliation on demand."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Depends, Request, Response

from services.payments.db import kernel
from services.payments.ledger import service
from services.payments.ledger.core import Purpose
from services.payments.ledger.schemas import AccountLine, TrialBalance
from services.payments.paging import one_response, page_response
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments/ledger", tags=["payments-ledger"])

# an account statement reads oldest first (the running balance); `-line_id` newest first
LINES_QUERY = list_query(("line_id",), "line_id", default_limit=50)


@router.get("/balances/{org_id}")
async def org_balances(
    org_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, int]:
    """Debit-positive balances of the organisation's accounts, derived from the journal
    (its members, and the operator of the region it trades in)."""
    return await service.org_balances(session, principal, org_id)


@router.get(
    "/regions/{region_id}/trial-balance",
    response_model=TrialBalance,
    responses={304: {}, 404: {}},
)
async def trial_balance(
    region_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The region's trial balance: every account its entries touch (the region's operator,
    finance included; ETag)."""
    body = await service.trial_balance(session, principal, region_id)
    return one_response(request, TrialBalance.model_validate(body))


@router.get(
    "/regions/{region_id}/accounts/{purpose}",
    response_model=Page[AccountLine],
    responses={304: {}, 404: {}},
)
async def account_statement(
    region_id: uuid.UUID,
    purpose: Purpose,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    org_id: uuid.UUID | None = None,
    query: ListQuery = Depends(LINES_QUERY),
) -> Response:
    """An account's statement in the region: its lines oldest first with the running
    balance (`org_id` omitted: the platform's own account of that kind; ETag)."""
    rows, next_cursor = await service.account_statement(
        session, principal, region_id, purpose, org_id, query
    )
    return page_response(request, rows, next_cursor, AccountLine.model_validate)


@router.post("/reconciliations")
async def run_reconciliation(
    session: SessionDep, principal: CurrentPrincipal, region_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """Compare Stripe with the ledger now (the daily job does the same): the platform
    admin for every region, a region's operator for its own (`region_id`)."""
    return await service.reconcile_region(session, principal, region_id)
