"""The supplier's own pages: purchase orders to confirm, receipts, statements, products,
offers and documents. The supplier id is the organisation the user acts for."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console.api import Api, ApiError
from services.console.web import ApiDep, OperatorOnly, form_int, redirect, render

router = APIRouter(prefix="/supplier")
R = "/v1/repository"


def supplier_id(api: Api) -> str:
    membership = api.session.supplier_membership()
    if membership is None:
        raise OperatorOnly()  # the same friendly "not allowed" page
    return str(membership["organisation_id"])


@router.get("/purchase-orders", response_class=HTMLResponse)
async def purchase_orders(
    request: Request, api: ApiDep, cursor: str | None = None, status: str | None = None
) -> HTMLResponse:
    page = await api.get(
        f"{R}/purchase-orders", supplier_id=supplier_id(api), status=status, cursor=cursor, limit=25
    )
    return await render(
        request,
        "purchase_orders.html",
        {"page": page, "status": status or "", "day": "", "mine": True},
    )


@router.get("/purchase-orders/{po_id}", response_class=HTMLResponse)
async def purchase_order(
    request: Request, api: ApiDep, po_id: str, error: str | None = None
) -> HTMLResponse:
    supplier_id(api)
    po = await api.get(f"{R}/purchase-orders/{po_id}")
    return await render(request, "supplier_po.html", {"po": po, "error": error})


@router.post("/purchase-orders/{po_id}/confirm")
async def confirm(request: Request, api: ApiDep, po_id: str) -> Response:
    supplier_id(api)
    po = await api.get(f"{R}/purchase-orders/{po_id}")
    form = await request.form()
    lines = []
    if form.get("mode") == "partly":
        for line in po["lines"]:
            v = line["variant_id"]
            cases = form_int(form, f"confirmed_{v}", line["ordered_cases"])
            if cases != line["ordered_cases"]:
                lines.append({"variant_id": v, "confirmed_cases": cases})
    try:
        await api.post(f"{R}/purchase-orders/{po_id}/confirm", {"lines": lines})
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        return await purchase_order(request, api, po_id, error=f"{exc.title} {exc.detail}")
    return redirect(request, f"/supplier/purchase-orders/{po_id}")


@router.post("/purchase-orders/{po_id}/ship")
async def ship(request: Request, api: ApiDep, po_id: str) -> Response:
    supplier_id(api)
    try:
        await api.post(f"{R}/purchase-orders/{po_id}/ship")
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        return await purchase_order(request, api, po_id, error=f"{exc.title} {exc.detail}")
    return redirect(request, f"/supplier/purchase-orders/{po_id}")


@router.get("/receipts", response_class=HTMLResponse)
async def receipts(request: Request, api: ApiDep, cursor: str | None = None) -> HTMLResponse:
    page = await api.get(
        "/v1/payments/goods-receipts", supplier_id=supplier_id(api), cursor=cursor, limit=25
    )
    return await render(request, "receipts.html", {"page": page})


@router.get("/statements", response_class=HTMLResponse)
async def statements(request: Request, api: ApiDep, cursor: str | None = None) -> HTMLResponse:
    page = await api.get(
        "/v1/payments/supplier-statements", supplier_id=supplier_id(api), cursor=cursor, limit=25
    )
    return await render(request, "supplier_statements.html", {"page": page, "mine": True})


@router.get("/products", response_class=HTMLResponse)
async def products(
    request: Request, api: ApiDep, cursor: str | None = None, status: str | None = None
) -> HTMLResponse:
    page = await api.get(
        "/v1/catalog/manage/products",
        supplier_id=supplier_id(api),
        status=status,
        cursor=cursor,
        limit=25,
    )
    return await render(request, "my_products.html", {"page": page, "status": status or ""})


@router.get("/offers", response_class=HTMLResponse)
async def offers(request: Request, api: ApiDep, cursor: str | None = None) -> HTMLResponse:
    page = await api.get(f"{R}/offers", supplier_id=supplier_id(api), cursor=cursor, limit=25)
    return await render(request, "offers.html", {"page": page})


@router.get("/documents", response_class=HTMLResponse)
async def documents(request: Request, api: ApiDep) -> HTMLResponse:
    sid = supplier_id(api)
    items: list = []
    application = None
    try:
        application = await api.get(f"/v1/suppliers/{sid}")
        items = (await api.get(f"/v1/suppliers/{sid}/documents"))["items"]
    except ApiError as exc:
        if exc.status != 404:
            raise
    notices: list = []
    try:
        notices = (await api.get(f"/v1/suppliers/{sid}/notifications", limit=20))["items"]
    except ApiError:
        pass
    return await render(
        request,
        "my_documents.html",
        {"documents": items, "application": application, "supplier_id": sid, "notices": notices},
    )
