from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query, Response

from services.livestream.db import kernel
from services.livestream.statements import service
from services.livestream.statements.schemas import (
    Statement,
    StatementDetail,
    StatementEntry,
    StatementGenerate,
)
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import MONTH_DOC, MONTH_PATTERN, Page
from shared.web import SessionDep, download, file_response, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-statements"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATEMENTS_QUERY = list_query(service.STATEMENT_SORT_FIELDS, default="-period", default_limit=50)


# an array, not a page: the answer to one action, the statements of one region and month
# just built (one per payee with commission that month); GET /statements?period= pages them
@router.post(
    "/statements/generate",
    response_model=list[Statement],
    summary="Operator: build (or rebuild the drafts of) a finished local month's statements",
)
async def generate(body: StatementGenerate, session: SessionDep, principal: CurrentPrincipal):
    return await service.generate(session, principal, body.region_id, body.period)


@router.get("/statements", response_model=Page[Statement], summary="Statements I may see")
async def statements(
    q: Annotated[ListQuery, Depends(STATEMENTS_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    period: Annotated[str | None, Query(pattern=MONTH_PATTERN, description=MONTH_DOC)] = None,
    status: Literal["draft", "approved", "paid", "settled"] | None = None,
):
    """A streamer's or agency's own statements, the operator the region's; latest month
    first."""
    rows, next_cursor = await service.list_statements(
        session, principal, q, period=period, status=status
    )
    return Page[Statement](
        items=[Statement.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    "/statements/{statement_id}",
    response_model=StatementDetail,
    summary="A statement with its lines and clawbacks",
)
async def statement(statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    found, entries = await service.get_statement(session, principal, statement_id)
    return StatementDetail(
        statement=Statement.model_validate(found),
        entries=[
            StatementEntry(
                entry_id=e.id,
                line_id=line.id,
                platform=line.platform,
                platform_order_id=line.platform_order_id,
                kind="clawback" if e.kind == "clawback" else "commission",
                amount_fen=e.amount_fen,
                paid_fen=line.paid_fen,
                refunded_fen=line.refunded_fen,
                rate_bps=line.rate_bps,
                paid_at=line.paid_at,
                occurred_at=e.occurred_at,
            )
            for e, line in entries
        ],
    )


@router.post(
    "/statements/{statement_id}/approve",
    response_model=Statement,
    summary="Operator: approve a draft statement (it never changes afterwards)",
)
async def approve(statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return await service.approve(session, principal, statement_id)


@router.get(
    "/statements/{statement_id}/xlsx",
    response_class=Response,
    responses=file_response(XLSX, description="The statement as a workbook"),
    summary="Download a statement (XLSX)",
)
async def statement_xlsx(
    statement_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    name, data = await service.workbook(session, principal, statement_id)
    return download(data, XLSX, name)
