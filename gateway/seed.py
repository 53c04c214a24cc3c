"""The Fengqiu (封丘县) demo data, loaded through the public API of the all-in-one app.

Idempotent: a second run finds what the first made. Demo logins are printed at the end.
Each service may add its part in `services/<name>/demo.py` as `async def load(client, ctx)`;
they run in the order of gateway/services.py.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.services import installed_services
from shared.settings import REPO_ROOT

DEMO_PASSWORD = "fengqiu-demo-2026"
DEMO_REQUESTS = 3
ADMIN_LOGIN = "13800000000"


@dataclass
class DemoContext:
    """What the demo loaders share: region, organisations by key, signed-in headers by key."""

    region_id: uuid.UUID | None = None
    orgs: dict[str, uuid.UUID] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


# key, kind, name, login
ORGANISATIONS = [
    ("supplier-honeysuckle", "supplier", "封丘县金银花种植专业合作社", "13800000011"),
    ("supplier-raspberry", "supplier", "封丘县树莓产业发展有限公司", "13800000012"),
    ("supplier-celery", "supplier", "封丘县黄河滩封芹家庭农场", "13800000013"),
    ("supplier-goods", "supplier", "封丘县日用百货配送中心", "13800000014"),
    ("station-chengguan-dongjie", "station", "城关镇东街村电商服务站", "13800000021"),
    ("station-chengguan-xiguan", "station", "城关镇西关村电商服务站", "13800000022"),
    ("station-yinggang-nan", "station", "应举镇南村电商服务站", "13800000023"),
    ("station-huangde-bei", "station", "黄德镇北街村电商服务站", "13800000024"),
    ("retailer-liuguang", "retailer", "留光镇惠民便利店", "13800000031"),
    ("agency-huanghe", "livestream_agency", "黄河云直播机构", "13800000041"),
    ("streamer-xiaoli", "streamer", "封丘小李（主播）", "13800000042"),
    ("streamer-chenjie", "streamer", "陈姐说农事（主播）", "13800000043"),
    ("streamer-wangge", "streamer", "王哥带你逛封丘（主播）", "13800000044"),
    ("streamer-zhaomei", "streamer", "赵妹的树莓园（主播）", "13800000045"),
    ("streamer-liuxiong", "streamer", "刘兄黄河滩（主播）", "13800000046"),
]


async def _login(client: httpx.AsyncClient, login: str) -> dict[str, str]:
    """A demo account's bearer header. Signed in here, not through /auth/login: checking the
    password is one argon2 hash (~60 ms idle, ~1 s on a loaded machine) and the demo signs in
    19 accounts — half of what loading it cost. The token is the one a login issues."""
    from services.identity.auth.service import open_session
    from services.identity.db import kernel
    from services.identity.users.repository import UserRepository
    from services.identity.users.schemas import normalise_login
    from shared.db import sessionmaker_for

    async with sessionmaker_for(kernel)() as session:
        user = await UserRepository(session).get_by_login(normalise_login(login))
        if user is None:
            raise LookupError(f"demo account {login} does not exist")
        tokens = await open_session(session, user, user_agent="demo loader", ip=None)
        await session.commit()
    return {"Authorization": f"Bearer {tokens.access_token}"}


async def _sign_up(
    ctx: DemoContext, kind: str, name: str, login: str, password_hash: list[str]
) -> uuid.UUID | None:
    """identity's sign-up, in this process (as POST /v1/identity/signup does it), with the
    demo password hashed once for every account; None when the login exists already."""
    from services.identity.db import kernel
    from services.identity.organisations.schemas import SignupRequest
    from services.identity.organisations.service import sign_up
    from services.identity.users.passwords import hash_password
    from services.identity.users.repository import UserRepository
    from services.identity.users.schemas import normalise_login
    from shared.db import run_after_commit, sessionmaker_for
    from shared.tasks import kick_relay

    if not password_hash:
        password_hash.append(hash_password(DEMO_PASSWORD))
    data = SignupRequest.model_validate(
        {
            "region_id": str(ctx.region_id),
            "organisation": {"kind": kind, "name": name},
            "user": {"login": login, "password": DEMO_PASSWORD, "display_name": name[:20]},
        }
    )
    async with sessionmaker_for(kernel)() as session:
        if await UserRepository(session).get_by_login(normalise_login(login)):
            return None
        org, _user = await sign_up(session, data, password_hash=password_hash[0])
        await session.commit()
        await run_after_commit(session)
    kick_relay("identity")
    return org.id


async def _org_of(client: httpx.AsyncClient, headers: dict[str, str]) -> uuid.UUID:
    me = (await client.get("/v1/identity/me", headers=headers)).json()
    return uuid.UUID(me["memberships"][0]["organisation_id"])


async def load_identity(client: httpx.AsyncClient, ctx: DemoContext) -> None:
    from services.identity.db import kernel
    from services.identity.users.service import ensure_platform_admin
    from shared.db import sessionmaker_for

    async with sessionmaker_for(kernel)() as session:
        await ensure_platform_admin(session, ADMIN_LOGIN, DEMO_PASSWORD, "平台管理员")
        await session.commit()
    admin = await _login(client, ADMIN_LOGIN)
    ctx.headers["admin"] = admin
    ctx.logins.append(("platform admin", ADMIN_LOGIN, DEMO_PASSWORD))

    regions = (await client.get("/v1/identity/regions")).json()
    region = next((r for r in regions if r["code"] == "fengqiu"), None)
    if region is None:
        r = await client.post(
            "/v1/identity/regions",
            json={"code": "fengqiu", "name": "封丘县", "timezone": "Asia/Shanghai"},
            headers=admin,
        )
        r.raise_for_status()
        region = r.json()
        r = await client.post(
            "/v1/identity/organisations",
            json={
                "region_id": region["id"],
                "kind": "operator",
                "name": "封丘县电子商务公共服务中心",
                "owner": {
                    "login": "13800000001",
                    "password": DEMO_PASSWORD,
                    "display_name": "运营中心主任",
                },
            },
            headers=admin,
        )
        r.raise_for_status()
    ctx.region_id = uuid.UUID(region["id"])
    operator = await _login(client, "13800000001")
    ctx.headers["operator"] = operator
    ctx.orgs["operator"] = await _org_of(client, operator)
    ctx.logins.append(("operator (county centre)", "13800000001", DEMO_PASSWORD))

    password_hash: list[str] = []  # hashed by the first sign-up (no await in between)

    async def organisation(kind: str, name: str, login: str) -> tuple[dict[str, str], uuid.UUID]:
        # A login that exists was made by an earlier run.
        org_id = await _sign_up(ctx, kind, name, login, password_hash)
        if org_id is not None:
            r = await client.post(
                f"/v1/identity/organisations/{org_id}/approve", json={}, headers=operator
            )
            r.raise_for_status()
        headers = await _login(client, login)
        return headers, await _org_of(client, headers)

    async def driver() -> dict[str, str]:
        members = (
            await client.get(
                f"/v1/identity/organisations/{ctx.orgs['operator']}/members",
                params={"limit": 100},
                headers=operator,
            )
        ).json()["items"]
        if not any(m["login"] == "13800000051" for m in members):
            r = await client.post(
                f"/v1/identity/organisations/{ctx.orgs['operator']}/invitations",
                json={"login": "13800000051", "roles": ["driver"]},
                headers=operator,
            )
            r.raise_for_status()
            r = await client.post(
                "/v1/identity/invitations/accept",
                json={
                    "token": r.json()["token"],
                    "password": DEMO_PASSWORD,
                    "display_name": "配送司机老张",
                },
            )
            r.raise_for_status()
        return await _login(client, "13800000051")

    # Independent of one another: all at once (each waits on the API or the database in
    # turn), kept in the list's order.
    signed_up, ctx.headers["driver"] = await asyncio.gather(
        asyncio.gather(*(organisation(k, n, login) for _, k, n, login in ORGANISATIONS)),
        driver(),
    )
    for (key, kind, name, login), (headers, org_id) in zip(ORGANISATIONS, signed_up, strict=True):
        ctx.headers[key] = headers
        ctx.orgs[key] = org_id
        ctx.logins.append((f"{kind}: {name}", login, DEMO_PASSWORD))
    ctx.logins.append(("driver (operator's delivery team)", "13800000051", DEMO_PASSWORD))


def demo_parts() -> list[str]:
    """The services with a demo part besides identity's, in the order they load."""
    return [
        name
        for name in installed_services()
        if name != "identity" and (REPO_ROOT / "services" / name / "demo.py").exists()
    ]


def import_parts() -> None:
    for name in demo_parts():
        importlib.import_module(f"services.{name}.demo")


async def load_demo_data(
    base_url: str | None = None, progress: Callable[[int, int, str], None] | None = None
) -> DemoContext:
    """Load through the API: of a running server at `base_url`, else of an app in-process.
    `progress(done, total, part)` is told as each service's part is loaded."""
    ctx = DemoContext()
    if base_url:
        # Parts load side by side, at most this many requests at a time: each request the
        # server runs at once holds a database connection, and the connections its pool
        # keeps afterwards are PostgreSQL processes of ~15 MB each for as long as it runs.
        client = httpx.AsyncClient(
            base_url=base_url, timeout=120, limits=httpx.Limits(max_connections=DEMO_REQUESTS)
        )
    else:
        from gateway.app import app

        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://demo", timeout=60
        )
    parts = demo_parts()
    report = progress or (lambda done, total, part: None)
    async with client:
        report(0, len(parts) + 1, "identity")
        await load_identity(client, ctx)
        for done, name in enumerate(parts, start=1):
            report(done, len(parts) + 1, name)
            module = importlib.import_module(f"services.{name}.demo")
            await module.load(client, ctx)
        report(len(parts) + 1, len(parts) + 1, "done")
    return ctx


def print_logins(ctx: DemoContext) -> None:
    print(f"\nFengqiu demo logins (password for all: {DEMO_PASSWORD})", file=sys.stderr)
    for role, login, _ in ctx.logins:
        print(f"  {login}  {role}", file=sys.stderr)
