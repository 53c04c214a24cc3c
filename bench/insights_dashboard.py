"""Benchmark: a county's year (1,000,000 order lines) into the insights read model, and the
dashboard from the read model beside the same figures by one SQL query over raw rows.

    .venv/bin/python bench/insights_dashboard.py [--lines 1000000] [--rounds 40]

Uses DATABASE_URL when set, otherwise the local devstack. Creates a throwaway database
(insights schema only) and drops it at the end. Ingest goes through the real consumer
path (inbox + the same handlers as the worker), 500 events per transaction
(`services.insights.readmodel.ingest.consume_batch`). The raw rows for the reference
query are bulk-loaded with COPY. Results: stdout and bench/results/insights.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LINES_PER_ORDER = 20
SUPPLIERS = 200
VARIANTS = 600
STATIONS = 300
BATCH = 500


def provision() -> tuple[str, str, str]:
    import asyncpg
    from sqlalchemy.engine import make_url

    from shared import devstack

    server = os.environ.get("DATABASE_URL") or devstack.ensure_postgres()
    name = f"bench_insights_{uuid.uuid4().hex[:8]}"
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
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from shared.migrations import upgrade

    upgrade("insights")
    raw = url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    return admin, name, raw


def drop(admin: str, name: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(run())


def ev(type_: str, region: uuid.UUID, data: dict[str, Any], at: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": type_,
        "producer": type_.split(".")[0],
        "occurred_at": at.isoformat(),
        "region_id": str(region),
        "request_id": None,
        "data": data,
    }


def county(region: uuid.UUID, lines: int, rnd: random.Random) -> tuple[list, list, list, list]:
    """Reference events, order events, and the raw rows (lines, products) for COPY."""
    ref: list[dict[str, Any]] = [
        ev(
            "identity.region.created",
            region,
            {"region_id": str(region), "name": "封丘县", "timezone": "Asia/Shanghai"},
            datetime(2024, 1, 1, tzinfo=UTC),
        )
    ]
    at0 = datetime(2024, 1, 2, tzinfo=UTC)
    towns = ["城关镇", "黄陵镇", "陈固镇", "王村乡", "居厢乡"]
    suppliers = [uuid.uuid4() for _ in range(SUPPLIERS)]
    supplier_rows = []
    for i, s in enumerate(suppliers):
        households = i % 5 == 0
        supplier_rows.append((s, towns[i % 5], households))
        ref.append(
            ev(
                "suppliers.supplier.approved",
                region,
                {
                    "supplier_id": str(s),
                    "region_id": str(region),
                    "legal_name": f"企业{i}",
                    "display_name": f"企业{i}",
                    "township": towns[i % 5],
                    "supports_households": households,
                    "reason": None,
                },
                at0,
            )
        )
    variants = []
    product_rows = []
    for k in range(VARIANTS):
        s = suppliers[k % SUPPLIERS]
        p, v = uuid.uuid4(), uuid.uuid4()
        brand = "封丘金银花" if k % 3 == 0 else None
        variants.append((v, s, brand))
        product_rows.append((v, s, brand))
        ref.append(
            ev(
                "catalog.product.published",
                region,
                {
                    "product_id": str(p),
                    "region_id": str(region),
                    "supplier_id": str(s),
                    "name": f"产品{k}",
                    "brand": brand,
                    "variants": [{"variant_id": str(v)}],
                },
                at0,
            )
        )
    stations = [uuid.uuid4() for _ in range(STATIONS)]
    for i, st in enumerate(stations):
        ref.append(
            ev(
                "identity.organisation.approved",
                region,
                {
                    "organisation_id": str(st),
                    "region_id": str(region),
                    "kind": "station",
                    "name": f"服务站{i}",
                    "status": "active",
                    "timezone": "Asia/Shanghai",
                },
                at0,
            )
        )
    orders: list[dict[str, Any]] = []
    raw_lines: list[tuple] = []
    n_orders = lines // LINES_PER_ORDER
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 1, 1, tzinfo=UTC) - start).total_seconds()
    for _ in range(n_orders):
        order_id = uuid.uuid4()
        buyer = stations[rnd.randrange(STATIONS)]
        at = start + timedelta(seconds=rnd.random() * span)
        picks = rnd.sample(variants, LINES_PER_ORDER)
        order_lines = []
        for v, s, _brand in picks:
            amount = rnd.randrange(1, 200) * 1_000
            order_lines.append(
                {
                    "line_id": str(uuid.uuid4()),
                    "variant_id": str(v),
                    "supplier_id": str(s),
                    "quantity": 1,
                    "unit_price_fen": amount,
                    "amount_fen": amount,
                }
            )
        orders.append(
            ev(
                "repository.order.placed",
                region,
                {
                    "order_id": str(order_id),
                    "buyer_org_id": str(buyer),
                    "region_id": str(region),
                    "total_fen": sum(x["amount_fen"] for x in order_lines),
                    "payment_method": "card",
                    "lines": order_lines,
                },
                at,
            )
        )
        cancelled = rnd.random() < 0.02
        shortened_line = None
        if cancelled:
            orders.append(
                ev(
                    "repository.order.cancelled",
                    region,
                    {"order_id": str(order_id), "buyer_org_id": str(buyer)},
                    at,
                )
            )
        elif rnd.random() < 0.05:
            shortened_line = order_lines[0]
            orders.append(
                ev(
                    "repository.order.line_shortened",
                    region,
                    {
                        "order_id": str(order_id),
                        "line_id": shortened_line["line_id"],
                        "variant_id": shortened_line["variant_id"],
                        "supplier_id": shortened_line["supplier_id"],
                        "quantity_shortened": 1,
                        "amount_fen": shortened_line["amount_fen"] // 2,
                    },
                    at + timedelta(hours=6),
                )
            )
        for x in order_lines:
            net = x["amount_fen"]
            if x is shortened_line:
                net -= x["amount_fen"] // 2
            raw_lines.append(
                (
                    region,
                    at,
                    order_id,
                    uuid.UUID(x["line_id"]),
                    uuid.UUID(x["variant_id"]),
                    uuid.UUID(x["supplier_id"]),
                    buyer,
                    0 if cancelled else net,
                )
            )
    rnd.shuffle(orders)
    return ref, orders, raw_lines, [product_rows, supplier_rows, stations]


REFERENCE_SQL = """
WITH l AS (
  SELECT r.*, date_trunc('month', r.placed_at AT TIME ZONE 'Asia/Shanghai')::date AS month
  FROM raw_lines r WHERE r.region_id = $1
), cur AS (SELECT * FROM l WHERE month BETWEEN $2 AND $3),
prev AS (SELECT * FROM l WHERE month BETWEEN $4 AND $5),
per_supplier AS (SELECT supplier_id, sum(net_fen) AS fen FROM cur GROUP BY supplier_id)
SELECT
  (SELECT count(*) FROM per_supplier WHERE fen >= 20000000) AS enterprises,
  (SELECT coalesce(sum(c.net_fen), 0) FROM cur c JOIN raw_suppliers s USING (supplier_id)
     WHERE s.households) AS household_fen,
  (SELECT coalesce(sum(c.net_fen), 0) FROM cur c JOIN raw_products p USING (variant_id)
     WHERE p.brand IS NOT NULL) AS brand_fen,
  (SELECT coalesce(sum(c.net_fen), 0) FROM prev c JOIN raw_products p USING (variant_id)
     WHERE p.brand IS NOT NULL) AS brand_prev_fen,
  (SELECT count(DISTINCT c.supplier_id) FROM cur c JOIN raw_products p USING (variant_id)
     WHERE p.brand IS NOT NULL AND c.net_fen > 0) AS traced,
  (SELECT coalesce(sum(net_fen), 0) FROM cur) AS upstream_fen,
  (SELECT json_agg(x ORDER BY x.month) FROM (
     SELECT month, count(DISTINCT buyer_org_id) FILTER (WHERE net_fen > 0) AS stations,
            sum(net_fen) AS fen FROM cur GROUP BY month) x) AS months
"""


async def main(args: argparse.Namespace) -> dict[str, Any]:
    import asyncpg

    from services.insights.db import kernel
    from services.insights.events import handlers
    from services.insights.figures.repository import Filters
    from services.insights.figures.rules import Period
    from services.insights.figures.service import compute
    from services.insights.readmodel.ingest import consume_batch
    from shared.db import sessionmaker_for

    rnd = random.Random(42)
    region = uuid.uuid4()
    t = time.perf_counter()
    ref, orders, raw_lines, (products, suppliers, _stations) = county(region, args.lines, rnd)
    generate_s = time.perf_counter() - t
    maker = sessionmaker_for(kernel)
    await consume_batch(maker, handlers, ref)

    print(f"generated {len(raw_lines)} lines in {generate_s:.1f}s", flush=True)
    t = time.perf_counter()
    for i in range(0, len(orders), BATCH):
        await consume_batch(maker, handlers, orders[i : i + BATCH])
        if i % (BATCH * 40) == 0:
            print(f"  ingested {i} events, {time.perf_counter() - t:.1f}s", flush=True)
    ingest_s = time.perf_counter() - t

    conn = await asyncpg.connect(args.raw_url)
    t = time.perf_counter()
    await conn.execute(
        "CREATE TABLE raw_lines (region_id uuid, placed_at timestamptz, order_id uuid,"
        " line_id uuid, variant_id uuid, supplier_id uuid, buyer_org_id uuid, net_fen bigint);"
        "CREATE TABLE raw_products (variant_id uuid, supplier_id uuid, brand text);"
        "CREATE TABLE raw_suppliers (supplier_id uuid, township text, households bool)"
    )
    await conn.copy_records_to_table("raw_lines", records=raw_lines)
    await conn.copy_records_to_table("raw_products", records=products)
    await conn.copy_records_to_table("raw_suppliers", records=suppliers)
    await conn.execute("ANALYZE raw_lines; ANALYZE raw_products; ANALYZE raw_suppliers")
    copy_s = time.perf_counter() - t

    period = Period(2025)
    prev = period.previous()
    sql_times, dash_times = [], []
    reference = None
    for _ in range(args.sql_rounds):
        t = time.perf_counter()
        reference = await conn.fetchrow(
            REFERENCE_SQL, region, period.start, period.end, prev.start, prev.end
        )
        sql_times.append((time.perf_counter() - t) * 1000)
    await conn.close()
    figures = None
    today = date(2026, 1, 15)
    for _ in range(args.rounds):
        async with maker() as session:
            t = time.perf_counter()
            figures = await compute(session, Filters(region, period), today=today)
            dash_times.append((time.perf_counter() - t) * 1000)
    assert figures is not None and reference is not None
    months = json.loads(reference["months"])
    agree = {
        "enterprise_sales": figures["enterprise_sales"].value == reference["enterprises"],
        "household_sales": figures["household_sales"].value == reference["household_fen"],
        "brand_now": figures["brand_growth"].detail["current_fen"] == reference["brand_fen"],
        "brand_before": figures["brand_growth"].detail["previous_fen"]
        == reference["brand_prev_fen"],
        "traceability": figures["traceability"].value == reference["traced"],
        "upstream": figures["growth"].detail["upstream_fen"] == reference["upstream_fen"],
        "stations_months": [m["stations"] for m in figures["stations_reporting"].detail["months"]]
        == [m["stations"] for m in months],
    }
    events = len(orders)
    result = {
        "order_lines": len(raw_lines),
        "order_events": events,
        "generate_s": round(generate_s, 1),
        "ingest_s": round(ingest_s, 1),
        "ingest_lines_per_s": round(len(raw_lines) / ingest_s),
        "ingest_events_per_s": round(events / ingest_s),
        "copy_raw_s": round(copy_s, 1),
        "dashboard_p50_ms": round(statistics.median(dash_times), 1),
        "dashboard_p95_ms": round(sorted(dash_times)[int(len(dash_times) * 0.95) - 1], 1),
        "raw_sql_p50_ms": round(statistics.median(sql_times), 1),
        "figures_agree": agree,
    }
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--sql-rounds", type=int, default=5)
    args = parser.parse_args()
    admin, name, args.raw_url = provision()
    try:
        from shared.db import dispose_engines

        async def run() -> dict[str, Any]:
            try:
                return await main(args)
            finally:
                await dispose_engines()

        result = asyncio.run(run())
    finally:
        drop(admin, name)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = REPO / "bench" / "results" / "insights.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
