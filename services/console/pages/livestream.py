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


async def available() -> bool:
    """Whether the API has the livestream service (asked once every five minutes)."""
    cached = _probe.get("livestream")
    if cached and clock.monotonic() - cached[0] < 300:
        return cached[1]
    try:
        r = await api_module.anonymous("GET", f"{L}/rooms", "zh-CN")
        # a missing query parameter (422) means the route is there; 404 means it is not
        found = r.status_code != 404
    except Exception:
        found = False
    _probe["livestream"] = (clock.monotonic(), found)
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
