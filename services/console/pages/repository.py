"""Repository: the cut-off board, consolidation with progress, purchase orders, receipts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console.api import ApiError
from services.console.pages.today import next_cutoff, region_rules
from services.console.web import OperatorApiDep, form_int, form_str, redirect, render

router = APIRouter()
R = "/v1/repository"


def _day(text: str | None) -> str | None:
    try:
        return date.fromisoformat(text).isoformat() if text else None
    except ValueError:
        return None


@router.get("/repository/board", response_class=HTMLResponse)
async def board(request: Request, api: OperatorApiDep, day: str | None = None) -> HTMLResponse:
    region = api.session.region_id
    rules = await region_rules(api, region or "")
    window, closes = next_cutoff(rules)
    chosen = _day(day) or window.isoformat()
    data = await api.get(f"{R}/windows/{region}/{chosen}/board")
    return await render(
        request,
        "board.html",
        {"board": data, "day": chosen, "open_window": window.isoformat(), "rules": rules},
    )


@router.post("/repository/board/{day}/consolidate", response_class=HTMLResponse)
async def consolidate(request: Request, api: OperatorApiDep, day: str) -> HTMLResponse:
    chosen = _day(day) or ""
    region = api.session.region_id
    error = None
    run = None
    try:
        run = await api.post(f"{R}/windows/{region}/{chosen}/consolidate")
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        error = f"{exc.title} {exc.detail}"
        # e.g. the scheduled job is at work on the window right now: show its run
        # (the partial polls it while it is running)
        try:
            run = await api.get(f"{R}/windows/{region}/{chosen}/consolidation")
        except ApiError:
            run = None
    return await render(
        request, "partials/consolidation.html", {"run": run, "day": chosen, "error": error}
    )


@router.get("/repository/board/{day}/consolidation", response_class=HTMLResponse)
async def consolidation(request: Request, api: OperatorApiDep, day: str) -> HTMLResponse:
    chosen = _day(day) or ""
    run = None
    try:
        run = await api.get(f"{R}/windows/{api.session.region_id}/{chosen}/consolidation")
    except ApiError as exc:
        if exc.status != 404:
            raise
    return await render(
        request, "partials/consolidation.html", {"run": run, "day": chosen, "error": None}
    )


@router.get("/repository/purchase-orders", response_class=HTMLResponse)
async def purchase_orders(
    request: Request,
    api: OperatorApiDep,
    cursor: str | None = None,
    status: str | None = None,
    day: str | None = None,
) -> HTMLResponse:
    page = await api.get(
        f"{R}/purchase-orders",
        region_id=api.session.region_id,
        status=status,
        window_date=_day(day),
        cursor=cursor,
        limit=25,
    )
    return await render(
        request,
        "purchase_orders.html",
        {"page": page, "status": status or "", "day": day or "", "mine": False},
    )


@router.get("/repository/purchase-orders/{po_id}", response_class=HTMLResponse)
async def purchase_order(
    request: Request, api: OperatorApiDep, po_id: str, error: str | None = None
) -> HTMLResponse:
    po = await api.get(f"{R}/purchase-orders/{po_id}")
    receipt = None
    if po["status"] == "received":
        try:
            receipt = await api.get(f"/v1/payments/purchase-orders/{po_id}/receipt")
        except ApiError:
            receipt = None
    return await render(
        request, "purchase_order.html", {"po": po, "error": error, "receipt": receipt}
    )


@router.post("/repository/purchase-orders/{po_id}/receipt")
async def record_receipt(request: Request, api: OperatorApiDep, po_id: str) -> Response:
    po = await api.get(f"{R}/purchase-orders/{po_id}")
    form = await request.form()
    lines = []
    for line in po["lines"]:
        v = line["variant_id"]
        body = {
            "variant_id": v,
            "accepted_cases": form_int(form, f"accepted_{v}"),
            "rejected_cases": form_int(form, f"rejected_{v}"),
        }
        reason = form_str(form, f"reason_{v}")
        if reason:
            body["reason"] = reason
        lines.append(body)
    try:
        await api.post(f"{R}/purchase-orders/{po_id}/receipt", {"lines": lines})
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        return await purchase_order(request, api, po_id, error=f"{exc.title} {exc.detail}")
    return redirect(request, f"/repository/purchase-orders/{po_id}")


@router.get("/repository/orders/{order_id}", response_class=HTMLResponse)
async def order(request: Request, api: OperatorApiDep, order_id: str) -> HTMLResponse:
    item = await api.get(f"{R}/orders/{order_id}")
    money = None
    refunds: list = []
    try:
        money = await api.get(f"/v1/payments/orders/{order_id}")
        refunds = (await api.get("/v1/payments/refunds", order_id=order_id))["items"]
    except ApiError:
        pass
    return await render(request, "order.html", {"order": item, "money": money, "refunds": refunds})
