"""Products: the review queue with images and certificates, decisions, brand licences."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.console.api import ApiError
from services.console.web import OperatorApiDep, form_str, redirect, render

router = APIRouter()

M = "/v1/catalog/manage"


@router.get("/products", response_class=HTMLResponse)
async def review_queue(
    request: Request,
    api: OperatorApiDep,
    cursor: str | None = None,
    status: str = "submitted",
    category: str | None = None,
) -> HTMLResponse:
    page = await api.get(
        f"{M}/products",
        region_id=api.session.region_id,
        status=status or None,
        category=category,
        cursor=cursor,
        limit=20,
    )
    return await render(
        request, "products.html", {"page": page, "status": status, "category": category or ""}
    )


@router.get("/products/{product_id}", response_class=HTMLResponse)
async def product(
    request: Request, api: OperatorApiDep, product_id: str, error: str | None = None
) -> HTMLResponse:
    item = await api.get(f"{M}/products/{product_id}")
    certificates = await api.all_items(f"{M}/products/{product_id}/certificates")
    return await render(
        request,
        "product_detail.html",
        {"p": item, "certificates": certificates, "error": error},
    )


@router.post("/products/{product_id}/{action}")
async def decide(request: Request, api: OperatorApiDep, product_id: str, action: str) -> Response:
    if action not in ("approve", "reject", "request_changes"):
        return Response(status_code=404)
    form = await request.form()
    reason = form_str(form, "reason")
    body = {"reasons": [reason]} if reason else None
    try:
        await api.call("POST", f"{M}/products/{product_id}/review/{action}", json=body)
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        return await product(request, api, product_id, error=f"{exc.title} {exc.detail}")
    return redirect(request, "/products")


@router.get("/licences", response_class=HTMLResponse)
async def licences(
    request: Request, api: OperatorApiDep, cursor: str | None = None
) -> HTMLResponse:
    """The county's licences a page at a time (the operator's scope needs no brand filter)."""
    brands = await api.all_items("/v1/catalog/brands", region_id=api.session.region_id)
    names = {b["id"]: b["name"] for b in brands}
    page = await api.get("/v1/catalog/licences", cursor=cursor, limit=20)
    rows = [{**lic, "brand_name": names.get(lic["brand_id"])} for lic in page["items"]]
    return await render(
        request, "licences.html", {"brands": brands, "licences": rows, "page": page}
    )
