"""Sign in and out, the language switch, and file downloads through the API."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console import api as api_module
from services.console import sessions
from services.console.i18n import accept_language, lang_of
from services.console.web import ApiDep, SessionDep, form_str, persist, redirect, render

router = APIRouter()

# The files the console may hand out: the API's own downloads (it authorises each).
DOWNLOADS = re.compile(
    r"^/v1/(catalog/images/[\w-]+|catalog/manage/certificates/[\w-]+/file"
    r"|suppliers/[\w-]+/documents/[\w-]+/file|suppliers/register\.xlsx"
    r"|repository/windows/[\w-]+/[\d-]+/board\.xlsx"
    r"|delivery/runs/[\w-]+/(manifest|labels)\.pdf|delivery/figures\.xlsx"
    r"|payments/supplier-statements/bank-batch\.csv|payments/supplier-statements/[\w-]+\.xlsx"
    r"|payments/bank-refund-batches/[\w-]+\.csv|insights/regions/[\w-]+/report\.(xlsx|pdf))$"
)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, session: SessionDep) -> Response:
    if session.signed_in:
        return redirect(request, "/today")
    return await render(request, "login.html", {"error": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, session: SessionDep) -> Response:
    form = await request.form()
    lang = accept_language(lang_of(request))
    r = await api_module.anonymous(
        "POST",
        "/v1/identity/auth/login",
        lang,
        json={"login": form_str(form, "login"), "password": form_str(form, "password")},
    )
    if r.status_code != 200:
        title = r.json().get("title") if r.headers.get("content-type", "").endswith("json") else ""
        return await render(request, "login.html", {"error": title or "登录失败"}, 401)
    pair = r.json()
    me = await api_module.anonymous(
        "GET", "/v1/identity/me", lang, headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    fresh = await sessions.rotate(request, session)
    fresh.access_token = pair["access_token"]
    fresh.refresh_token = pair["refresh_token"]
    fresh.user = me.json() if me.status_code == 200 else {}
    target = "/today" if fresh.is_operator else "/supplier/purchase-orders"
    if not fresh.is_operator and fresh.supplier_membership() is None:
        target = "/today"
    response = redirect(request, target)
    await persist(fresh, response)
    return response


@router.post("/logout")
async def logout(request: Request, api: ApiDep) -> Response:
    try:
        await api.call("POST", "/v1/identity/auth/logout", json={})
    except Exception:  # signing out of the console never fails because the API did
        pass
    await sessions.destroy(request, api.session)
    response = redirect(request, "/login")
    sessions.clear_cookie(response)
    return response


@router.get("/lang/{lang}")
async def switch_language(request: Request, lang: str, next: str = "/today") -> Response:
    target = next if next.startswith("/") and not next.startswith("//") else "/today"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        sessions.LANG_COOKIE, "en" if lang == "en" else "zh", max_age=365 * 86400, samesite="lax"
    )
    return response


@router.get("/download")
async def download(request: Request, api: ApiDep, path: str) -> Response:
    """A file the API serves (PDF, XLSX, CSV, image), fetched with the user's token."""
    if not DOWNLOADS.match(path.split("?", 1)[0]):
        return Response(status_code=404)
    r = await api.request("GET", path)
    headers = {
        k: v
        for k, v in r.headers.items()
        if k.lower() in ("content-type", "content-disposition", "cache-control")
    }
    return Response(r.content, status_code=r.status_code, headers=headers)
