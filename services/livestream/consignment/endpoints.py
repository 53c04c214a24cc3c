"""Consignment stock at the base: the operator's returns, write-offs and stocktakes, the
supplier's and operator's reads, the supplier's statement (JSON and XLSX)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path, Response

from services.livestream.consignment import service
from services.livestream.consignment.schemas import (
    ConsignmentDamageCreate,
    ConsignmentMovement,
    ConsignmentReturnCreate,
    ConsignmentStatement,
    ConsignmentStock,
    ConsignmentStockCreate,
    StocktakeCreate,
)
from services.livestream.db import kernel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import MONTH_DOC, MONTH_PATTERN, Page
from shared.web import SessionDep, download, file_response, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-consignment"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PeriodPath = Annotated[str, Path(pattern=MONTH_PATTERN, description=MONTH_DOC)]
STOCK_QUERY = list_query(service.STOCK_SORT_FIELDS, default="id", default_limit=50)
MOVEMENTS_QUERY = list_query(service.MOVEMENT_SORT_FIELDS, default="at", default_limit=50)


@router.get(
    "/consignment/stock",
    response_model=Page[ConsignmentStock],
    summary="Consignment goods at the base (a supplier its own, the operator the region's)",
)
async def list_stock(
    q: Annotated[ListQuery, Depends(STOCK_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    product_id: uuid.UUID | None = None,
):
    rows, next_cursor = await service.list_stock(session, principal, product_id, q)
    return Page[ConsignmentStock](
        items=[ConsignmentStock.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/consignment/stock",
    response_model=ConsignmentStock,
    summary="Operator: register a product's stock at the base (zero, before a first count)",
)
async def register_stock(
    body: ConsignmentStockCreate, session: SessionDep, principal: CurrentPrincipal
):
    return await service.register_stock(session, principal, body)


@router.get("/consignment/stock/{stock_id}", response_model=ConsignmentStock)
async def get_stock(stock_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.get_stock(session, principal, stock_id)


@router.get(
    "/consignment/stock/{stock_id}/movements",
    response_model=Page[ConsignmentMovement],
    summary="The ledger of a product's goods at the base",
)
async def stock_movements(
    q: Annotated[ListQuery, Depends(MOVEMENTS_QUERY)],
    stock_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
):
    """Oldest first by default (`sort=-at`: the latest first); a foreign stock is a 404."""
    rows, next_cursor = await service.movements(session, principal, stock_id, q)
    return Page[ConsignmentMovement](
        items=[ConsignmentMovement.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/consignment/stock/{stock_id}/returns",
    response_model=ConsignmentMovement,
    status_code=201,
    summary="Operator: unsold goods go back to the supplier or a warehouse",
)
async def return_goods(
    stock_id: uuid.UUID,
    body: ConsignmentReturnCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
):
    return await service.return_goods(session, principal, stock_id, body)


@router.post(
    "/consignment/stock/{stock_id}/damages",
    response_model=ConsignmentMovement,
    status_code=201,
    summary="Operator: write off damaged goods",
)
async def write_off(
    stock_id: uuid.UUID,
    body: ConsignmentDamageCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
):
    return await service.write_off(session, principal, stock_id, body)


@router.post(
    "/consignment/stock/{stock_id}/stocktakes",
    response_model=ConsignmentMovement,
    status_code=201,
    summary="Operator: a count; its variance (with a reason) adjusts on hand",
)
async def stocktake(
    stock_id: uuid.UUID, body: StocktakeCreate, session: SessionDep, principal: CurrentPrincipal
):
    return await service.stocktake(session, principal, stock_id, body)


@router.get(
    "/consignment/statements/{supplier_id}/{period}",
    response_model=ConsignmentStatement,
    summary="A supplier's consignment statement for a local month",
)
async def statement(
    supplier_id: uuid.UUID, period: PeriodPath, session: SessionDep, principal: CurrentPrincipal
):
    return await service.statement(session, principal, supplier_id, period)


@router.get(
    "/consignment/statements/{supplier_id}/{period}/xlsx",
    response_class=Response,
    responses=file_response(XLSX, description="The statement as a workbook"),
    summary="A supplier's consignment statement as XLSX",
)
async def statement_xlsx(
    supplier_id: uuid.UUID, period: PeriodPath, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    data = await service.statement_xlsx(session, principal, supplier_id, period)
    return download(data, XLSX, f"consignment-{period}.xlsx")
