"""What every console page shares: the session, the API on its behalf, CSRF, rendering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from services.console import sessions
from services.console.api import Api
from services.console.i18n import accept_language, lang_of, translator
from services.console.sessions import Session

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


class CsrfRefused(Exception):
    """A POST without the session's CSRF token (a forged or stale form)."""


class OperatorOnly(Exception):
    """The console's navigation: this page is for the county operator (the API decides too)."""


def root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def fen(value: Any) -> str:
    if value is None:
        return "—"
    return f"¥{int(value) / 100:,.2f}"


def when(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).strftime(fmt)


def duration(seconds: Any, lang: str = "zh") -> str:
    s = int(seconds or 0)
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    t = translator(lang)
    parts = []
    if days:
        parts.append(f"{days} {t('天')}")
    if hours or days:
        parts.append(f"{hours} {t('小时')}")
    parts.append(f"{minutes} {t('分钟')}")
    return " ".join(parts)


templates.env.filters["fen"] = fen
templates.env.filters["when"] = when


async def current_session(request: Request) -> Session:
    return await sessions.load(request)


SessionDep = Annotated[Session, Depends(current_session)]


async def csrf_protect(request: Request) -> None:
    """Every POST carries the session's token: a form field or the X-CSRF-Token header."""
    if request.method != "POST":
        return
    session = await sessions.load(request)
    token = request.headers.get("x-csrf-token")
    if not token:
        form = await request.form()
        value = form.get("csrf_token")
        token = value if isinstance(value, str) else None
    if session.new or not session.csrf_ok(token):
        raise CsrfRefused()


def api_for(request: Request, session: Session) -> Api:
    return Api(session, accept_language(lang_of(request)))


async def signed_in(request: Request) -> Api:
    from services.console.api import SignInRequired

    session = await sessions.load(request)
    if not session.signed_in:
        raise SignInRequired()
    return api_for(request, session)


ApiDep = Annotated[Api, Depends(signed_in)]


async def operator_api(request: Request) -> Api:
    api = await signed_in(request)
    if not api.session.is_operator:
        raise OperatorOnly()
    return api


OperatorApiDep = Annotated[Api, Depends(operator_api)]


async def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    session = await sessions.load(request)
    lang = lang_of(request)
    livestream = insights = False
    if session.signed_in and session.is_operator:
        from services.console.pages.livestream import available

        livestream = await available("livestream")
        insights = await available("insights")
    ctx = {
        "livestream": livestream,
        "insights": insights,
        "soon": (datetime.now(UTC).astimezone(LOCAL_TZ).date() + timedelta(days=30)).isoformat(),
        "session": session,
        "root": root(request),
        "lang": lang,
        "_": translator(lang),
        "duration": lambda s: duration(s, lang),
        "path": request.url.path,
        "htmx": request.headers.get("hx-request") == "true",
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    await persist(session, response)
    return response


async def persist(session: Session | None, response: Response) -> None:
    if session is None:
        return
    if session.new:
        await sessions.save(session)
        sessions.set_cookie(response, session)
        session.new = False


def redirect(request: Request, path: str, status_code: int = 303) -> RedirectResponse:
    return RedirectResponse(root(request) + path, status_code=status_code)


def form_str(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_int(form: Any, name: str, default: int = 0) -> int:
    text = form_str(form, name)
    try:
        return int(text) if text else default
    except ValueError:
        return default
