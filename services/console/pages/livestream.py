"""The livestream base: rooms, the day's bookings, sessions live now. Linked only when
the API serves /v1/livestream (the service may not be deployed)."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console import api as api_module
from services.console.web import OperatorApiDep, render

router = APIRouter(prefix="/livestream")
L = "/v1/livestream"
_probe: dict[str, tuple[float, bool]] = {}


PROBES = {
    "livestream": f"{L}/rooms",
    "insights": "/v1/insights/regions/00000000-0000-0000-0000-000000000000/dashboard",
}


async def available(name: str = "livestream") -> bool:
    """Whether the API has the service (asked once every five minutes)."""
    cached = _probe.get(name)
    if cached and clock.monotonic() - cached[0] < 300:
        return cached[1]
    try:
        r = await api_module.anonymous("GET", PROBES[name], "zh-CN")
        # 401 / 422 mean the route is there (no token, no query); 404 means it is not
        found = r.status_code != 404
    except Exception:
        found = False
    _probe[name] = (clock.monotonic(), found)
    return found


@router.get("/base", response_class=HTMLResponse)
async def base(request: Request, api: OperatorApiDep, day: str | None = None) -> HTMLResponse:
    region = api.session.region_id
    if not await available():
        return await render(request, "error.html", {"code": 404, "message": "找不到"}, 404)
    day = day or datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    rooms = await api.get(f"{L}/rooms", region_id=region)
    bookings = await api.get(f"{L}/calendar", region_id=region, day=day)
    live = await api.get(f"{L}/sessions/live-count", region_id=region)
    return await render(
        request,
        "livestream.html",
        {"rooms": rooms, "bookings": bookings, "live": live.get("live", 0), "day": day},
    )


figures = APIRouter(prefix="/figures")


@figures.get("", response_class=HTMLResponse)
async def programme_figures(
    request: Request, api: OperatorApiDep, year: int | None = None, township: str | None = None
) -> HTMLResponse:
    """The programme's figures against their targets (the insights service), as bars."""
    if not await available("insights"):
        return await render(request, "error.html", {"code": 404, "message": "找不到"}, 404)
    region = api.session.region_id
    year = year or datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).year
    board = await api.get(f"/v1/insights/regions/{region}/dashboard", year=year, township=township)
    rows = []
    for f in board.get("figures", []):
        value, target = f.get("value"), f.get("target")
        share = None
        if value is not None and target:
            share = max(0, min(100, round(100 * float(value) / float(target))))
        rows.append({**f, "share": share})
    query = f"region_id={region}&year={year}"
    return await render(
        request,
        "figures.html",
        {"rows": rows, "year": year, "township": township or "", "region": region, "q": query},
    )
