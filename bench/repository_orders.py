"""Benchmark the product repository: bulk order placement and window consolidation.

    .venv/bin/python bench/repository_orders.py [--orders 600] [--concurrency 16]
                                                [--buyers 64] [--lines 100000]

(a) API: 30-line orders (24 bought to order, 6 stocked and reserved) placed by many
    buyers at once through `POST /v1/repository/orders` of the all-in-one app served by
    uvicorn on a local port (one process), from httpx clients in this process: orders/s
    and latency p50/p95/p99.
(b) SQL: the very statements one placement sends to PostgreSQL (captured from a placement
    through the app with a SQLAlchemy cursor hook: idempotency claim, reads of buyer,
    offers, stock, region and route, order + transition + 30 lines, one conditional
    update of the 6 stocked balances + movements + reservations, the outbox row, the
    stored response) replayed
    straight on PostgreSQL with asyncpg in one transaction per order, fresh ids each time,
    same concurrency: orders/s and p50/p95/p99; and the ratio API / SQL.
(c) Consolidation: 100,000 order lines (4,000 confirmed orders of 25 lines: 20 to order
    from 50 suppliers, 5 stocked with held reservations) written with COPY straight into
    the tables, then one window consolidated by the worker's chunked job
    (purchasing.tasks.run_window): seconds and lines/s, then the idempotent re-run.

Uses DATABASE_URL / REDIS_URL when set, otherwise the local devstack (shared.devstack).
Creates a throwaway database and drops it at the end. Results go to stdout and
bench/results/repository.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LINES_PER_ORDER, STOCKED_PER_ORDER = 30, 6
SECRET_DIR = Path(tempfile.mkdtemp(prefix="bench-repo-"))


# ------------------------------------------------------------------ provisioning


def provision() -> tuple[str, str]:
    """A fresh migrated database, a Redis, a signing key; returns (admin url, db name)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from shared import devstack

    server = os.environ.get("DATABASE_URL") or devstack.ensure_postgres()
    os.environ["REDIS_URL"] = os.environ.get("REDIS_URL") or devstack.ensure_redis()
    name = f"bench_repository_{uuid.uuid4().hex[:8]}"
    url = make_url(server)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )

    async def create() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    asyncio.run(create())
    os.environ["DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    os.environ["JWT_PRIVATE_KEY_FILE"] = str(SECRET_DIR / "jwt.pem")
    os.environ["STORAGE_DIR"] = str(SECRET_DIR / "storage")
    os.environ["CELERY_EAGER_RELAY"] = "false"
    os.environ["DATABASE_POOL_SIZE"] = "20"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    subprocess.run(
        [sys.executable, "-m", "gateway", "migrate"], cwd=REPO, check=True, capture_output=True
    )
    return admin, name


def drop(admin: str, name: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(run())


def asyncpg_url() -> str:
    return os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")


# ------------------------------------------------------------------ (a) seed and serve


@dataclass
class Market:
    region_id: uuid.UUID
    offer_ids: list[uuid.UUID]
    buyers: list[uuid.UUID]
    seeded: set[uuid.UUID] = field(default_factory=set)


async def seed_market(buyers: int) -> Market:
    """One county: 6 suppliers, 30 offers (6 stocked with ample stock), `buyers` stations."""
    from services.repository.buyers.models import BuyerAccount
    from services.repository.db import kernel
    from services.repository.directory.models import CatalogVariant, KnownSupplier, Region
    from services.repository.inventory import service as inventory
    from services.repository.inventory.models import Warehouse
    from services.repository.offers.models import Offer
    from shared.db import sessionmaker_for

    region_id = uuid.uuid4()
    market = Market(region_id, [], [uuid.uuid4() for _ in range(buyers)])
    async with sessionmaker_for(kernel)() as session:
        session.add(Region(id=region_id, code="bench", name="封丘县", timezone="Asia/Shanghai"))
        warehouse = Warehouse(region_id=region_id, code="WH", name="县级仓储中心")
        session.add(warehouse)
        suppliers = [uuid.uuid4() for _ in range(6)]
        session.add_all(
            KnownSupplier(org_id=s, region_id=region_id, name=f"合作社{i}")
            for i, s in enumerate(suppliers)
        )
        await session.flush()
        for i in range(LINES_PER_ORDER):
            stocked = i < STOCKED_PER_ORDER
            variant_id, offer_id = uuid.uuid4(), uuid.uuid4()
            supplier_id = suppliers[i % len(suppliers)]
            session.add(
                CatalogVariant(
                    variant_id=variant_id,
                    product_id=uuid.uuid4(),
                    region_id=region_id,
                    supplier_id=supplier_id,
                    product_name=f"商品{i}",
                    variant_name="1 箱",
                    net_weight_g=500,
                    volume_cm3=900,
                    channels=["wholesale"],
                )
            )
            session.add(
                Offer(
                    id=offer_id,
                    region_id=region_id,
                    supplier_id=supplier_id,
                    variant_id=variant_id,
                    direction="downstream",
                    unit_name="袋",
                    case_pack=12,
                    price_tiers=[{"min_cases": 1, "price_fen": 6000 + 100 * i}],
                    open_regions=[],
                    buyer_kinds=["station", "retailer"],
                    fulfilment="stocked" if stocked else "to_order",
                    lead_time_days=1 + i % 3,
                )
            )
            await session.flush()
            if stocked:
                await inventory.move(
                    session,
                    warehouse_id=warehouse.id,
                    variant_id=variant_id,
                    kind="receipt",
                    cases=10_000_000,
                )
            market.offer_ids.append(offer_id)
            market.seeded |= {variant_id, offer_id, supplier_id}
        session.add_all(
            BuyerAccount(
                org_id=b, region_id=region_id, kind="station", name=f"村站{i}",
                payment_methods=["card", "bank_transfer"],
            )
            for i, b in enumerate(market.buyers)
        )  # fmt: skip
        await session.commit()
        market.seeded |= {region_id, warehouse.id, *suppliers, *market.buyers}
    return market


def access_token(user_id: uuid.UUID, buyer_org_id: uuid.UUID, region_id: uuid.UUID) -> str:
    from services.identity.auth.service import sign
    from shared.settings import get_settings

    now = int(time.time())
    return sign(
        {
            "iss": get_settings().jwt_issuer,
            "sub": str(user_id),
            "iat": now,
            "exp": now + 6 * 3600,
            "typ": "access",
            "adm": False,
            "mem": [
                {
                    "org": str(buyer_org_id),
                    "kind": "station",
                    "region": str(region_id),
                    "roles": ["owner"],
                    "status": "active",
                }
            ],
        }
    )


def order_body(market: Market) -> dict[str, Any]:
    return {
        "payment_method": "card",
        "lines": [
            {"offer_id": str(o), "cases": 1 + (i % 3)} for i, o in enumerate(market.offer_ids)
        ],
    }


def serve() -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    from shared.devstack import _free_port

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "gateway.app:app", "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log",
        ],
        cwd=REPO,
        env=os.environ.copy(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # importing the app takes a minute on a loaded machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("uvicorn did not start")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99)}


async def drive(concurrency: int, count: int, one) -> dict[str, Any]:
    """Run `one(i)` count times with `concurrency` in flight; throughput and latency."""
    latencies: list[float] = []
    failures: dict[str, int] = {}
    next_index = iter(range(count))

    async def worker() -> None:
        for i in next_index:
            started = time.perf_counter()
            outcome = await one(i)
            if outcome == "ok":
                latencies.append(time.perf_counter() - started)
            else:
                failures[outcome] = failures.get(outcome, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "orders": len(latencies),
        "failures": failures,
        "seconds": round(elapsed, 2),
        "orders_per_s": round(len(latencies) / elapsed, 1),
        **percentiles(latencies),
    }


async def api_phase(base: str, market: Market, concurrency: int, count: int) -> dict[str, Any]:
    import httpx

    tokens = [access_token(uuid.uuid4(), b, market.region_id) for b in market.buyers]
    body = order_body(market)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def place(i: int) -> str:
            r = await client.post(
                "/v1/repository/orders",
                json=body,
                headers={
                    "Authorization": f"Bearer {tokens[i % len(tokens)]}",
                    "Idempotency-Key": uuid.uuid4().hex,
                },
            )
            return "ok" if r.status_code == 201 else f"http {r.status_code}"

        await drive(concurrency, max(concurrency, 20), place)  # warm-up
        return await drive(concurrency, count, place)


# ------------------------------------------------------------------ (a') independent client

WRK_LUA = """
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
local tokens = {%s}
local body = %s
local i = 0
request = function()
  i = i + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept-Encoding"] = "identity",
    ["Authorization"] = "Bearer " .. tokens[(i %% #tokens) + 1],
    ["Idempotency-Key"] = string.format("wrk-%%d-%%d-%%d", tid, i, math.random(1000000000)),
  }
  return wrk.format("POST", "/v1/repository/orders", headers, body)
end
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk_phase(
    base: str, market: Market, concurrency: int, seconds: int, pid: int | None = None
) -> dict[str, Any]:
    """Debian's wrk (another process, its own event loop in C) against the uvicorn server;
    with the server's `pid`, also its CPU time per order (a figure that moves far less
    with the machine's load than the throughput does)."""
    import re
    import shutil

    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    tokens = [access_token(uuid.uuid4(), b, market.region_id) for b in market.buyers]
    script = WRK_LUA % (
        ", ".join(json.dumps(t) for t in tokens),
        json.dumps(json.dumps(order_body(market))),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    argv = ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--timeout", "60s", "--latency"]
    argv += ["-s", f.name]
    cpu_before = cpu_seconds(pid) if pid else 0.0
    try:
        out = subprocess.run([*argv, base], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    cpu_used = cpu_seconds(pid) - cpu_before if pid else 0.0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result: dict[str, Any] = {
        "orders_per_s": round(rps, 1),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "seconds": seconds,
    }
    done = re.search(r"(\d+) requests in", out)
    if pid and done and int(done.group(1)):
        result["server_cpu_ms_per_order"] = round(cpu_used * 1000 / int(done.group(1)), 2)
    for q in ("50", "99"):
        found = re.search(rf"{q}%\s+([\d.]+)(us|ms|s)\b", out)
        if found:
            value, unit = float(found.group(1)), found.group(2)
            result[f"p{q}_ms"] = round(
                value / 1000 if unit == "us" else value * (1000 if unit == "s" else 1), 1
            )
    return result


async def in_process_phase(market: Market, concurrency: int, count: int) -> dict[str, Any]:
    """The same orders through the app in this process (httpx's ASGI transport): no
    network, no server; what the app itself costs per order."""
    import httpx

    from gateway.app import app

    tokens = [access_token(uuid.uuid4(), b, market.region_id) for b in market.buyers]
    body = order_body(market)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=120
    ) as client:

        async def place(i: int) -> str:
            r = await client.post(
                "/v1/repository/orders",
                json=body,
                headers={
                    "Authorization": f"Bearer {tokens[i % len(tokens)]}",
                    "Idempotency-Key": uuid.uuid4().hex,
                },
            )
            return "ok" if r.status_code == 201 else f"http {r.status_code}"

        await drive(concurrency, max(concurrency, 20), place)  # warm-up
        return await drive(concurrency, count, place)


# ------------------------------------------------------------------ (b) the same SQL


@dataclass
class Captured:
    statements: list[tuple[str, Any, bool]]
    order_id: uuid.UUID
    number: str
    serial: int
    key: str
    buyer_org_id: uuid.UUID
    user_id: uuid.UUID


async def capture_placement(market: Market) -> Captured:
    """Place one order through the app in this process and record every statement."""
    import httpx
    from sqlalchemy import event, text
    from sqlalchemy.engine import Engine

    from gateway.app import app
    from services.repository.db import kernel
    from shared.db import sessionmaker_for

    async with sessionmaker_for(kernel)() as session:
        # a distinctive serial, so that it can be told apart from quantities when replaying
        await session.execute(
            text("SELECT setval(pg_get_serial_sequence('repository.orders', 'serial'), 7000000)")
        )
        await session.commit()
    statements: list[tuple[str, Any, bool]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        # a multi-row INSERT (insertmanyvalues) is one statement with one flat parameter
        # list, even when SQLAlchemy reports it as part of an executemany
        if executemany and parameters and not isinstance(parameters[0], list | tuple):
            executemany = False
        statements.append((statement, parameters, executemany))

    user_id, buyer, key = uuid.uuid4(), market.buyers[0], uuid.uuid4().hex
    token = access_token(user_id, buyer, market.region_id)
    event.listen(Engine, "before_cursor_execute", record)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench"
        ) as client:
            r = await client.post(
                "/v1/repository/orders",
                json=order_body(market),
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            )
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert r.status_code == 201, r.text
    placed = r.json()
    statements = [
        s for s in statements if not s[0].lstrip().upper().startswith(("BEGIN", "COMMIT"))
    ]
    serial = int(placed["number"].rsplit("-", 1)[1])
    return Captured(
        statements, uuid.UUID(placed["id"]), placed["number"], serial, key, buyer, user_id
    )


class Replayer:
    """The captured statements with fresh ids (and another buyer) for each replay."""

    def __init__(self, captured: Captured, market: Market) -> None:
        self.captured = captured
        self.market = market
        self.fresh = sorted(
            {
                value
                for _, params, _ in captured.statements
                for value in _flatten(params)
                if isinstance(value, uuid.UUID) and value not in market.seeded
            }
            - {captured.user_id},
            key=str,
        )
        self.counter = 0

    def statements(self, buyer: uuid.UUID) -> list[tuple[str, Any, bool]]:
        self.counter += 1
        ids = {old: uuid.uuid4() for old in self.fresh}
        ids[self.captured.buyer_org_id] = buyer
        serial = 50_000_000 + self.counter
        number = self.captured.number.rsplit("-", 1)[0] + f"-{serial:08d}"
        strings = {str(old): str(new) for old, new in ids.items()}
        strings[self.captured.number] = number
        strings[self.captured.key] = uuid.uuid4().hex

        def swap(value: Any) -> Any:
            if isinstance(value, uuid.UUID):
                return ids.get(value, value)
            if isinstance(value, str):
                if value in strings:
                    return strings[value]
                if len(value) > 36 and ("-" in value):
                    for old, new in strings.items():
                        if old in value:
                            value = value.replace(old, new)
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                return serial if value == self.captured.serial else value
            if isinstance(value, list):
                return [swap(v) for v in value]
            if isinstance(value, tuple):
                return tuple(swap(v) for v in value)
            return value

        return [
            (sql, [swap(p) for p in params] if many else swap(params), many)
            for sql, params, many in self.captured.statements
        ]


def _flatten(value: Any):
    if isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


async def sql_phase(
    captured: Captured, market: Market, concurrency: int, count: int
) -> dict[str, Any]:
    import asyncpg

    replayer = Replayer(captured, market)
    pool = await asyncpg.create_pool(asyncpg_url(), min_size=concurrency, max_size=concurrency)

    async def place(i: int) -> str:
        batch = replayer.statements(market.buyers[i % len(market.buyers)])
        async with pool.acquire() as conn, conn.transaction():
            for sql, params, many in batch:
                if many:
                    await conn.executemany(sql, params)
                else:
                    await conn.execute(sql, *(params or ()))
        return "ok"

    try:
        await drive(concurrency, max(concurrency, 20), place)  # warm-up
        result = await drive(concurrency, count, place)
    finally:
        await pool.close()
    result["statements_per_order"] = len(captured.statements)
    return result


# ------------------------------------------------------------------ (c) consolidation


async def seed_window(
    lines: int, code: str = "bench-window", copy: int = 0
) -> tuple[uuid.UUID, date, int]:
    """Confirmed orders of one closed window, COPYed in: 20 to-order + 5 stocked lines
    each (held reservations, balances reserved accordingly)."""
    import asyncpg

    from services.repository.directory.models import CatalogVariant, KnownSupplier, Region
    from services.repository.inventory.models import Reservation, StockBalance, Warehouse
    from services.repository.offers.models import Offer
    from services.repository.orders.models import Order, OrderLine

    rng = random.Random(11)
    per_order, stocked_per_order = 25, 5
    orders = lines // per_order
    region_id, warehouse_id = uuid.uuid4(), uuid.uuid4()
    window = date.today() - timedelta(days=40)
    cutoff = datetime.combine(window, clock(8, 0), UTC)
    now = datetime.now(UTC)
    suppliers = [uuid.uuid4() for _ in range(50)]
    to_order = [(uuid.uuid4(), uuid.uuid4(), suppliers[i % 50]) for i in range(400)]
    stocked = [(uuid.uuid4(), uuid.uuid4(), suppliers[i % 50]) for i in range(100)]
    rows: dict[Any, list[dict[str, Any]]] = {
        m: [] for m in (Region, Warehouse, KnownSupplier, CatalogVariant, Offer)
    }
    rows[Region].append(dict(id=region_id, code=code, name="封丘县", timezone="Asia/Shanghai", cutoff_time=clock(16), reservation_minutes=120, close_after_hours=48, created_at=now, updated_at=now))  # fmt: skip
    rows[Warehouse].append(dict(id=warehouse_id, region_id=region_id, code="WH", name="县级仓储中心", is_county_warehouse=True, created_at=now, updated_at=now))  # fmt: skip
    for s in suppliers:
        rows[KnownSupplier].append(dict(org_id=s, region_id=region_id, name=f"供应商{str(s)[:4]}", organisation_status="active", supplier_status="active", reason=None, created_at=now, updated_at=now))  # fmt: skip
    for i, (variant_id, offer_id, supplier_id) in enumerate(to_order + stocked):
        is_stocked = i >= len(to_order)
        rows[CatalogVariant].append(dict(variant_id=variant_id, product_id=uuid.uuid4(), region_id=region_id, supplier_id=supplier_id, product_name=f"商品{i}", variant_name="1 箱", sku=None, unit="箱", category=None, brand=None, storage="ambient", net_weight_g=500, volume_cm3=900, channels=["wholesale"], listed=True, delist_reason=None, created_at=now, updated_at=now))  # fmt: skip
        rows[Offer].append(dict(id=offer_id, region_id=region_id, supplier_id=supplier_id, variant_id=variant_id, direction="downstream", unit_name="袋", case_pack=12, min_order_cases=1, multiple_cases=1, price_tiers=json.dumps([{"min_cases": 1, "price_fen": 5000}]), open_regions=[], buyer_kinds=["station"], fulfilment="stocked" if is_stocked else "to_order", lead_time_days=1 + i % 4, status="active", version=1, created_at=now, updated_at=now))  # fmt: skip
    order_rows, line_rows, reservation_rows = [], [], []
    reserved: dict[uuid.UUID, int] = {}
    buyers = [uuid.uuid4() for _ in range(400)]
    for n in range(orders):
        order_id = uuid.uuid4()
        total = 0
        picks = [(v, o, s, None) for v, o, s in rng.sample(to_order, per_order - stocked_per_order)]
        picks += [(v, o, s, warehouse_id) for v, o, s in rng.sample(stocked, stocked_per_order)]
        for line_no, (variant_id, offer_id, supplier_id, held_at) in enumerate(picks, start=1):
            cases, price = rng.randint(1, 10), 5000 + 10 * (line_no % 7)
            line_id = uuid.uuid4()
            total += cases * price
            line_rows.append(dict(id=line_id, order_id=order_id, line_no=line_no, offer_id=offer_id, variant_id=variant_id, supplier_id=supplier_id, fulfilment="stocked" if held_at else "to_order", warehouse_id=held_at, cases=cases, case_pack=12, unit_price_fen=price, amount_fen=cases * price, allocated_cases=0, shortened_cases=0, purchase_order_line_id=None))  # fmt: skip
            if held_at:
                reservation_rows.append(dict(order_line_id=line_id, order_id=order_id, warehouse_id=warehouse_id, variant_id=variant_id, cases=cases, status="held", expires_at=None, created_at=now, updated_at=now))  # fmt: skip
                reserved[variant_id] = reserved.get(variant_id, 0) + cases
        placed_at = cutoff - timedelta(seconds=orders - n)
        order_rows.append(dict(id=order_id, serial=90_000_000 + copy * 10_000_000 + n, number=f"FQ-{window:%Y%m%d}-B{copy}{n:07d}", region_id=region_id, buyer_org_id=buyers[n % len(buyers)], placed_by_user_id=None, status="confirmed", payment_method="card", window_date=window, cutoff_at=cutoff, delivery_date=window + timedelta(days=2), route_id=None, stop_id=None, station_org_id=buyers[n % len(buyers)], placed_total_fen=total, shortened_fen=0, placed_at=placed_at, reserved_until=None, parcels_expected=0, parcels_delivered=0, delivered_at=None, note=None, version=2, created_at=placed_at, updated_at=placed_at))  # fmt: skip
    balances = [dict(warehouse_id=warehouse_id, variant_id=v, on_hand=1_000_000, reserved=reserved.get(v, 0), updated_at=now) for v, _, _ in stocked]  # fmt: skip
    conn = await asyncpg.connect(asyncpg_url())
    try:
        async with conn.transaction():
            for model, records in [
                *rows.items(),
                (StockBalance, balances),
                (Order, order_rows),
                (OrderLine, line_rows),
                (Reservation, reservation_rows),
            ]:
                await _copy(conn, model, records)
    finally:
        await conn.close()
    return region_id, window, len(line_rows)


# The same consolidation written by hand, set-based, in one transaction: what the job
# must come close to. Same effects as the job on the same rows: held reservations
# allocated (ledger rows, status_changes), stocked lines settled, orders consolidated
# (transition rows, events), one purchase order per supplier with its lines, the order
# lines attached, purchase-order transitions and events, orders purchased (transition
# rows, events). It computes each purchase-order line once, at insert (its best).
REFERENCE_SQL = [
    # 1. stocked lines take their held reservations
    """
    WITH held AS (
        UPDATE repository.reservations r
        SET status = 'allocated', expires_at = NULL, updated_at = now()
        FROM repository.order_lines l, repository.orders o
        WHERE o.region_id = $1 AND o.window_date = $2 AND o.status = 'confirmed'
          AND l.order_id = o.id AND l.fulfilment = 'stocked'
          AND r.order_line_id = l.id AND r.status = 'held'
        RETURNING r.order_line_id, r.order_id, r.warehouse_id, r.variant_id, r.cases,
                  l.cases AS line_cases
    ), taken AS (
        UPDATE repository.order_lines l SET allocated_cases = LEAST(h.line_cases, h.cases)
        FROM held h WHERE l.id = h.order_line_id
    ), changes AS (
        INSERT INTO repository.status_changes (machine, entity_id, from_state, to_state,
            action, reason, at)
        SELECT 'reservation', order_line_id::text, 'held', 'allocated', 'allocate',
               'window consolidation', now() FROM held
    )
    INSERT INTO repository.stock_movements (warehouse_id, variant_id, kind, cases,
        on_hand_after, reserved_after, order_id, order_line_id, at)
    SELECT h.warehouse_id, h.variant_id, 'allocation', h.cases, b.on_hand, b.reserved,
           h.order_id, h.order_line_id, now()
    FROM held h JOIN repository.stock_balances b
      ON b.warehouse_id = h.warehouse_id AND b.variant_id = h.variant_id
    """,
    # 2. orders confirmed -> consolidated
    """
    WITH moved AS (
        UPDATE repository.orders SET status = 'consolidated', version = version + 1,
            updated_at = now()
        WHERE region_id = $1 AND window_date = $2 AND status = 'confirmed'
        RETURNING id, buyer_org_id, region_id, gen_random_uuid() AS event_id
    ), steps AS (
        INSERT INTO repository.order_transitions (id, order_id, from_status, to_status,
            action, reason, at)
        SELECT gen_random_uuid(), id, 'confirmed', 'consolidated', 'consolidate',
               'window consolidation', now() FROM moved
    )
    INSERT INTO repository.outbox (event_id, event_type, region_id, payload)
    SELECT event_id, 'repository.order.consolidated', region_id, jsonb_build_object(
        'id', event_id, 'type', 'repository.order.consolidated', 'producer', 'repository',
        'occurred_at', now(), 'region_id', region_id, 'request_id', NULL,
        'data', jsonb_build_object('order_id', id, 'buyer_org_id', buyer_org_id,
            'region_id', region_id, 'from_status', 'confirmed', 'to_status', 'consolidated'))
    FROM moved
    """,
    # 3. one purchase order per supplier, its lines summed per variant
    """
    INSERT INTO repository.purchase_orders (id, number, region_id, window_date, supplier_id,
        round_no, warehouse_id, status, total_cost_fen, version, created_at, updated_at)
    SELECT gen_random_uuid(), 'PO-REF-' || substr(md5(random()::text), 1, 12), $1, $2,
           s.supplier_id, 1, $3, 'sent', 0, 1, now(), now()
    FROM (SELECT DISTINCT l.supplier_id FROM repository.order_lines l
          JOIN repository.orders o ON o.id = l.order_id
          WHERE o.region_id = $1 AND o.window_date = $2 AND o.status = 'consolidated'
            AND l.fulfilment = 'to_order') s
    """,
    """
    INSERT INTO repository.purchase_order_lines (id, purchase_order_id, variant_id,
        ordered_cases, accepted_cases, rejected_cases, unit_cost_fen)
    SELECT gen_random_uuid(), po.id, l.variant_id, sum(l.cases), 0, 0,
           div(sum(l.amount_fen), sum(l.cases))
    FROM repository.order_lines l
    JOIN repository.orders o ON o.id = l.order_id
    JOIN repository.purchase_orders po
      ON po.region_id = $1 AND po.window_date = $2 AND po.supplier_id = l.supplier_id
    WHERE o.region_id = $1 AND o.window_date = $2 AND o.status = 'consolidated'
      AND l.fulfilment = 'to_order'
    GROUP BY po.id, l.variant_id
    """,
    # 4. the order lines attached, the purchase orders' totals and arrival
    """
    UPDATE repository.order_lines l SET purchase_order_line_id = pl.id
    FROM repository.orders o, repository.purchase_orders po,
         repository.purchase_order_lines pl
    WHERE o.id = l.order_id AND o.region_id = $1 AND o.window_date = $2
      AND o.status = 'consolidated' AND l.fulfilment = 'to_order'
      AND po.region_id = $1 AND po.window_date = $2 AND po.supplier_id = l.supplier_id
      AND pl.purchase_order_id = po.id AND pl.variant_id = l.variant_id
    """,
    """
    UPDATE repository.purchase_orders po
    SET total_cost_fen = a.total, expected_arrival = po.window_date + a.lead_days
    FROM (SELECT po.id, sum(l.amount_fen) AS total, max(f.lead_time_days) AS lead_days
          FROM repository.purchase_orders po
          JOIN repository.purchase_order_lines pl ON pl.purchase_order_id = po.id
          JOIN repository.order_lines l ON l.purchase_order_line_id = pl.id
          JOIN repository.offers f ON f.id = l.offer_id
          WHERE po.region_id = $1 AND po.window_date = $2 GROUP BY po.id) a
    WHERE po.id = a.id
    """,
    # 5. the purchase orders sent: transition rows and events
    """
    WITH sent AS (
        SELECT gen_random_uuid() AS event_id, * FROM repository.purchase_orders
        WHERE region_id = $1 AND window_date = $2
    ), steps AS (
        INSERT INTO repository.purchase_order_transitions (id, purchase_order_id,
            from_status, to_status, action, reason, at)
        SELECT gen_random_uuid(), id, NULL, 'sent', 'send', 'window consolidation', now()
        FROM sent
    )
    INSERT INTO repository.outbox (event_id, event_type, region_id, payload)
    SELECT event_id, 'repository.purchase_order.sent', region_id, jsonb_build_object(
        'id', event_id, 'type', 'repository.purchase_order.sent', 'producer', 'repository',
        'occurred_at', now(), 'region_id', region_id, 'request_id', NULL,
        'data', jsonb_build_object('purchase_order_id', id, 'number', number,
            'supplier_id', supplier_id, 'region_id', region_id, 'window_date', window_date,
            'round_no', round_no, 'from_status', NULL, 'status', status, 'action', 'send',
            'reason', 'window consolidation', 'total_cost_fen', total_cost_fen,
            'expected_arrival', expected_arrival))
    FROM sent
    """,
    # 6. orders consolidated -> purchased
    """
    WITH moved AS (
        UPDATE repository.orders SET status = 'purchased', version = version + 1,
            updated_at = now()
        WHERE region_id = $1 AND window_date = $2 AND status = 'consolidated'
        RETURNING id, buyer_org_id, region_id, gen_random_uuid() AS event_id
    ), steps AS (
        INSERT INTO repository.order_transitions (id, order_id, from_status, to_status,
            action, reason, at)
        SELECT gen_random_uuid(), id, 'consolidated', 'purchased', 'purchase',
               'window consolidation', now() FROM moved
    )
    INSERT INTO repository.outbox (event_id, event_type, region_id, payload)
    SELECT event_id, 'repository.order.purchased', region_id, jsonb_build_object(
        'id', event_id, 'type', 'repository.order.purchased', 'producer', 'repository',
        'occurred_at', now(), 'region_id', region_id, 'request_id', NULL,
        'data', jsonb_build_object('order_id', id, 'buyer_org_id', buyer_org_id,
            'region_id', region_id, 'from_status', 'consolidated', 'to_status', 'purchased'))
    FROM moved
    """,
]


async def reference_consolidation(
    region_id: uuid.UUID, window: date, steps: list[float] | None = None
) -> float:
    """The hand-written SQL above on its own rows, one transaction; its seconds (and
    each statement's in `steps`)."""
    import asyncpg

    conn = await asyncpg.connect(asyncpg_url())
    try:
        warehouse_id = await conn.fetchval(
            "SELECT id FROM repository.warehouses WHERE region_id = $1", region_id
        )
        started = time.perf_counter()
        async with conn.transaction():
            for n, sql in enumerate(REFERENCE_SQL):
                args = (region_id, window, warehouse_id) if n == 2 else (region_id, window)
                step = time.perf_counter()
                await conn.execute(sql, *args)
                if steps is not None:
                    steps.append(round(time.perf_counter() - step, 3))
        return time.perf_counter() - started
    finally:
        await conn.close()


async def window_outcome(region_id: uuid.UUID, window: date) -> dict[str, Any]:
    """What a consolidation left, to check the job and the reference did the same."""
    import asyncpg

    conn = await asyncpg.connect(asyncpg_url())
    try:
        row = await conn.fetchrow(
            """
            SELECT
              (SELECT count(*) FROM repository.orders
                WHERE region_id = $1 AND window_date = $2 AND status = 'purchased') AS purchased,
              (SELECT count(*) FROM repository.purchase_orders
                WHERE region_id = $1 AND window_date = $2) AS purchase_orders,
              (SELECT sum(total_cost_fen) FROM repository.purchase_orders
                WHERE region_id = $1 AND window_date = $2) AS total_cost_fen,
              (SELECT count(*) FROM repository.purchase_order_lines pl
                JOIN repository.purchase_orders po ON po.id = pl.purchase_order_id
                WHERE po.region_id = $1 AND po.window_date = $2) AS po_lines,
              (SELECT count(*) FROM repository.reservations r
                JOIN repository.warehouses w ON w.id = r.warehouse_id
                WHERE w.region_id = $1 AND r.status = 'allocated') AS allocated,
              (SELECT count(*) FROM repository.outbox WHERE region_id = $1) AS events
            """,
            region_id,
            window,
        )
        return {k: int(v or 0) for k, v in dict(row).items()}
    finally:
        await conn.close()


async def _copy(conn: Any, model: Any, records: list[dict[str, Any]]) -> None:
    table = model.__table__
    columns = [c.name for c in table.columns if c.name in records[0]]
    await conn.copy_records_to_table(
        table.name,
        schema_name=table.schema,
        columns=columns,
        records=[tuple(r[c] for c in columns) for r in records],
    )


async def consolidation_phase(lines: int) -> dict[str, Any]:
    """The worker's job and the hand-written SQL, each on its own copy of the same rows."""
    from services.repository.purchasing import tasks

    started = time.perf_counter()
    region_id, window, seeded = await seed_window(lines)
    seed_seconds = time.perf_counter() - started
    reference_region, reference_window, _ = await seed_window(lines, "bench-reference", 1)
    await analyze()
    steps: list[float] = []
    reference_seconds = await reference_consolidation(reference_region, reference_window, steps)
    started = time.perf_counter()
    first = await tasks.run_window(region_id, window)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = await tasks.run_window(region_id, window)
    rerun_seconds = time.perf_counter() - started
    job = await window_outcome(region_id, window)
    reference = await window_outcome(reference_region, reference_window)
    return {
        "order_lines": seeded,
        "orders": first["orders"],
        "purchase_orders": first["purchase_orders"],
        "outcome_job": job,
        "outcome_sql": reference,
        "same_outcome": job == reference,
        "copy_seed_seconds": round(seed_seconds, 2),
        "consolidate_seconds": round(seconds, 2),
        "sql_seconds": round(reference_seconds, 2),
        "sql_statement_seconds": steps,
        "ratio_job_over_sql": round(seconds / reference_seconds, 2),
        "lines_per_s": round(seeded / seconds),
        "rerun_seconds": round(rerun_seconds, 2),
        "rerun_attempt": again["attempt"],
    }


async def analyze() -> None:
    import asyncpg

    conn = await asyncpg.connect(asyncpg_url())
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


# ------------------------------------------------------------------ main


async def measure(args: argparse.Namespace, base: str | None) -> dict[str, Any]:
    from shared.db import dispose_engines

    result: dict[str, Any] = {"benchmark": "repository_orders"}
    if base is not None:
        result.update(await placement_phase(args, base))
    if args.lines:
        result["consolidation"] = await consolidation_phase(args.lines)
    await dispose_engines()
    return result


async def placement_phase(args: argparse.Namespace, base: str) -> dict[str, Any]:
    market = await seed_market(args.buyers)
    api = await api_phase(base, market, args.concurrency, args.orders)
    server = wrk_phase(base, market, args.concurrency, args.wrk_seconds, args.server_pid)
    in_process = await in_process_phase(market, args.concurrency, args.orders)
    captured = await capture_placement(market)
    sql = await sql_phase(captured, market, args.concurrency, args.orders)
    best_api = max(
        (x for x in (api, server) if "orders_per_s" in x), key=lambda x: x["orders_per_s"]
    )
    return {
        "lines_per_order": LINES_PER_ORDER,
        "stocked_lines_per_order": STOCKED_PER_ORDER,
        "concurrency": args.concurrency,
        "buyers": args.buyers,
        "api": api,
        "api_wrk": server,
        "api_in_process": in_process,
        "sql": sql,
        "ratio_throughput_api_wrk_over_sql": round(
            server.get("orders_per_s", 0) / sql["orders_per_s"], 2
        ),
        "ratio_throughput_api_over_sql": round(api["orders_per_s"] / sql["orders_per_s"], 2),
        "ratio_throughput_in_process_over_sql": round(
            in_process["orders_per_s"] / sql["orders_per_s"], 2
        ),
        "ratio_throughput_best_server_over_sql": round(
            best_api["orders_per_s"] / sql["orders_per_s"], 2
        ),
        "ratio_p50_api_over_sql": round(api["p50_ms"] / sql["p50_ms"], 2),
        "ratio_p99_api_over_sql": round(api["p99_ms"] / sql["p99_ms"], 2),
    }


def goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 17's goals for the repository, each with its figure from this run."""
    found: list[tuple[str, Any, str, float]] = []
    if "sql" in result:
        found += [
            (
                "30-line order, API (uvicorn + wrk) / same SQL, throughput",
                result["ratio_throughput_api_wrk_over_sql"],
                ">=",
                0.5,
            ),
            ("SQL statements per 30-line order", result["sql"]["statements_per_order"], "<=", 20),
        ]
    if "consolidation" in result:
        c = result["consolidation"]
        found += [
            (
                f"consolidating {c['order_lines']:,} order lines, s",
                c["consolidate_seconds"],
                "<=",
                5,
            ),
            ("consolidation / hand-written SQL, time", c["ratio_job_over_sql"], "<=", 1.5),
        ]
    return [
        {
            "goal": name,
            "target": f"{op} {target}",
            "figure": figure,
            "met": figure <= target if op == "<=" else figure >= target,
        }
        for name, figure, op, target in found
    ]


def report(result: dict[str, Any]) -> None:
    """Each pair and its ratio, then the goals."""
    if "sql" in result:
        sql = result["sql"]
        print(f"\n30-line orders, {result['concurrency']} in flight (orders/s, p50 ms):")
        for label, side in (
            ("API, uvicorn + wrk (independent client)", result["api_wrk"]),
            ("API, uvicorn + httpx client in the bench", result["api"]),
            ("API in process (ASGI, no server)", result["api_in_process"]),
            (f"same {sql['statements_per_order']} statements, asyncpg", sql),
        ):
            print(f"  {label:<44} {side.get('orders_per_s')!s:>8} {side.get('p50_ms')!s:>9}")
        print(f"  ratio API (wrk) / SQL: {result['ratio_throughput_api_wrk_over_sql']}")
        if "server_cpu_ms_per_order" in result["api_wrk"]:
            print(
                f"  server CPU per order (wrk): {result['api_wrk']['server_cpu_ms_per_order']} ms"
            )
    if "consolidation" in result:
        c = result["consolidation"]
        print(f"\nconsolidating {c['order_lines']:,} order lines (s):")
        print(f"  worker job {c['consolidate_seconds']}  hand-written SQL {c['sql_seconds']}")
        print(f"  ratio job / SQL: {c['ratio_job_over_sql']}  same outcome: {c['same_outcome']}")
    print(f"\ngoals (issue 17), load average {result.get('load_average')}:")
    for g in result["goals"]:
        print(
            f"  {g['goal']:<60} {g['figure']!s:>8}  {g['target']:<7} {'met' if g['met'] else 'NOT met'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--buyers", type=int, default=64)
    parser.add_argument("--lines", type=int, default=100_000, help="0: no consolidation")
    parser.add_argument("--no-orders", action="store_true", help="consolidation only")
    parser.add_argument("--wrk-seconds", type=int, default=15)
    args = parser.parse_args()
    admin, name = provision()
    server = None
    try:  # the throwaway database is dropped even when the server does not start
        server, base = (None, None) if args.no_orders else serve()
        args.server_pid = server.pid if server is not None else None
        result = asyncio.run(measure(args, base))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        drop(admin, name)
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["goals"] = goals(result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    report(result)
    out = REPO / "bench" / "results" / "repository.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
