"""What every FastAPI app of the project shares.

- `ServiceRouter`: routes whose request opens one session and commits once, before the
  response leaves, with Idempotency-Key handled around the call.
- problem+json for every error, titles by Accept-Language, never a stack trace.
- A request id, body size limits, Prometheus metrics, /healthz, /readyz and /metrics.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any
from urllib.parse import quote

import asyncpg
import orjson
import structlog
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette._utils import get_route_path
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth.dependencies import principal_from_request
from shared.db import (
    ServiceKernel,
    discard_after_commit,
    dispose_engines,
    get_engine,
    is_transient_conflict,
    run_after_commit,
    sessionmaker_for,
    sqlstate_of,
)
from shared.errors import PROBLEM_BASE as PROBLEM_BASE_URL
from shared.errors import AppError, problem_body
from shared.idempotency import StoredResponse, claim_key, request_fingerprint, store_response
from shared.logging import bind_request_id, clear_request_id, configure_logging
from shared.redis import close_redis, get_redis
from shared.settings import get_settings
from shared.tasks import kick_relay

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


# ---------------------------------------------------------------- unit of work route


def _idempotency_scope(request: Request) -> str:
    principal = getattr(request.state, "principal", None)
    who = str(principal.user_id) if principal is not None else "anonymous"
    return f"{who}:{request.method}:{request.url.path}"[:200]


class DeferredRoute(APIRoute):
    """A route that keeps its arguments and builds its dependant, fields and handler only
    when something asks for them. Routers are included in an app (`create_app`), and for
    each inclusion FastAPI builds the route again from these arguments, so the build the
    decorator makes is thrown away: it was about half of the all-in-one app's start (2.4 s
    of 4.5 s here for ~410 routes). A route used on its own is built on first use."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self.__dict__["_deferred"] = (path, endpoint, kwargs)
        # What an inclusion reads off the route, as given: it normalises them itself.
        for name, default in _ROUTE_DEFAULTS.items():
            setattr(self, name, kwargs.get(name, default))
        self.path = path
        self.endpoint = endpoint
        self.tags = list(self.tags or [])
        self.dependencies = list(self.dependencies or [])
        self.responses = dict(self.responses or {})
        self.stream_item_type = None

    def __getattr__(self, name: str) -> Any:
        deferred = self.__dict__.get("_deferred")
        if deferred is None or name.startswith("__"):
            raise AttributeError(name)
        self.__dict__["_deferred"] = None
        path, endpoint, kwargs = deferred
        APIRoute.__init__(self, path, endpoint, **kwargs)
        return getattr(self, name)


_ROUTE_DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(APIRoute.__init__).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
}


def make_route_class(kernel: ServiceKernel) -> type[APIRoute]:
    class UnitOfWorkRoute(DeferredRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def unit_of_work(request: Request) -> Response:
                async with sessionmaker_for(kernel)() as session:
                    request.state.session = session
                    key = request.headers.get("idempotency-key")
                    scope = ""
                    if key and request.method == "POST":
                        # The scope names the caller; verify the token before replaying.
                        await principal_from_request(request)
                        scope = _idempotency_scope(request)
                        body = await request.body()
                        stored = await claim_key(
                            session,
                            kernel,
                            scope,
                            key,
                            request_fingerprint(
                                request.method,
                                request.url.path,
                                request.url.query,
                                body,
                                request.headers.get("content-type", ""),
                            ),
                        )
                        if stored is not None:
                            await session.rollback()
                            headers = {**stored.headers, "Idempotent-Replayed": "true"}
                            return Response(stored.body, stored.status_code, headers=headers)
                    try:
                        response = await handler(request)
                    except AppError as exc:
                        if exc.keep_changes:
                            await session.commit()
                        else:
                            await session.rollback()
                        raise
                    except DBAPIError as exc:
                        await session.rollback()
                        problem = _as_problem(exc)
                        if problem is None:
                            raise
                        raise problem from exc
                    except BaseException:
                        await session.rollback()
                        raise
                    if response.status_code >= 400:
                        await session.rollback()
                        return response
                    if scope and key:
                        await store_response(
                            session,
                            kernel,
                            scope,
                            key,
                            StoredResponse(
                                response.status_code,
                                bytes(response.body),
                                {
                                    k: v
                                    for k, v in response.headers.items()
                                    if k.lower() in ("content-type", "location", "etag")
                                },
                            ),
                        )
                    if session.in_transaction() and (
                        request.method not in ("GET", "HEAD") or session.info.get("outbox_dirty")
                    ):
                        # Reads change nothing: closing the session ends them without a COMMIT
                        # (and a request that never touched the database opens no connection).
                        try:
                            await session.commit()
                        except DBAPIError as exc:
                            discard_after_commit(session)
                            problem = _as_problem(exc)
                            if problem is None:
                                raise
                            raise problem from exc
                        await run_after_commit(session)
                if session.info.get("outbox_dirty"):
                    kick_relay(kernel.name)
                return response

            return unit_of_work

    UnitOfWorkRoute.__name__ = f"{kernel.name.capitalize()}Route"
    UnitOfWorkRoute.kernel = kernel  # type: ignore[attr-defined]
    return UnitOfWorkRoute


# Constraint violations a service did not foresee are still the client's input against
# the data, not a crash: the database refused the change and nothing was written.
CONSTRAINT_PROBLEMS = {
    "23505": ("conflict", "A record with these values already exists"),
    "23503": ("rule-violation", "The request refers to something that does not exist"),
    "23514": ("rule-violation", "The values break a rule of the data"),
    "22001": ("rule-violation", "A value is too long"),
    "22003": ("rule-violation", "A number is out of range"),
    "22021": ("rule-violation", "A text contains a character that cannot be stored (NUL)"),
    "22P05": ("rule-violation", "A text contains a character that cannot be stored"),
    "22008": ("rule-violation", "A date or time is out of range"),
}


def _as_problem(exc: DBAPIError) -> AppError | None:
    """The problem a database refusal means for the client (None: a real server error)."""
    if is_transient_conflict(exc):
        return _lost_race()
    known = CONSTRAINT_PROBLEMS.get(sqlstate_of(exc) or "")
    if known is None and isinstance(getattr(exc.orig, "__cause__", None), asyncpg.DataError):
        # asyncpg refused to encode a parameter (e.g. a number beyond 32 bits)
        known = ("rule-violation", "A value is out of range for its field")
    if known is None:
        return None
    log.warning("request.constraint_violation", sqlstate=sqlstate_of(exc), error=str(exc.orig))
    code, detail = known
    return AppError(detail, code=code)


def _lost_race() -> AppError:
    """A deadlock or lock timeout rolled everything back: the client may simply retry (with
    the same Idempotency-Key, which was released with the rollback)."""
    return AppError(
        "Another request changed the same records at the same moment; nothing was done",
        code="concurrent-update",
        headers={"Retry-After": "1"},
    )


class ServiceRouter(APIRouter):
    """A service's routes under one path prefix. The all-in-one app holds some seventy
    routers and FastAPI asks each in turn whether it has the request's route (a regex per
    route: 136 of them for an order); a request outside the prefix is told apart here by
    the prefix alone. Service routers are included at the app's root (create_app)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self.prefix and _outside(scope, self.prefix):
            return Match.NONE, {}
        return super().matches(scope)


def _outside(scope: Scope, prefix: str) -> bool:
    path = get_route_path(scope)
    return path != prefix and not path.startswith(prefix + "/")


def service_router(kernel: ServiceKernel, **kwargs: Any) -> APIRouter:
    return ServiceRouter(route_class=make_route_class(kernel), **kwargs)


async def get_session(request: Request) -> AsyncSession:
    session = getattr(request.state, "session", None)
    if session is None:
        raise RuntimeError("SessionDep used on a route that is not a service_router route")
    return session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


# ---------------------------------------------------------------- ETag


def _json_bytes(payload: Any) -> bytes:
    if isinstance(payload, BaseModel):
        # pydantic-core writes the JSON itself (no dict of Python objects in between)
        return type(payload).__pydantic_serializer__.to_json(payload)
    return orjson.dumps(payload, default=str, option=orjson.OPT_NON_STR_KEYS)


def etag_for(payload: Any) -> str:
    return _tag_of(_json_bytes(payload))


def _tag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def body_etag(body: bytes) -> str:
    """The ETag `etag_body_response` gives these bytes (for a caller that keeps it)."""
    return _tag_of(body)


def etag_response(request: Request, payload: Any, *, max_age: int = 30) -> Response:
    """JSON with an ETag; 304 when the client already has it (If-None-Match).

    `payload` is a pydantic model (serialised by pydantic-core straight to bytes) or plain
    JSON data (orjson); the tag is a BLAKE2 hash of the very bytes sent."""
    return etag_body_response(request, _json_bytes(payload), max_age=max_age)


def etag_body_response(
    request: Request, body: bytes, *, max_age: int = 30, tag: str | None = None
) -> Response:
    """`etag_response` for a body already serialised (e.g. JSON written by PostgreSQL);
    `tag`: its `body_etag`, when the caller kept it with the body."""
    tag = tag or _tag_of(body)
    headers = {"ETag": tag, "Cache-Control": f"private, max-age={max_age}, must-revalidate"}
    inm = request.headers.get("if-none-match")
    if inm and (inm.strip() == "*" or tag in [t.strip() for t in inm.split(",")]):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


# ---------------------------------------------------------------- errors


def _problem(request: Request, code: str, **kwargs: Any) -> JSONResponse:
    body = problem_body(
        code,
        instance=request.url.path,
        accept_language=request.headers.get("accept-language"),
        **kwargs,
    )
    rid = getattr(request.state, "request_id", None)
    if rid:
        body["request_id"] = rid
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON)


def _field_name(loc: Iterable[Any]) -> str:
    return ".".join(str(p) for p in loc)


async def handle_app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    response = _problem(
        request,
        exc.code,
        detail=exc.detail,
        errors=[e.as_dict() for e in exc.errors] or None,
        extra=exc.extra or None,
    )
    response.headers.update(exc.headers)
    return response


async def handle_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return _problem(request, "malformed-json", detail="The body could not be parsed as JSON")
    field_errors = []
    for e in errors:
        field_errors.append(
            {
                "field": _field_name(e.get("loc", ())),
                "message": e.get("msg", "invalid"),
                "code": e.get("type", "invalid"),
            }
        )
    return _problem(
        request,
        "validation-error",
        detail="Some fields are missing or invalid",
        errors=field_errors,
    )


_HTTP_CODES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
}


async def handle_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(
        exc.status_code, "bad-request" if exc.status_code < 500 else "internal-error"
    )
    detail = (
        exc.detail if isinstance(exc.detail, str) and exc.detail not in ("Not Found",) else None
    )
    response = _problem(request, code, detail=detail)
    response.status_code = exc.status_code
    if exc.headers:
        response.headers.update(exc.headers)
    return response


# Not a server error: the client went away before the answer (metrics say 499, as nginx).
CLIENT_CLOSED = 499


async def handle_unexpected(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ClientDisconnect):
        log.debug("request.client_disconnected", path=request.url.path)
        return Response(status_code=CLIENT_CLOSED)
    log.exception("request.unhandled_error", path=request.url.path)
    return _problem(request, "internal-error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(Exception, handle_unexpected)


# ---------------------------------------------------------------- middleware


class RequestContextMiddleware:
    """Request id, body size limit, metrics and one access log line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        settings = get_settings()
        self.max_json = settings.max_json_body_bytes
        self.max_upload = settings.max_upload_bytes
        self.max_depth = settings.max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        rid = bind_request_id(headers.get("x-request-id") or None)
        scope.setdefault("state", {})["request_id"] = rid
        content_type = headers.get("content-type", "")
        limit = self.max_upload if content_type.startswith("multipart/") else self.max_json
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def refuse(status: int, code: str, detail: str) -> None:
            body = problem_body(
                code,
                detail=detail,
                accept_language=headers.get("accept-language"),
                instance=scope.get("path"),
            )
            body["request_id"] = rid
            payload = json.dumps(body, ensure_ascii=False).encode()
            status_holder["status"] = status
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", PROBLEM_JSON.encode()),
                        (b"content-length", str(len(payload)).encode()),
                        (b"x-request-id", rid.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": payload})

        async def too_large() -> None:
            await refuse(413, "payload-too-large", f"The body may be at most {limit} bytes")

        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await too_large()
            self._record(scope, status_holder["status"], started)
            return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge()
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = status_holder["status"] = message["status"]
                if status == CLIENT_CLOSED:
                    return  # nobody is listening (ClientDisconnect): send nothing
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        app_receive: Receive = limited_receive
        if _is_json(content_type) and scope["method"] in ("POST", "PUT", "PATCH"):
            # JSON bodies are read whole (at most MAX_JSON_BODY_BYTES) and their nesting
            # checked before any parser sees them: a body nested hundreds of levels deep
            # is refused here, never a parser's recursion error.
            try:
                body, rest = await _read_body(limited_receive)
            except _BodyTooLarge:
                await too_large()
                self._record(scope, status_holder["status"], started)
                clear_request_id()
                return
            if json_nesting_exceeds(body, self.max_depth):
                await refuse(
                    400,
                    "json-too-deep",
                    f"JSON may nest at most {self.max_depth} levels of objects and arrays",
                )
                self._record(scope, status_holder["status"], started)
                clear_request_id()
                return
            app_receive = _replay(body, rest)
        try:
            await self.app(scope, app_receive, send_with_id)
        except _BodyTooLarge:
            await too_large()
        except ClientDisconnect:
            # The client went away mid-request: nobody to answer, not a server error
            # (swallowed here, so neither the error handler nor the server logs a crash).
            status_holder["status"] = CLIENT_CLOSED
        except asyncio.CancelledError:
            status_holder["status"] = CLIENT_CLOSED
            raise
        finally:
            self._record(scope, status_holder["status"], started)
            clear_request_id()

    @staticmethod
    def _record(scope: Scope, status: int, started: float) -> None:
        route = scope.get("route")
        path = getattr(route, "path", "unmatched")
        method = scope["method"]
        elapsed = time.perf_counter() - started
        REQUESTS.labels(method, path, str(status)).inc()
        LATENCY.labels(method, path).observe(elapsed)
        # One log line per request costs more than a cached read itself: successful reads
        # are counted in the metrics and logged at DEBUG only; writes, client errors and
        # slow requests are logged at INFO, server errors with their traceback elsewhere.
        if status < 400 and method in ("GET", "HEAD") and elapsed < SLOW_REQUEST_SECONDS:
            if not _debug_enabled():
                return
            emit = log.debug
        else:
            emit = log.info
        emit(
            "http.request",
            method=method,
            path=scope.get("path"),
            status=status,
            ms=round(elapsed * 1000, 1),
        )


SLOW_REQUEST_SECONDS = 1.0


def _debug_enabled() -> bool:
    return bool(logging.getLogger().isEnabledFor(logging.DEBUG))


class _BodyTooLarge(Exception):
    pass


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # the client went away: hand the app an empty body, then the disconnect
            pending: Message | None = message

            async def after() -> Message:
                nonlocal pending
                if pending is not None:
                    out, pending = pending, None
                    return out
                return await receive()

            return b"".join(chunks), after
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), receive


def _replay(body: bytes, rest: Receive) -> Receive:
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await rest()

    return receive_again


# Structural characters of JSON; an escape pair inside a string is one token.
_JSON_TOKENS = re.compile(rb'\\.|["\[\]{}]', re.S)


def json_nesting_exceeds(body: bytes, limit: int) -> bool:
    """Whether JSON text nests objects/arrays deeper than `limit` (strings are skipped).

    A linear scan in C (a regex over the structural characters), no parsing: cheap enough
    for every JSON body, and safe for any input (malformed JSON is left to the parser)."""
    depth = 0
    in_string = False
    for match in _JSON_TOKENS.finditer(body):
        token = match.group()
        if token == b'"':
            in_string = not in_string
        elif in_string or len(token) == 2:
            continue
        elif token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


# ---------------------------------------------------------------- health


async def check_database(urls: Iterable[str]) -> bool:
    try:
        for url in set(urls):
            async with asyncio.timeout(3):
                async with get_engine(url).connect() as conn:
                    await conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        log.warning("readiness.database_down", error=str(exc)[:200])
        return False


async def check_broker() -> bool:
    try:
        async with asyncio.timeout(3):
            return bool(await get_redis().ping())
    except Exception as exc:
        log.warning("readiness.broker_down", error=str(exc)[:200])
        return False


def health_router(service_names: Iterable[str]) -> APIRouter:
    names = list(service_names)
    router = APIRouter(tags=["health"])

    def urls() -> list[str]:
        settings = get_settings()
        return [settings.database_url_for(n) for n in names]

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "services": names}

    @router.get(
        "/readyz",
        summary="Readiness: the database and the broker answer",
        responses={503: {"description": "A dependency is down"}},
    )
    async def readyz(request: Request) -> Response:
        database, broker = await asyncio.gather(check_database(urls()), check_broker())
        checks = {"database": database, "broker": broker}
        if all(checks.values()):
            return JSONResponse({"status": "ready", "checks": checks})
        return _problem(
            request, "not-ready", detail="A dependency is down", extra={"checks": checks}
        )

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


# ---------------------------------------------------------------- OpenAPI

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details (application/problem+json)",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "examples": [PROBLEM_BASE_URL + "validation-error"]},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "code"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}
PROBLEM_STATUSES = {
    "400": "Bad request (malformed or too deeply nested JSON, a bad cursor)",
    "401": "No valid access token",
    "403": "The caller's role or organisation status does not allow this",
    "404": "No such object (or not visible to the caller)",
    "409": "Conflict with the current state",
    "422": "Invalid fields or a broken business rule",
    "429": "Too many requests",
}


def file_response(*media_types: str, description: str = "The file") -> dict[int | str, Any]:
    """`responses=` of a route that answers a file (PDF, XLSX, PNG, CSV): binary content
    of these media types, declared in the spec."""
    return {
        200: {
            "description": description,
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in media_types
            },
        }
    }


def download(
    content: bytes | str,
    media_type: str,
    filename: str,
    *,
    inline: bool = False,
    cache: str = "private, no-store",
) -> Response:
    """A file answer (XLSX, PDF, CSV, an uploaded document): the browser saves it under
    `filename` (or shows it, `inline`). Chinese names travel as RFC 6266 `filename*` with an
    ASCII fallback, since not every client reads the UTF-8 form; `nosniff` because uploaded
    files are served back as the type they were stored with."""
    disposition = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    header = f'{disposition}; filename="{ascii_name}"'
    if not filename.isascii():
        header += f"; filename*=UTF-8''{quote(filename)}"
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": header,
            "Cache-Control": cache,
            "X-Content-Type-Options": "nosniff",
        },
    )


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Every operation declares its problem+json answers with one `Problem` schema (instead
    of FastAPI's HTTPValidationError, which the server never sends)."""
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    for path_item in spec.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete") or not isinstance(
                operation, dict
            ):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in PROBLEM_STATUSES.items():
                declared = responses.get(status) or {}
                responses[status] = {
                    "description": declared.get("description") or description,
                    "content": _problem_content(),
                }
    return spec


def kernels_of(routers: Iterable[APIRouter]) -> list[ServiceKernel]:
    """The services whose unit-of-work routes these routers carry, in order."""
    found: dict[str, ServiceKernel] = {}
    for router in routers:
        for route in router.routes:
            kernel = getattr(type(route), "kernel", None)
            if isinstance(kernel, ServiceKernel):
                found.setdefault(kernel.name, kernel)
    return list(found.values())


class _PrefixGate(APIRouter):
    """The routers of one `/v1/<service>` prefix: a path outside it is no match at once.
    FastAPI tries a path against every route of every included router in turn, so without
    the gate a request for a later service pays a regex per route of the services before."""

    def __init__(self, path_prefix: str) -> None:
        super().__init__()
        self.path_prefix = path_prefix

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if _outside(scope, self.path_prefix):
            return Match.NONE, {}
        return super().matches(scope)


def _behind_prefix_gates(routers: list[APIRouter]) -> list[APIRouter]:
    """Consecutive routers under the same `/v1/<service>` in one gate, order kept."""
    grouped: list[APIRouter] = []
    for router in routers:
        parts = router.prefix.split("/")
        if len(parts) < 3 or parts[0] or not parts[2]:  # not /v1/<service>[...]
            grouped.append(router)
            continue
        prefix = "/".join(parts[:3])
        gate = grouped[-1] if grouped else None
        if not (isinstance(gate, _PrefixGate) and gate.path_prefix == prefix):
            gate = _PrefixGate(prefix)
            grouped.append(gate)
        _add_routes_of(gate, router)
    return grouped


def _add_routes_of(gate: _PrefixGate, router: APIRouter) -> None:
    """The router's routes straight into the gate. Its decorators already gave each route
    the router's prefix, tags and dependencies, so including it would only wrap it once more:
    FastAPI then builds every route's dependant and fields again for that inclusion, and
    once more for the app's (about 1.2 s of the all-in-one app's start for ~330 routes)."""
    if router.on_startup or router.on_shutdown:
        gate.include_router(router)  # what only an inclusion merges (no router has a lifespan)
        return
    gate.routes.extend(router.routes)
    gate._mark_routes_changed()


def lazy_app(scope: dict[str, Any], name: str, build: Callable[[], FastAPI]) -> FastAPI:
    """A service module's `__getattr__` for its own `app`, built on first use (uvicorn
    `services.<name>.app:app`): the all-in-one gateway imports only the module's `routers`,
    and building eight apps it throws away cost its start about a second."""
    if name != "app":
        raise AttributeError(f"module {scope['__name__']!r} has no attribute {name!r}")
    application = scope["app"] = build()
    return application


def create_app(
    title: str,
    routers: Iterable[APIRouter],
    service_names: Iterable[str],
    *,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]] | None = None,
    **kw: Any,
) -> FastAPI:
    """A service's app (or the all-in-one gateway): logging configured, problem+json errors,
    request context, health, the routers, each service's operator routes
    (`shared/operations.py`), and engines and Redis closed at shutdown."""
    from shared.operations import operations_router

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    routers = list(routers)

    @asynccontextmanager
    async def lifecycle(application: FastAPI) -> AsyncIterator[None]:
        try:
            if lifespan is not None:
                async with lifespan(application):
                    yield
            else:
                yield
        finally:
            await dispose_engines()
            await close_redis()

    app = FastAPI(
        title=title,
        version="1.0.0",
        openapi_url="/openapi.json",
        generate_unique_id_function=lambda route: (
            f"{route.tags[0]}-{route.name}" if route.tags else route.name
        ),
        lifespan=lifecycle,
        **kw,
    )
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    app.include_router(health_router(service_names))
    for router in _behind_prefix_gates(routers):
        app.include_router(router)
    for kernel in kernels_of(routers):
        app.include_router(operations_router(kernel))

    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_spec(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
