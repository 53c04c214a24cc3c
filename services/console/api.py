"""The public HTTP API, called with the signed-in user's own token (as a mobile app does).

In the all-in-one process the gateway hands the console an in-process transport
(`use_transport`); on its own the console calls CONSOLE_API_BASE_URL. A 401 refreshes the
tokens once (under a per-session lock: a refresh token is single use) and retries; when
the refresh fails too the user signs in again.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any

import httpx
import structlog

from services.console import sessions
from services.console.sessions import Session
from services.console.settings import get_console_settings
from shared.redis import get_redis

log = structlog.get_logger(__name__)

_transport: httpx.AsyncBaseTransport | None = None
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def use_transport(transport: httpx.AsyncBaseTransport | None) -> None:
    """Call the API through `transport` (e.g. httpx.ASGITransport to the gateway app)."""
    global _transport
    _transport = transport
    _clients.clear()


def _client() -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        base = "http://api.internal" if _transport is not None else None
        client = httpx.AsyncClient(
            transport=_transport,
            base_url=base or get_console_settings().api_base_url,
            timeout=httpx.Timeout(60.0, connect=5.0),
        )
        _clients[loop] = client
    return client


class ApiError(Exception):
    """The API said no: its status and problem+json body."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{status} {problem.get('title')}")
        self.status = status
        self.problem = problem

    @property
    def title(self) -> str:
        return str(self.problem.get("title") or self.problem.get("detail") or self.status)

    @property
    def detail(self) -> str:
        parts = [str(self.problem.get("detail") or "")]
        for e in self.problem.get("errors") or []:
            parts.append(f"{e.get('field')}: {e.get('message')}")
        return "; ".join(p for p in parts if p)


class SignInRequired(Exception):
    """No valid tokens (never signed in, or the refresh failed): go to the sign-in page."""


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
        return body if isinstance(body, dict) else {"title": str(body)}
    except (json.JSONDecodeError, ValueError):
        return {"title": response.reason_phrase or str(response.status_code)}


async def anonymous(method: str, path: str, lang: str, **kw: Any) -> httpx.Response:
    headers = {"Accept-Language": lang, **kw.pop("headers", {})}
    return await _client().request(method, path, headers=headers, **kw)


class Api:
    """Calls on behalf of one session."""

    def __init__(self, session: Session, lang: str = "zh-CN") -> None:
        self.session = session
        self.lang = lang

    async def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        if not self.session.signed_in:
            raise SignInRequired()
        for attempt in (1, 2):
            token = self.session.access_token
            headers = {
                "Authorization": f"Bearer {token}",
                "Accept-Language": self.lang,
                **kw.get("headers", {}),
            }
            response = await _client().request(method, path, **{**kw, "headers": headers})
            if response.status_code != 401 or attempt == 2:
                break
            await self._refresh(token)
        if response.status_code == 401:
            raise SignInRequired()
        return response

    async def _refresh(self, used_token: str | None) -> None:
        """New tokens for the session, once even when several requests see the 401."""
        redis = get_redis()
        async with redis.lock(
            f"console:refresh:{self.session.id}", timeout=15, blocking_timeout=15
        ):
            raw = await redis.get(sessions.PREFIX + self.session.id)
            if raw is None:
                raise SignInRequired()
            stored = json.loads(raw)
            if stored.get("access_token") and stored["access_token"] != used_token:
                self.session.access_token = stored["access_token"]
                self.session.refresh_token = stored["refresh_token"]
                return
            r = await anonymous(
                "POST",
                "/v1/identity/auth/refresh",
                self.lang,
                json={"refresh_token": stored.get("refresh_token") or ""},
            )
            if r.status_code != 200:
                log.info("console.refresh_failed", status=r.status_code)
                await redis.delete(sessions.PREFIX + self.session.id)
                raise SignInRequired()
            pair = r.json()
            self.session.access_token = pair["access_token"]
            self.session.refresh_token = pair["refresh_token"]
            await sessions.save(self.session)

    async def call(self, method: str, path: str, **kw: Any) -> Any:
        response = await self.request(method, path, **kw)
        if response.status_code >= 400:
            raise ApiError(response.status_code, _problem(response))
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    async def get(self, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v not in (None, "")}
        return await self.call("GET", path, params=clean)

    async def post(self, path: str, body: Any = None) -> Any:
        return await self.call("POST", path, json=body if body is not None else {})

    async def put(self, path: str, body: Any) -> Any:
        return await self.call("PUT", path, json=body)

    async def all_items(self, path: str, cap: int = 500, **params: Any) -> list[dict[str, Any]]:
        """Every item of a cursor-paged list (up to `cap`), for counts on the Today page."""
        items: list[dict[str, Any]] = []
        cursor = None
        while len(items) < cap:
            page = await self.get(path, limit=100, cursor=cursor, **params)
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                break
        return items
