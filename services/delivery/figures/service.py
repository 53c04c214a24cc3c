"""Figures per day and route for the region's operator, as JSON or a workbook."""

from __future__ import annotations

import io
import uuid
from dataclasses import asdict
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.delivery.figures.repository import FIGURE_SORTS, FigureRepository
from services.delivery.figures.rules import RouteDay, figures, page_of
from services.delivery.regions.service import timezone_of
from shared.auth.principal import Principal
from shared.auth.scope import ensure_operator_of
from shared.errors import BadRequest, FieldError
from shared.pagination import Sort

MAX_DAYS = 92
FIGURE_SORT_FIELDS = tuple(FIGURE_SORTS)


async def daily_figures(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID, first: date, last: date
) -> list[RouteDay]:
    ensure_operator_of(principal, region_id)
    if last < first or (last - first).days > MAX_DAYS:
        raise BadRequest(
            f"Ask for at most {MAX_DAYS} days, from before to",
            errors=[FieldError("to", "before from or range too long")],
        )
    parcels = await FigureRepository(session).parcel_facts(region_id, first, last)
    runs = await FigureRepository(session).completed_run_facts(region_id, first, last)
    return figures(parcels, runs, await timezone_of(session, region_id))


async def figures_page(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    first: date,
    last: date,
    *,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[RouteDay], str | None]:
    rows = await daily_figures(session, principal, region_id, first, last)
    return page_of(rows, sort, cursor, limit)


COLUMNS = (
    ("delivery_date", "日期"),
    ("route_name", "线路"),
    ("parcels", "包裹数"),
    ("delivered", "已妥投"),
    ("completed_runs", "已完成班次"),
    ("carried", "完成班次承运包裹"),
    ("on_time_rate", "准时率"),
    ("median_dispatch_to_delivery_hours", "发车到妥投中位小时"),
    ("within_goal_rate", "24小时达成率"),
    ("cost_per_parcel_fen", "单件成本(分)"),
    ("carrier_share", "快递包裹占比"),
)


def figures_workbook(rows: list[RouteDay]) -> bytes:
    from openpyxl import Workbook  # lazily: keeps the app's start-up light

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append([zh for _, zh in COLUMNS])
    for row in rows:
        values = asdict(row)
        sheet.append([values[key] for key, _ in COLUMNS])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
