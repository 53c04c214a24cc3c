from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query, Response

from services.delivery.db import kernel
from services.delivery.figures import service
from shared.auth.dependencies import CurrentPrincipal
from shared.schemas import Schema
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/delivery", tags=["delivery-figures"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RouteDayView(Schema):
    delivery_date: date
    route_id: uuid.UUID
    route_name: str
    parcels: int
    delivered: int
    on_time_rate: float | None
    median_dispatch_to_delivery_hours: float | None
    within_goal_rate: float | None
    cost_per_parcel_fen: int | None
    carrier_share: float


@router.get("/figures", response_model=list[RouteDayView], responses={400: {}, 403: {}})
async def figures(
    region_id: uuid.UUID,
    first: Annotated[date, Query(alias="from")],
    last: Annotated[date, Query(alias="to")],
    principal: CurrentPrincipal,
    session: SessionDep,
):
    """Per day and route: parcels, on-time rate, dispatch→delivery hours, cost, carrier share."""
    rows = await service.daily_figures(session, principal, region_id, first, last)
    return [RouteDayView.model_validate(row) for row in rows]


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
    """The same figures as a workbook."""
    rows = await service.daily_figures(session, principal, region_id, first, last)
    return Response(
        service.figures_workbook(rows),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="delivery-figures.xlsx"'},
    )
