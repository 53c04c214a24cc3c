from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from services.delivery.db import kernel
from services.delivery.figures import service
from services.delivery.runs.models import Parcel
from shared.auth.dependencies import CurrentPrincipal
from shared.pagination import ListQuery, list_query
from shared.schemas import Page, Schema
from shared.web import SessionDep, etag_response, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-figures"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows are ordered by day, then route name; only the day's direction can be chosen.
FIGURE_SORTS = {"delivery_date": Parcel.delivery_date}
FIGURE_SORTS_QUERY = list_query(FIGURE_SORTS, default="delivery_date", default_limit=50)


class RouteDayView(Schema):
    delivery_date: date
    route_id: uuid.UUID
    route_name: str
    parcels: int
    delivered: int
    completed_runs: int
    carried: int
    on_time_rate: float | None
    median_dispatch_to_delivery_hours: float | None
    within_goal_rate: float | None
    cost_per_parcel_fen: int | None
    carrier_share: float


@router.get(
    "/figures", response_model=Page[RouteDayView], responses={304: {}, 400: {}, 403: {}, 422: {}}
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
    page = Page[RouteDayView](
        items=[RouteDayView.model_validate(row) for row in rows], next_cursor=next_cursor
    )
    return etag_response(request, page.model_dump(mode="json"))


@router.get(
    "/figures.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, 400: {}, 403: {}},
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
    return Response(
        service.figures_workbook(rows),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="delivery-figures.xlsx"'},
    )
