"""The operator and supplier web console: server-rendered pages over the public API.

No database, no service imports: every page is a call to the API with the signed-in
user's own token, so every permission rule is the API's. Run on its own with
`uvicorn services.console.app:app` (CONSOLE_API_BASE_URL says where the API is) or mounted
in the all-in-one app at /console (gateway/app.py, in-process transport).
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.console.api import ApiError, SignInRequired
from services.console.pages import (
    auth,
    delivery,
    livestream,
    payments,
    products,
    repository,
    supplier,
    suppliers,
    today,
)
from services.console.web import HERE, CsrfRefused, OperatorOnly, csrf_protect, redirect, render

ROUTERS = [
    auth.router,
    today.router,
    suppliers.router,
    products.router,
    repository.router,
    delivery.router,
    livestream.router,
    livestream.figures,
    payments.router,
    supplier.router,
]


def _wants_partial(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def create_console() -> FastAPI:
    application = FastAPI(title="County console", docs_url=None, redoc_url=None, openapi_url=None)
    application.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in ROUTERS:
        application.include_router(router, dependencies=[Depends(csrf_protect)])

    @application.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @application.exception_handler(SignInRequired)
    async def sign_in(request: Request, _: SignInRequired) -> Response:
        if _wants_partial(request):
            response = Response(status_code=204)
            response.headers["HX-Redirect"] = str(request.scope.get("root_path", "")) + "/login"
            return response
        return redirect(request, "/login", status_code=303)

    @application.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _: CsrfRefused) -> HTMLResponse:
        return await render(
            request,
            "error.html",
            {"code": 403, "message": "请求已被拒绝：表单已过期或被伪造。"},
            403,
        )

    @application.exception_handler(OperatorOnly)
    async def operator_only(request: Request, _: OperatorOnly) -> HTMLResponse:
        return await render(
            request, "error.html", {"code": 403, "message": "您无权访问此页面。"}, 403
        )

    @application.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> HTMLResponse:
        status = exc.status if exc.status in (403, 404, 409, 422) else 502
        message = {403: "您无权访问此页面。", 404: "找不到"}.get(exc.status, exc.title)
        return await render(
            request,
            "error.html",
            {"code": exc.status, "message": message, "problem": exc.title, "detail": exc.detail},
            status,
        )

    @application.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return await render(request, "error.html", {"code": 404, "message": "找不到"}, 404)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    @application.get("/", include_in_schema=False)
    async def home(request: Request) -> RedirectResponse:
        return redirect(request, "/today", status_code=307)

    return application


app = create_console()
