"""Payments: buyer and supplier statements, refunds, bank files, reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.console.api import ApiError
from services.console.web import OperatorApiDep, render

router = APIRouter(prefix="/payments")
P = "/v1/payments"


def this_month() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")


@router.get("/statements", response_class=HTMLResponse)
async def supplier_statements(
    request: Request, api: OperatorApiDep, month: str | None = None, cursor: str | None = None
) -> HTMLResponse:
    page = await api.get(
        f"{P}/supplier-statements",
        region_id=api.session.region_id,
        month=month,
        cursor=cursor,
        limit=25,
    )
    return await render(
        request,
        "supplier_statements.html",
        {"page": page, "mine": False, "month": month or this_month()},
    )


@router.get("/buyers", response_class=HTMLResponse)
async def buyers(request: Request, api: OperatorApiDep, cursor: str | None = None) -> HTMLResponse:
    page = await api.get(
        "/v1/repository/buyers", region_id=api.session.region_id, cursor=cursor, limit=25
    )
    return await render(request, "buyers.html", {"page": page})


@router.get("/buyers/{buyer_org_id}", response_class=HTMLResponse)
async def buyer_statement(
    request: Request, api: OperatorApiDep, buyer_org_id: str, month: str | None = None
) -> HTMLResponse:
    statement = await api.get(f"{P}/buyers/{buyer_org_id}/statement", month=month or this_month())
    return await render(request, "buyer_statement.html", {"st": statement})


@router.get("/refunds", response_class=HTMLResponse)
async def refunds(
    request: Request,
    api: OperatorApiDep,
    kind: str | None = None,
    order_id: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    page = await api.get(
        f"{P}/refunds",
        region_id=api.session.region_id,
        kind=kind,
        order_id=order_id,
        cursor=cursor,
        limit=25,
    )
    return await render(request, "refunds.html", {"page": page, "kind": kind or ""})


@router.get("/bank-files", response_class=HTMLResponse)
async def bank_files(
    request: Request, api: OperatorApiDep, cursor: str | None = None
) -> HTMLResponse:
    batches = await api.get(
        f"{P}/bank-refund-batches", region_id=api.session.region_id, cursor=cursor, limit=25
    )
    return await render(
        request,
        "bank_files.html",
        {"page": batches, "month": this_month(), "region": api.session.region_id},
    )


@router.post("/reconciliation", response_class=HTMLResponse)
async def reconcile(request: Request, api: OperatorApiDep) -> HTMLResponse:
    result = None
    error = None
    try:
        result = await api.post(f"{P}/ledger/reconciliations", {})
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        error = f"{exc.title} {exc.detail}"
    return await render(request, "reconciliation.html", {"result": result, "error": error})


@router.get("/reconciliation", response_class=HTMLResponse)
async def reconciliation(request: Request, api: OperatorApiDep) -> HTMLResponse:
    return await render(request, "reconciliation.html", {"result": None, "error": None})
