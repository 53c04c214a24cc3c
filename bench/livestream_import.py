"""Import a 100,000-line Douyin export through the livestream sales import, beside a plain
COPY of the same rows into a table, in the same run and database.

Provisions its own database (bench_livestream), migrates livestream, writes the CSV once,
then times (1) `read_csv` + `import_rows` (parse and validate; under the platform's import
lock, one query for the order ids already recorded; map, attribute, rate and split each new
line while a binary COPY streams it straight into sale_lines, its events built on the way,
500 lines to a `livestream.sale_lines.recorded`; one COPY of those events into the outbox)
and commit, (2) the same file again (every row already recorded: the staging COPY and one
INSERT … ON CONFLICT … DO UPDATE … WHERE changed), (3) asyncpg `copy_records_to_table` of
the parsed rows into an unindexed table of the same columns, at its best of COPY_RUNS runs
(each into a new table), (4) the floor: the finished lines COPYed, already encoded, into a
table with sale_lines' columns and indexes, (5) the relay draining the import's outbox rows
in its batches (sending to a counter, not to Redis), and the two consumers. Prints lines/s
of each, the ratios and the import's phases; writes bench/results/livestream.json with its
goals (import within 5× of COPY).
"""

from __future__ import annotations

import asyncio
import csv
import gc
import io
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "bench_livestream"
SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5440")
os.environ["DATABASE_URL"] = SERVER.replace("postgresql://", "postgresql+asyncpg://") + f"/{DB}"
LINES = int(os.environ.get("BENCH_LINES", "100000"))
COPY_RUNS = 3  # the plain COPY at its best: the fastest of these runs
FIELDS = [
    "order_id",
    "product_id",
    "author_id",
    "pay_amount",
    "commission_rate",
    "flow_point",
    "pay_success_time",
    "settle_time",
    "refund_time",
]


async def provision() -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{SERVER}/postgres")
    await conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    await conn.execute(f"CREATE DATABASE {DB}")
    await conn.close()
    from shared.migrations import upgrade

    await asyncio.to_thread(upgrade, "livestream")
    await asyncio.to_thread(upgrade, "insights")  # the second consumer of the lines


def export() -> bytes:
    base = datetime(2026, 11, 1, tzinfo=UTC)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for i in range(LINES):
        writer.writerow(
            {
                "order_id": f"DY{i:012d}",
                "product_id": f"P{i % 50}",
                "author_id": f"A{i % 20}",
                "pay_amount": 1990 + i % 5000,
                "commission_rate": 2000,
                "flow_point": "PAY_SUCC",
                "pay_success_time": (base + timedelta(seconds=i * 20)).isoformat(),
                "settle_time": "",
                "refund_time": "",
            }
        )
    return out.getvalue().encode()


def timed(phases: dict[str, float], cls: type, name: str) -> None:
    """Time every call of `cls.name` into phases[name] (the bench's own instrument)."""
    original = getattr(cls, name)

    async def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

    setattr(cls, name, wrapper)


async def main() -> None:
    await provision()
    from sqlalchemy import text

    from services.livestream.db import kernel
    from services.livestream.settlement import service
    from services.livestream.settlement.columns import parse_row
    from services.livestream.settlement.repository import LINES_PER_EVENT, SaleLineRepository
    from shared.auth.principal import Principal
    from shared.db import get_engine, sessionmaker_for
    from shared.events import relay_outbox
    from shared.tasks import RELAY_BATCH, RELAY_BATCHES

    phases: dict[str, float] = {}
    steps = (
        "lock_imports",
        "recorded",
        "copy_new",
        "copy_events",
        "stage",
        "foreign_region_rows",
        "upsert",
    )
    for name in steps:
        timed(phases, SaleLineRepository, name)

    data = export()
    region_id = uuid.uuid4()
    admin = Principal(user_id=uuid.uuid4(), platform_admin=True)

    started = time.perf_counter()
    async with sessionmaker_for(kernel)() as session:
        rows = service.read_csv(data)
        read_at = time.perf_counter()
        report = await service.import_rows(
            session, admin, region_id=region_id, platform="douyin", rows=rows, mode="good_rows"
        )
        imported_at = time.perf_counter()
        await session.commit()
    import_s = time.perf_counter() - started
    assert report.created == LINES, report
    sql = sum(phases.get(name, 0.0) for name in steps)
    staged = sum(phases.get(name, 0.0) for name in ("stage", "foreign_region_rows", "upsert"))
    import_phases = {
        "read_csv": round(read_at - started, 2),
        # parse + validate every row, load the attribution/rate context (the attribution,
        # rate, split and events of each new line are built inside the COPY's streaming)
        "python_parse_validate_context": round(imported_at - read_at - sql, 2),
        "lock_and_lookup_recorded": round(phases["lock_imports"] + phases["recorded"], 2),
        "build_and_copy_new_lines_and_their_events": round(phases["copy_new"], 2),
        "copy_events_into_outbox": round(phases["copy_events"], 2),
        "staging_and_upsert_of_recorded": round(staged, 2),
        "commit": round(time.perf_counter() - imported_at, 2),
    }
    phases.clear()

    sends = 0
    delivered: dict[str, list[dict]] = {}

    def send(task: str, payload: dict, queue: str) -> None:
        nonlocal sends
        sends += 1
        delivered.setdefault(queue, []).append(payload)

    started = time.perf_counter()
    relayed, runs = 0, 0
    while True:
        batch = await relay_outbox(
            sessionmaker_for(kernel), send, batch_size=RELAY_BATCH, max_batches=RELAY_BATCHES
        )
        relayed, runs = relayed + batch, runs + 1
        if batch < RELAY_BATCH * RELAY_BATCHES:
            break
    relay_s = time.perf_counter() - started
    events = -(-LINES // LINES_PER_EVENT)
    assert relayed == events, (relayed, events)

    # the two consumers handle what the relay sent them, each event in its own transaction
    # with the inbox (shared.events.consume_event, as their Celery tasks do)
    from services.insights.db import kernel as insights_kernel
    from services.insights.events import handlers as insights_handlers
    from services.livestream.events import handlers as livestream_handlers
    from shared.events import consume_event

    consumers = {}
    for queue, consumer_kernel, handlers in (
        ("livestream", kernel, livestream_handlers),
        ("insights", insights_kernel, insights_handlers),
    ):
        started = time.perf_counter()
        maker = sessionmaker_for(consumer_kernel)
        for payload in delivered[queue]:
            assert await consume_event(maker, handlers, payload)
        consumers[queue] = time.perf_counter() - started
    async with sessionmaker_for(insights_kernel)() as session:
        counted = await session.scalar(text("SELECT count(*) FROM insights.stream_sale_lines"))
    assert counted == LINES, counted

    started = time.perf_counter()
    async with sessionmaker_for(kernel)() as session:
        again = await service.import_rows(
            session,
            admin,
            region_id=region_id,
            platform="douyin",
            rows=service.read_csv(data),
            mode="all_or_nothing",
        )
        await session.commit()
    reimport_s = time.perf_counter() - started
    reimport_phases = {name: round(v, 2) for name, v in phases.items()}
    assert again.unchanged == LINES and again.created == again.updated == 0, again

    parsed = [parse_row("douyin", r) for r in service.read_csv(data)]
    records = [
        (
            uuid.uuid4(),
            region_id,
            "douyin",
            p["platform_order_id"],
            p["platform_product_id"],
            p["author_id"],
            p["paid_fen"],
            p["commission_rate_bps"],
            p["platform_status"],
            p["paid_at"],
        )
        for p in parsed
    ]
    import asyncpg

    conn = await asyncpg.connect(f"{SERVER}/{DB}")
    copy_runs = []
    # the COPY at its best: no collector passes over the run's earlier objects (the import
    # pauses the collector while it builds its rows, too)
    gc.collect()
    gc.disable()
    for run in range(COPY_RUNS):
        await conn.execute(
            f"CREATE TABLE copy_lines_{run} (id uuid, region_id uuid, platform text,"
            " platform_order_id text, platform_product_id text, author_id text, paid_fen bigint,"
            " commission_rate_bps int, status text, paid_at timestamptz)"
        )
        started = time.perf_counter()
        await conn.copy_records_to_table(f"copy_lines_{run}", records=records)
        copy_runs.append(time.perf_counter() - started)
    gc.enable()
    copy_s = min(copy_runs)
    # the floor of storing these lines at all: the finished rows (every column the import
    # computes) COPYed, already encoded, into a table with sale_lines' columns and indexes
    finished = io.BytesIO()
    await conn.copy_from_query(
        "SELECT * FROM livestream.sale_lines ORDER BY id", output=finished, format="binary"
    )
    await conn.execute("CREATE TABLE floor_lines (LIKE livestream.sale_lines INCLUDING ALL)")
    await conn.execute("CHECKPOINT")
    finished.seek(0)
    started = time.perf_counter()
    await conn.copy_to_table("floor_lines", source=finished, format="binary")
    floor_s = time.perf_counter() - started
    floor_indexes = await conn.fetchval(
        "SELECT count(*) FROM pg_indexes WHERE tablename = 'floor_lines'"
    )
    await conn.close()
    await get_engine().dispose()

    ratio = import_s / copy_s
    result = {
        "goals": [
            {
                "goal": f"importing a {LINES:,}-line export, vs a plain COPY of the same rows",
                "target": "within 5x of COPY",
                "figure": f"{ratio:.1f}x ({round(LINES / import_s):,} lines/s)",
                "met": ratio <= 5,
            }
        ],
        "lines": LINES,
        "import_seconds": round(import_s, 2),
        "import_lines_per_s": round(LINES / import_s),
        "import_phases_seconds": import_phases,
        "reimport_seconds": round(reimport_s, 2),
        "reimport_phases_seconds": reimport_phases,
        "relay_seconds": round(relay_s, 2),
        "relay_runs": runs,
        "relay_sends": sends,
        "events": events,
        "consumer_seconds": {q: round(v, 2) for q, v in consumers.items()},
        "consumer_lines_per_s": {q: round(LINES / v) for q, v in consumers.items()},
        "copy_seconds": round(copy_s, 2),
        "copy_runs_seconds": [round(c, 2) for c in copy_runs],
        "copy_lines_per_s": round(LINES / copy_s),
        "ratio": round(ratio, 1),
        "floor_seconds": round(floor_s, 2),
        "floor_indexes": floor_indexes,
        "floor_over_copy": round(floor_s / copy_s, 1),
        "import_over_floor": round(import_s / floor_s, 1),
        "load_average": os.getloadavg()[0],
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "livestream.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
