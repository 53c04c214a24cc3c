from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from services.delivery.db import kernel
from services.delivery.figures import service
from services.delivery.figures.schemas import RouteDay
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.web import SessionDep, download, etag_response, file_response, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-figures"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows are ordered by day, then route name; only the day's direction can be chosen.
FIGURE_SORTS_QUERY = list_query(
    service.FIGURE_SORT_FIELDS, default="delivery_date", default_limit=50
)


@router.get(
    "/figures", response_model=Page[RouteDay], responses={304: {}, 400: {}, 403: {}, 422: {}}
)
async def figures(
    q: Annotated[ListQuery, Depends(FIGURE_SORTS_QUERY)],
    region_id: uuid.UUID,
    first: Annotated[date, Query(alias="from")],
    last: Annotated[date, Query(alias="to")],
    request: Request,
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Per day and route: parcels, completed runs, on-time rate, dispatch→delivery hours,
    cost per parcel, carrier share (ETag)."""
    rows, next_cursor = await service.figures_page(
        session,
        principal,
        region_id,
        first,
        last,
        sort=q.sort,
        cursor=q.cursor,
        limit=q.limit,
    )
    page = Page[RouteDay](
        items=[RouteDay.model_validate(row) for row in rows], next_cursor=next_cursor
    )
    return etag_response(request, page.model_dump(mode="json"))


@router.get(
    "/figures.xlsx",
    response_class=Response,
    responses={
        **file_response(XLSX, description="The figures workbook"),
        400: {},
        403: {},
    },
)
async def figures_xlsx(
    region_id: uuid.UUID,
    first: Annotated[date, Query(alias="from")],
    last: Annotated[date, Query(alias="to")],
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """The same figures as a workbook (every row, no paging)."""
    rows = await service.daily_figures(session, principal, region_id, first, last)
    return download(service.figures_workbook(rows), XLSX, "delivery-figures.xlsx")
