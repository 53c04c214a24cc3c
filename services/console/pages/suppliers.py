"""Supplier applications: the queue, one application with its documents, the decisions."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console.api import ApiError
from services.console.web import OperatorApiDep, form_str, redirect, render

router = APIRouter()

ACTIONS = {"approve", "reject", "request-changes", "suspend", "reinstate", "start-review"}


@router.get("/suppliers", response_class=HTMLResponse)
async def queue(
    request: Request,
    api: OperatorApiDep,
    cursor: str | None = None,
    status: str | None = None,
    township: str | None = None,
) -> HTMLResponse:
    region = api.session.region_id
    params = {"region_id": region, "cursor": cursor, "limit": 25, "township": township}
    if status:
        params["status"] = status
    page = await api.get("/v1/suppliers/review-queue", **params)
    return await render(
        request,
        "suppliers.html",
        {"page": page, "status": status or "", "township": township or ""},
    )


@router.get("/suppliers/all", response_class=HTMLResponse)
async def all_suppliers(
    request: Request, api: OperatorApiDep, cursor: str | None = None, status: str | None = None
) -> HTMLResponse:
    page = await api.get("/v1/suppliers", status=status, cursor=cursor, limit=25)
    return await render(request, "suppliers_all.html", {"page": page, "status": status or ""})


@router.get("/suppliers/expiring", response_class=HTMLResponse)
async def expiring(request: Request, api: OperatorApiDep, days: int = 30) -> HTMLResponse:
    """Documents of approved and suspended suppliers that lapse within `days` (the first
    100 suppliers; the API has no region-wide document list, so this reads each one)."""
    horizon = (date.today() + timedelta(days=max(1, min(days, 365)))).isoformat()
    rows = []
    for status in ("approved", "suspended"):
        page = await api.get("/v1/suppliers", status=status, limit=50)
        for supplier in page["items"]:
            documents = await api.get(f"/v1/suppliers/{supplier['id']}/documents")
            for d in documents.get("items", []):
                if d.get("valid_until") and d["valid_until"] <= horizon:
                    rows.append({**d, "supplier": supplier})
    rows.sort(key=lambda d: d["valid_until"])
    return await render(request, "expiring.html", {"rows": rows, "days": days})


@router.get("/suppliers/{supplier_id}", response_class=HTMLResponse)
async def application(request: Request, api: OperatorApiDep, supplier_id: str) -> HTMLResponse:
    supplier = await api.get(f"/v1/suppliers/{supplier_id}")
    documents = await api.get(f"/v1/suppliers/{supplier_id}/documents")
    history = []
    try:
        history = await api.get(f"/v1/suppliers/{supplier_id}/history")
    except ApiError:
        pass
    return await render(
        request,
        "supplier_detail.html",
        {
            "s": supplier,
            "documents": documents.get("items", []),
            "history": history if isinstance(history, list) else history.get("items", []),
            "error": request.query_params.get("error"),
        },
    )


@router.post("/suppliers/{supplier_id}/{action}")
async def decide(request: Request, api: OperatorApiDep, supplier_id: str, action: str) -> Response:
    if action not in ACTIONS:
        return Response(status_code=404)
    form = await request.form()
    reason = form_str(form, "reason")
    body = {"reason": reason} if reason else {}
    try:
        if action in ("approve", "reject", "request-changes"):
            current = await api.get(f"/v1/suppliers/{supplier_id}")
            if current["status"] == "submitted":
                await api.post(f"/v1/suppliers/{supplier_id}/start-review")
        await api.post(f"/v1/suppliers/{supplier_id}/{action}", body)
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        return await application_with_error(request, api, supplier_id, exc)
    return redirect(request, f"/suppliers/{supplier_id}")


async def application_with_error(
    request: Request, api: OperatorApiDep, supplier_id: str, exc: ApiError
) -> HTMLResponse:
    supplier = await api.get(f"/v1/suppliers/{supplier_id}")
    documents = await api.get(f"/v1/suppliers/{supplier_id}/documents")
    return await render(
        request,
        "supplier_detail.html",
        {
            "s": supplier,
            "documents": documents.get("items", []),
            "history": [],
            "error": f"{exc.title} {exc.detail}",
        },
        status_code=exc.status,
    )
