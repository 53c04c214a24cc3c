from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import BackgroundTasks, Depends, Query, Response

from services.insights.db import kernel
from services.insights.figures import service
from services.insights.figures.repository import Filters
from services.insights.figures.rules import Period
from services.insights.figures.schemas import Dashboard, Figure, HouseholdSupplier, RebuildStarted
from services.insights.rebuild import service as rebuild
from services.insights.reports import service as reports
from shared.auth.dependencies import CurrentPrincipal
from shared.web import SessionDep, download, service_router

router = service_router(kernel, prefix="/v1/insights", tags=["insights-figures"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filters(
    region_id: uuid.UUID,
    year: Annotated[int, Query(ge=2000, le=2100)],
    from_month: Annotated[int, Query(ge=1, le=12)] = 1,
    to_month: Annotated[int, Query(ge=1, le=12)] = 12,
    township: Annotated[str | None, Query(max_length=100)] = None,
    supplier_id: uuid.UUID | None = None,
    product_id: uuid.UUID | None = None,
) -> Filters:
    first, last = min(from_month, to_month), max(from_month, to_month)
    return Filters(region_id, Period(year, first, last), township, supplier_id, product_id)


FiltersDep = Annotated[Filters, Depends(filters)]


@router.get(
    "/regions/{region_id}/dashboard", response_model=Dashboard, responses={403: {}, 404: {}}
)
async def dashboard(f: FiltersDep, principal: CurrentPrincipal, session: SessionDep):
    """Every figure with its value, target, status (met / on_track / behind) and how it is computed."""
    # already in Dashboard's shape: written by orjson, not validated again
    return Response(
        orjson.dumps(await service.dashboard(session, principal, f)), media_type="application/json"
    )


@router.get(
    "/regions/{region_id}/figures/{name}", response_model=Figure, responses={403: {}, 404: {}}
)
async def figure(name: str, f: FiltersDep, principal: CurrentPrincipal, session: SessionDep):
    """One figure: brand_products, brand_growth, enterprise_sales, household_sales,
    traceability, livestream, carriers, delivery_24h, cost_per_parcel, stations_reporting,
    growth, training, training_advanced, new_shops, leaders, media_reports."""
    return await service.one_figure(session, principal, f, name)


# An array, not a page: the breakdown of the household figure, one row per supplier with a
# household link (a county's few dozen), ranked by the period's sales computed in the same
# pass as the figure; a cursor over a computed, moving ranking would skip and repeat rows.
@router.get(
    "/regions/{region_id}/households",
    response_model=list[HouseholdSupplier],
    responses={403: {}, 404: {}},
)
async def households(f: FiltersDep, principal: CurrentPrincipal, session: SessionDep):
    """Suppliers linked to poverty-alleviated or monitored households, with their sales."""
    return await service.households(session, principal, f)


@router.get(
    "/regions/{region_id}/report.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, 403: {}, 404: {}},
)
async def report_xlsx(
    f: FiltersDep,
    principal: CurrentPrincipal,
    session: SessionDep,
    snapshot_id: uuid.UUID | None = None,
):
    """The figures as a workbook (汇总, enterprises, brand products, stations, delivery,
    evidence); with `snapshot_id`, the figures that snapshot froze and the records and
    evidence files as they stood then (the report as submitted, reproduced)."""
    body = await reports.workbook(session, principal, f, snapshot_id)
    return download(body, XLSX, f"insights-{f.period.year}.xlsx")


@router.get(
    "/regions/{region_id}/report.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 403: {}, 404: {}},
)
async def report_pdf(
    f: FiltersDep,
    principal: CurrentPrincipal,
    session: SessionDep,
    snapshot_id: uuid.UUID | None = None,
):
    """The county's report: figures, how computed, trend charts, appendix of evidence;
    with `snapshot_id`, as that snapshot froze them."""
    body = await reports.pdf(session, principal, f, snapshot_id)
    return download(body, "application/pdf", f"insights-{f.period.year}.pdf")


@router.post("/rebuild", response_model=RebuildStarted, status_code=202, responses={403: {}})
async def rebuild_read_model(
    background: BackgroundTasks, principal: CurrentPrincipal, session: SessionDep
):
    """Empty the read model and ask every producer to replay its stored events (admin)."""
    asked = await rebuild.truncate(session, principal)
    # runs after the response, i.e. after the truncation committed
    background.add_task(rebuild.ask_replays, asked)
    return {"emptied_at": datetime.now().astimezone(), "replay_asked_of": sorted(asked)}
