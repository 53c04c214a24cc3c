"""Factories that arrange a story through the real HTTP API (and the identity service).

county = await new_county(client, admin)            # region + operator, signed in
station = await new_org(client, county, "station")   # signed up, approved, signed in
driver = await add_member(client, county.operator, ["driver"])
r = await client.get("/v1/...", headers=station.headers)
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

DEFAULT_PASSWORD = "correct-horse-battery"
_phone_counter = itertools.count(int(time.time() * 1000) % 10**8)


def unique_phone() -> str:
    """An 11-digit mainland mobile number no other test uses."""
    return "19" + f"{next(_phone_counter) % 10**9:09d}"


def unique_code(prefix: str = "r") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Actor:
    """A signed-in user acting for one organisation."""

    user_id: uuid.UUID
    org_id: uuid.UUID | None
    region_id: uuid.UUID | None
    login: str
    password: str
    access_token: str
    refresh_token: str
    kind: str | None = None
    roles: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@dataclass
class County:
    region_id: uuid.UUID
    code: str
    timezone: str
    operator: Actor


async def login(client: httpx.AsyncClient, login_name: str, password: str) -> dict[str, Any]:
    r = await client.post(
        "/v1/identity/auth/login", json={"login": login_name, "password": password}
    )
    assert r.status_code == 200, r.text
    return r.json()


async def _actor(
    client: httpx.AsyncClient,
    login_name: str,
    password: str,
    org_id: uuid.UUID | None,
    region_id: uuid.UUID | None,
    kind: str | None,
) -> Actor:
    tokens = await login(client, login_name, password)
    me = (
        await client.get(
            "/v1/identity/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
    ).json()
    roles: list[str] = []
    for m in me["memberships"]:
        if org_id is not None and m["organisation_id"] == str(org_id):
            roles = m["roles"]
    return Actor(
        user_id=uuid.UUID(me["id"]),
        org_id=org_id,
        region_id=region_id,
        login=login_name,
        password=password,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        kind=kind,
        roles=roles,
    )


async def bootstrap_admin(client: httpx.AsyncClient) -> Actor:
    from services.identity.db import kernel
    from services.identity.users.service import ensure_platform_admin
    from shared.db import sessionmaker_for

    login_name = unique_phone()
    async with sessionmaker_for(kernel)() as session:
        await ensure_platform_admin(session, login_name, DEFAULT_PASSWORD, "平台管理员")
        await session.commit()
    return await _actor(client, login_name, DEFAULT_PASSWORD, None, None, None)


async def new_county(
    client: httpx.AsyncClient,
    admin: Actor,
    *,
    timezone: str = "Asia/Shanghai",
    name: str = "封丘县",
) -> County:
    code = unique_code("fq")
    r = await client.post(
        "/v1/identity/regions",
        json={"code": code, "name": name, "timezone": timezone},
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    region_id = uuid.UUID(r.json()["id"])
    operator_login = unique_phone()
    r = await client.post(
        "/v1/identity/organisations",
        json={
            "region_id": str(region_id),
            "kind": "operator",
            "name": f"{name}电子商务公共服务中心",
            "owner": {
                "login": operator_login,
                "password": DEFAULT_PASSWORD,
                "display_name": "运营主管",
            },
        },
        headers=admin.headers,
    )
    assert r.status_code == 201, r.text
    org_id = uuid.UUID(r.json()["organisation"]["id"])
    operator = await _actor(client, operator_login, DEFAULT_PASSWORD, org_id, region_id, "operator")
    return County(region_id=region_id, code=code, timezone=timezone, operator=operator)


async def sign_up(
    client: httpx.AsyncClient, county: County, kind: str, name: str | None = None
) -> tuple[uuid.UUID, str]:
    login_name = unique_phone()
    r = await client.post(
        "/v1/identity/signup",
        json={
            "region_id": str(county.region_id),
            "organisation": {"kind": kind, "name": name or f"{kind}-{uuid.uuid4().hex[:6]}"},
            "user": {"login": login_name, "password": DEFAULT_PASSWORD, "display_name": "负责人"},
        },
    )
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["organisation"]["id"]), login_name


async def new_org(
    client: httpx.AsyncClient, county: County, kind: str, name: str | None = None
) -> Actor:
    """An organisation of `kind` that signed up and was approved by the county's operator."""
    org_id, login_name = await sign_up(client, county, kind, name)
    r = await client.post(
        f"/v1/identity/organisations/{org_id}/approve", json={}, headers=county.operator.headers
    )
    assert r.status_code == 200, r.text
    return await _actor(client, login_name, DEFAULT_PASSWORD, org_id, county.region_id, kind)


async def add_member(client: httpx.AsyncClient, owner: Actor, roles: list[str]) -> Actor:
    """Invite a new person into the owner's organisation with `roles`; returns them signed in."""
    login_name = unique_phone()
    r = await client.post(
        f"/v1/identity/organisations/{owner.org_id}/invitations",
        json={"login": login_name, "roles": roles},
        headers=owner.headers,
    )
    assert r.status_code == 201, r.text
    r = await client.post(
        "/v1/identity/invitations/accept",
        json={"token": r.json()["token"], "password": DEFAULT_PASSWORD, "display_name": "成员"},
    )
    assert r.status_code == 204, r.text
    return await _actor(
        client, login_name, DEFAULT_PASSWORD, owner.org_id, owner.region_id, owner.kind
    )


async def refresh_actor(client: httpx.AsyncClient, actor: Actor) -> Actor:
    """Sign in again (e.g. after an organisation's status changed, to get fresh claims)."""
    return await _actor(
        client, actor.login, actor.password, actor.org_id, actor.region_id, actor.kind
    )


async def eventually(
    predicate: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.2
) -> Any:
    """Wait until `predicate()` (sync or async) is truthy; return its value or fail."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s (last value: {last!r})")
