"""Buyer and supplier statements, XLSX and bank batch exports, marking paid."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from services.payments.db import kernel
from services.payments.paging import one_response, page_response
from services.payments.statements import service
from services.payments.statements.schemas import (
    MONTH_DOC,
    MONTH_PATTERN,
    BuyerStatement,
    SupplierStatement,
    SupplierStatementCreate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, file_response, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-statements"])

LIST_QUERY = list_query(("month", "created_at", "updated_at"), "-month", default_limit=50)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/buyers/{buyer_org_id}/statement", response_model=BuyerStatement, responses={304: {}})
async def buyer_statement(
    buyer_org_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    month: str = Query(pattern=MONTH_PATTERN, description=MONTH_DOC),
) -> Response:
    """A buyer's month in its region's calendar: orders, payments, refunds, what is owed
    and credit held (ETag)."""
    body = await service.buyer_statement(session, principal, buyer_org_id, month)
    return one_response(request, BuyerStatement.model_validate(body))


@router.get("/supplier-statements", response_model=Page[SupplierStatement], responses={304: {}})
async def list_supplier_statements(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    month: str | None = Query(None, pattern=MONTH_PATTERN, description=MONTH_DOC),
    status: Literal["open", "paid"] | None = None,
    query: ListQuery = Depends(LIST_QUERY),
) -> Response:
    """Supplier statements: a supplier its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_supplier_statements(
        session,
        principal,
        region_id=region_id,
        supplier_id=supplier_id,
        month=month,
        status=status,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, SupplierStatement.model_validate)


# An array, bounded by nature: the answer of one command, the statements of one region's
# month (one per supplier with sales); GET /supplier-statements pages them afterwards.
@router.post("/supplier-statements", response_model=list[SupplierStatement])
async def close_statements(
    body: SupplierStatementCreate, session: SessionDep, principal: CurrentPrincipal
) -> list[SupplierStatement]:
    rows = await service.close_supplier_statements(session, principal, body.region_id, body.month)
    return [SupplierStatement.model_validate(r) for r in rows]


@router.get(
    "/supplier-statements/bank-batch.csv",
    response_class=Response,
    responses=file_response("text/csv", description="The bank batch-transfer file"),
)
async def bank_batch(
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID,
    month: str = Query(pattern=MONTH_PATTERN, description=MONTH_DOC),
) -> Response:
    text = await service.bank_batch(session, principal, region_id, month)
    return Response(text, media_type="text/csv; charset=utf-8")


@router.get(
    "/supplier-statements/{statement_id}.xlsx",
    response_class=Response,
    responses={**file_response(XLSX, description="The statement as a spreadsheet"), 404: {}},
)
async def statement_xlsx(
    statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    return Response(await service.statement_xlsx(session, principal, statement_id), media_type=XLSX)


@router.post("/supplier-statements/{statement_id}/mark-paid", response_model=SupplierStatement)
async def mark_paid(
    statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> SupplierStatement:
    return SupplierStatement.model_validate(
        await service.mark_paid(session, principal, statement_id)
    )
