from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, File, Form, UploadFile

from services.livestream.db import kernel
from services.livestream.settlement import service
from services.livestream.settlement.schemas import (
    LineAttribution,
    PlatformName,
    PlatformProductWrite,
    ReturnWindow,
    ReturnWindowWrite,
    SaleLine,
    SaleLineDetail,
    SaleLineStep,
    SalesImportReport,
    SalesPush,
    SettlementResult,
    SettlementRun,
)
from services.livestream.settlement.upload import is_xlsx, read_xlsx
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/livestream", tags=["livestream-sales"])
LINES_QUERY = list_query(service.LINE_SORT_FIELDS, default="paid_at", default_limit=50)


@router.put(
    "/platform-products",
    status_code=204,
    summary="Operator: map a platform product to a pool entry once",
)
async def map_product(
    body: PlatformProductWrite, session: SessionDep, principal: CurrentPrincipal
) -> None:
    await service.map_product(session, principal, body)


@router.post(
    "/sales/import",
    response_model=SalesImportReport,
    summary="Operator: import a platform's export (CSV or XLSX)",
)
async def import_export(
    session: SessionDep,
    principal: CurrentPrincipal,
    file: UploadFile = File(...),
    region_id: uuid.UUID = Form(...),
    platform: PlatformName = Form(...),
    mode: Literal["good_rows", "all_or_nothing"] = Form("good_rows"),
):
    data = await file.read()
    rows = read_xlsx(data) if is_xlsx(data, file.filename) else service.read_csv(data)
    return await service.import_rows(
        session, principal, region_id=region_id, platform=platform, rows=rows, mode=mode
    )


@router.post(
    "/sales/push", response_model=SalesImportReport, summary="Authenticated push of order lines"
)
async def push(body: SalesPush, session: SessionDep, principal: CurrentPrincipal):
    return await service.import_rows(
        session,
        principal,
        region_id=body.region_id,
        platform=body.platform,
        rows=body.rows,
        mode=body.mode,
    )


@router.get("/sales/lines", response_model=Page[SaleLine], summary="Order lines I may see")
async def lines(
    q: Annotated[ListQuery, Depends(LINES_QUERY)],
    session: SessionDep,
    principal: CurrentPrincipal,
    unmatched: bool = False,
):
    """A streamer its own lines, an agency its members', the operator the region's
    (`unmatched=true`: the queue of lines attributed to no session)."""
    rows, next_cursor = await service.list_lines(session, principal, q, unmatched=unmatched)
    return Page[SaleLine](items=[SaleLine.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/sales/lines/{line_id}",
    response_model=SaleLineDetail,
    summary="One order line with its commission status history",
)
async def line(line_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    found, steps = await service.get_line(session, principal, line_id)
    return SaleLineDetail(
        line=SaleLine.model_validate(found),
        history=[SaleLineStep.model_validate(s) for s in steps],
    )


@router.post(
    "/sales/lines/{line_id}/attribute",
    response_model=SaleLine,
    summary="Operator: attribute a line from the unmatched queue to a session or streamer",
)
async def attribute_line(
    line_id: uuid.UUID, body: LineAttribution, session: SessionDep, principal: CurrentPrincipal
):
    return await service.attribute_line(session, principal, line_id, body)


@router.post(
    "/sales/settle",
    response_model=SettlementResult,
    summary="Operator: settle now the lines whose return window has passed (as of a time)",
)
async def settle(body: SettlementRun, session: SessionDep, principal: CurrentPrincipal):
    count = await service.run_settlement(session, principal, body.region_id, body.as_of)
    return SettlementResult(settled=count)


@router.put(
    "/return-windows",
    response_model=ReturnWindow,
    summary="Operator: the region's return window for a platform (days after receipt)",
)
async def set_window(body: ReturnWindowWrite, session: SessionDep, principal: CurrentPrincipal):
    window = await service.set_window(session, principal, body)
    return ReturnWindow(platform=window.platform, days=window.days)


# an array, not a page: one window per platform the import knows (a handful)
@router.get(
    "/return-windows",
    response_model=list[ReturnWindow],
    summary="The region's return window per platform (7 days unless set)",
)
async def windows(region_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal):
    return [
        ReturnWindow(platform=p, days=d)
        for p, d in await service.windows(session, principal, region_id)
    ]
