"""Today: what waits for the operator now, each a link."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.api import Api, ApiError
from services.console.web import ApiDep, render

router = APIRouter()


def next_cutoff(rules: dict[str, Any], now: datetime | None = None) -> tuple[date, datetime]:
    """(window date, the moment it closes): today's window until its cut-off, then tomorrow's."""
    tz = ZoneInfo(rules.get("timezone") or "Asia/Shanghai")
    local = (now or datetime.now(UTC)).astimezone(tz)
    cut = time.fromisoformat(str(rules.get("cutoff_time") or "17:00:00"))
    day = local.date()
    closes = datetime.combine(day, cut, tz)
    if local >= closes:
        day = day + timedelta(days=1)
        closes = datetime.combine(day, cut, tz)
    return day, closes


async def region_rules(api: Api, region_id: str) -> dict[str, Any]:
    try:
        return await api.get(f"/v1/repository/regions/{region_id}/rules")
    except ApiError:
        return {"timezone": "Asia/Shanghai", "cutoff_time": "17:00:00"}


async def _safe(coro: Any, default: Any) -> Any:
    try:
        return await coro
    except ApiError:
        return default


@router.get("/today", response_class=HTMLResponse)
async def today(request: Request, api: ApiDep) -> HTMLResponse:
    session = api.session
    if not session.is_operator:
        return await render(request, "today_member.html", {})
    region = session.region_id
    rules = await region_rules(api, region or "")
    window, closes = next_cutoff(rules)
    local_today = datetime.now(UTC).astimezone(ZoneInfo(rules.get("timezone") or "Asia/Shanghai"))
    applications = await _safe(api.all_items("/v1/suppliers/review-queue", region_id=region), [])
    products = await _safe(
        api.all_items("/v1/catalog/manage/products", region_id=region, status="submitted"), []
    )
    runs = await _safe(
        api.all_items(
            "/v1/delivery/runs", region_id=region, delivery_date=local_today.date().isoformat()
        ),
        [],
    )
    reviews = await _safe(
        api.all_items("/v1/delivery/carrier-parcels/review", region_id=region, status="open"),
        [],
    )
    board = await _safe(
        api.get(f"/v1/repository/windows/{region}/{window.isoformat()}/board"), None
    )
    notices = await _safe(api.get("/v1/identity/notifications"), {"items": []})
    return await render(
        request,
        "today.html",
        {
            "applications": applications,
            "products": products,
            "runs": runs,
            "overloaded": [r for r in runs if r.get("overloaded")],
            "reviews": reviews,
            "board": board,
            "window": window.isoformat(),
            "closes": closes.astimezone(UTC).isoformat(),
            "closes_in": max(0, int((closes - datetime.now(UTC)).total_seconds())),
            "rules": rules,
            "notices": (notices or {}).get("items", [])[:10],
        },
    )
