"""Delivery: today's runs with capacity and cold chain, manifests and labels, the address
review queue."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console.api import ApiError
from services.console.web import OperatorApiDep, form_str, redirect, render

router = APIRouter(prefix="/delivery")
D = "/v1/delivery"


@router.get("/runs", response_class=HTMLResponse)
async def runs(
    request: Request,
    api: OperatorApiDep,
    day: str | None = None,
    status: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    day = day or datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    page = await api.get(
        f"{D}/runs",
        region_id=api.session.region_id,
        delivery_date=day,
        status=status,
        cursor=cursor,
        limit=25,
    )
    return await render(request, "runs.html", {"page": page, "day": day, "status": status or ""})


@router.get("/runs/{run_id}", response_class=HTMLResponse)
async def run(request: Request, api: OperatorApiDep, run_id: str) -> HTMLResponse:
    detail = await api.get(f"{D}/runs/{run_id}")
    stops = []
    try:
        stops = await api.get(f"{D}/runs/{run_id}/stops")
    except ApiError:
        pass
    parcels = await api.get(f"{D}/runs/{run_id}/pick-list")
    return await render(
        request,
        "run.html",
        {"run": detail, "stops": stops if isinstance(stops, list) else [], "parcels": parcels},
    )


@router.get("/addresses", response_class=HTMLResponse)
async def addresses(
    request: Request, api: OperatorApiDep, status: str = "open", cursor: str | None = None
) -> HTMLResponse:
    page = await api.get(
        f"{D}/carrier-parcels/review",
        region_id=api.session.region_id,
        status=status or None,
        cursor=cursor,
        limit=25,
    )
    stops = await api.get(f"{D}/stops", region_id=api.session.region_id, limit=100)
    return await render(
        request, "addresses.html", {"page": page, "status": status, "stops": stops["items"]}
    )


@router.post("/addresses/{review_id}/{action}")
async def resolve(request: Request, api: OperatorApiDep, review_id: str, action: str) -> Response:
    if action not in ("assign", "return"):
        return Response(status_code=404)
    form = await request.form()
    body: dict = {}
    if action == "assign":
        body = {"stop_id": form_str(form, "stop_id")}
    else:
        body = {"reason": form_str(form, "reason") or "地址无法匹配"}
    await api.post(f"{D}/carrier-parcels/review/{review_id}/{action}", body)
    return redirect(request, "/delivery/addresses")
