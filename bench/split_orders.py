"""Orders per second: the split deployment (run mode 2) with 1 and with 2 repository API
replicas behind nginx, beside the all-in-one process, in one run on this machine.

    .venv/bin/python bench/split_orders.py [--orders 300] [--in-flight 16]

Each side gets fresh databases on the same PostgreSQL server, a county with stations and
stocked offers made through the API, then `--orders` orders of 3 lines placed with
`--in-flight` concurrent clients through the side's front door (nginx, or the all-in-one
uvicorn). Figures go to bench/results/split_orders.json and infra/README.md quotes them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["ENVIRONMENT"] = "test"

import httpx  # noqa: E402


def provision() -> None:
    from shared import devstack

    devstack.set_output(lambda message: None)
    for key, value in devstack.ensure_all().items():
        os.environ.setdefault(key, value)
    os.environ["MEILI_INDEX_PREFIX"] = f"bench{uuid.uuid4().hex[:6]}_"


async def arrange(base_url: str, stations: int, offers: int) -> tuple[list, list]:
    from tests.factories import bootstrap_admin, new_county
    from tests.repository.order_factories import buyer_with, stocked_offer

    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        admin = await bootstrap_admin(client)
        county = await new_county(client, admin)
        buyers = [await buyer_with(client, county, "cod") for _ in range(stations)]
        made = []
        warehouse = None
        for _ in range(offers):
            offer, warehouse = await stocked_offer(client, county, 100_000, warehouse=warehouse)
            made.append(offer)
    return buyers, made


async def place_orders(base_url: str, buyers: list, offers: list, n: int, in_flight: int):
    random.seed(7)
    plans = [
        (random.choice(buyers), random.sample(offers, 3), random.randint(1, 3)) for _ in range(n)
    ]
    latencies: list[float] = []
    failures: list[str] = []
    queue: asyncio.Queue = asyncio.Queue()
    for plan in plans:
        queue.put_nowait(plan)
    limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)

    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:

        async def one_client() -> None:
            while not queue.empty():
                buyer, chosen, cases = queue.get_nowait()
                body = {
                    "payment_method": "cod",
                    "lines": [{"offer_id": o["id"], "cases": cases} for o in chosen],
                }
                headers = {**buyer.headers, "Idempotency-Key": uuid.uuid4().hex}
                started = time.perf_counter()
                r = await client.post("/v1/repository/orders", json=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if r.status_code != 201:
                    failures.append(f"{r.status_code} {r.text[:120]}")

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(in_flight)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "orders": n,
        "failed": len(failures),
        "seconds": round(elapsed, 2),
        "orders_per_s": round((n - len(failures)) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        "first_failures": failures[:3],
    }


def split_side(replicas: int, args: argparse.Namespace) -> dict:
    from gateway.split import SplitDeployment, drop_service_databases, service_database_urls

    prefix = f"bench_{uuid.uuid4().hex[:6]}"
    env = dict(os.environ)
    env.update(service_database_urls(env["DATABASE_URL"], prefix))
    saved = dict(os.environ)
    os.environ.update(env)
    run_dir = REPO / ".local" / "bench" / f"split-{replicas}"
    deployment = SplitDeployment(env=env, run_dir=run_dir, replicas={"repository": replicas})
    try:
        deployment.plan()
        deployment.migrate()
        deployment.start()
        os.environ["JWKS_URL"] = deployment.env["JWKS_URL"]
        from shared.settings import reset_settings_cache

        reset_settings_cache()
        buyers, offers = asyncio.run(arrange(deployment.base_url, args.stations, args.offers))
        asyncio.run(place_orders(deployment.base_url, buyers, offers, 20, 4))  # warm up
        result = asyncio.run(
            place_orders(deployment.base_url, buyers, offers, args.orders, args.in_flight)
        )
    finally:
        deployment.stop()
        os.environ.clear()
        os.environ.update(saved)
        drop_service_databases(env["DATABASE_URL"], prefix)
    return result


def all_in_one_side(args: argparse.Namespace) -> dict:
    import asyncpg
    from sqlalchemy.engine import make_url

    from gateway.services import installed_services
    from gateway.split import free_port

    name = f"bench_{uuid.uuid4().hex[:6]}_all"
    server = make_url(os.environ["DATABASE_URL"])
    admin = server.set(drivername="postgresql", database="postgres")

    async def database(sql: str) -> None:
        conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(database(f'CREATE DATABASE "{name}"'))
    saved = dict(os.environ)
    os.environ["DATABASE_URL"] = server.set(database=name).render_as_string(hide_password=False)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    os.environ["JWKS_URL"] = f"{base_url}/v1/identity/.well-known/jwks.json"
    from shared.settings import reset_settings_cache

    reset_settings_cache()
    logs = REPO / ".local" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "gateway", "migrate"],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "gateway.app:app",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=REPO,
            stdout=open(logs / "all-api.log", "ab"),
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "gateway.worker",
                "worker",
                "-Q",
                ",".join(installed_services()),
                "--concurrency",
                "2",
                "-l",
                "WARNING",
            ],
            cwd=REPO,
            stdout=open(logs / "all-worker.log", "ab"),
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "all-in-one API not ready"
            time.sleep(0.3)
        buyers, offers = asyncio.run(arrange(base_url, args.stations, args.offers))
        asyncio.run(place_orders(base_url, buyers, offers, 20, 4))
        result = asyncio.run(place_orders(base_url, buyers, offers, args.orders, args.in_flight))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
        os.environ.clear()
        os.environ.update(saved)
        asyncio.run(database(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--stations", type=int, default=8)
    parser.add_argument("--offers", type=int, default=12)
    args = parser.parse_args()
    provision()
    results = {
        "all_in_one": all_in_one_side(args),
        "split_1_replica": split_side(1, args),
        "split_2_replicas": split_side(2, args),
    }
    one = results["split_1_replica"]["orders_per_s"]
    two = results["split_2_replicas"]["orders_per_s"]
    results["ratio_2_over_1"] = round(two / one, 2) if one else None
    results["ratio_split1_over_all_in_one"] = (
        round(one / results["all_in_one"]["orders_per_s"], 2)
        if results["all_in_one"]["orders_per_s"]
        else None
    )
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "split_orders.json").write_text(json.dumps(results, indent=2))
    print(f"{'side':<18} {'orders/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'failed':>7}")
    for side in ("all_in_one", "split_1_replica", "split_2_replicas"):
        r = results[side]
        print(
            f"{side:<18} {r['orders_per_s']:>9} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['failed']:>7}"
        )
    print(f"2 repository replicas / 1: {results['ratio_2_over_1']}×")


if __name__ == "__main__":
    main()
