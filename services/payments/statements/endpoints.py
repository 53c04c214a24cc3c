"""Buyer and supplier statements, XLSX and bank batch exports, marking paid."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query
from fastapi.responses import Response

from services.payments.db import kernel
from services.payments.statements import service
from services.payments.statements.schemas import CloseIn, SupplierStatementOut
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-statements"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/buyers/{buyer_org_id}/statement")
async def buyer_statement(
    buyer_org_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    month: str = Query(pattern=r"^\d{4}-\d{2}$"),
) -> dict[str, Any]:
    """A buyer's month: orders, payments, refunds, what is owed and credit held."""
    return await service.buyer_statement(session, principal, buyer_org_id, month)


@router.post("/supplier-statements", response_model=list[SupplierStatementOut])
async def close_statements(
    body: CloseIn, session: SessionDep, principal: CurrentPrincipal
) -> list[SupplierStatementOut]:
    rows = await service.close_supplier_statements(session, principal, body.region_id, body.month)
    return [SupplierStatementOut.model_validate(r) for r in rows]


@router.get("/supplier-statements/bank-batch.csv")
async def bank_batch(
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID,
    month: str = Query(pattern=r"^\d{4}-\d{2}$"),
) -> Response:
    text = await service.bank_batch(session, principal, region_id, month)
    return Response(text, media_type="text/csv; charset=utf-8")


@router.get("/supplier-statements/{statement_id}.xlsx")
async def statement_xlsx(
    statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    return Response(await service.statement_xlsx(session, principal, statement_id), media_type=XLSX)


@router.post("/supplier-statements/{statement_id}/mark-paid", response_model=SupplierStatementOut)
async def mark_paid(
    statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> SupplierStatementOut:
    return SupplierStatementOut.model_validate(
        await service.mark_paid(session, principal, statement_id)
    )
