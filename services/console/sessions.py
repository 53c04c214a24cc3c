"""Server-side sessions in Redis behind an httpOnly, SameSite=Lax cookie.

The cookie holds only a random id; the user's access and refresh tokens, who they are and
the session's CSRF token live in Redis under `console:session:<id>` and expire with it.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from fastapi import Request, Response

from services.console.settings import get_console_settings
from shared.redis import get_redis

COOKIE = "console_session"
LANG_COOKIE = "console_lang"
PREFIX = "console:session:"


@dataclass
class Session:
    id: str
    csrf: str
    access_token: str | None = None
    refresh_token: str | None = None
    user: dict[str, Any] = field(default_factory=dict)
    new: bool = False

    @property
    def signed_in(self) -> bool:
        return self.access_token is not None

    @property
    def memberships(self) -> list[dict[str, Any]]:
        return list(self.user.get("memberships", []))

    def operator_membership(self) -> dict[str, Any] | None:
        for m in self.memberships:
            if (
                m.get("organisation_kind") == "operator"
                and m.get("organisation_status") == "active"
            ):
                return m
        return None

    def supplier_membership(self) -> dict[str, Any] | None:
        for m in self.memberships:
            if m.get("organisation_kind") == "supplier":
                return m
        return None

    @property
    def is_operator(self) -> bool:
        return self.operator_membership() is not None or bool(self.user.get("platform_admin"))

    @property
    def region_id(self) -> str | None:
        for m in (self.operator_membership(), self.supplier_membership()):
            if m:
                return str(m["region_id"])
        return str(self.memberships[0]["region_id"]) if self.memberships else None

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf, str(token))


def _ttl() -> int:
    return get_console_settings().console_session_hours * 3600


def _new() -> Session:
    return Session(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), new=True)


async def load(request: Request) -> Session:
    """The request's session (cached on request.state); a fresh anonymous one if none."""
    cached = getattr(request.state, "console_session", None)
    if cached is not None:
        return cached
    session: Session | None = None
    sid = request.cookies.get(COOKIE)
    if sid and len(sid) < 100:
        raw = await get_redis().get(PREFIX + sid)
        if raw:
            data = json.loads(raw)
            session = Session(id=sid, **{k: v for k, v in data.items() if k not in ("id", "new")})
    if session is None:
        session = _new()
    request.state.console_session = session
    return session


async def save(session: Session) -> None:
    data = {k: v for k, v in asdict(session).items() if k not in ("id", "new")}
    await get_redis().set(PREFIX + session.id, json.dumps(data, ensure_ascii=False), ex=_ttl())


async def rotate(request: Request, session: Session) -> Session:
    """A new id and CSRF token at sign-in (no session fixation); the old one is dropped."""
    await get_redis().delete(PREFIX + session.id)
    fresh = _new()
    request.state.console_session = fresh
    return fresh


async def destroy(request: Request, session: Session) -> None:
    await get_redis().delete(PREFIX + session.id)
    request.state.console_session = None


def set_cookie(response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        session.id,
        max_age=_ttl(),
        httponly=True,
        secure=get_console_settings().cookie_secure,
        samesite="lax",
        path="/",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
