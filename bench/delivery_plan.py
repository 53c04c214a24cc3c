"""Plan a county-sized delivery day: 20 routes, 400 stops, 10,000 parcels.

Provisions its own database (bench_delivery), loads the network and parcels, then times
`plan_day` (runs per route with capacity split and cold chain) a few times, resetting the
plan between runs. Prints the figures and writes them to bench/results/delivery.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "bench_delivery"
os.environ["DATABASE_URL"] = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB}"

ROUTES, STOPS, PARCELS, REPEATS = 20, 400, 10_000, 3
DAY = date(2026, 12, 1)


def provision() -> None:
    for sql in (f"drop database if exists {DB}", f"create database {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    from shared.migrations import upgrade

    upgrade("delivery")


async def load(region_id: uuid.UUID) -> None:
    from services.delivery.db import kernel
    from services.delivery.models import Parcel, Route, RouteStop, Stop, Vehicle
    from services.delivery.planning import new_tracking_number
    from shared.db import sessionmaker_for

    rng = random.Random(7)
    async with sessionmaker_for(kernel)() as session:
        stops = [
            Stop(
                id=uuid.uuid4(),
                region_id=region_id,
                kind="station",
                name=f"村站{i}",
                station_org_id=uuid.uuid4(),
            )
            for i in range(STOPS)
        ]
        session.add_all(stops)
        vehicles = [
            Vehicle(
                id=uuid.uuid4(),
                region_id=region_id,
                plate=f"豫G{i:05d}",
                max_weight_g=1_500_000,
                max_volume_cm3=8_000_000,
                cold_chain=i % 4 == 0,
            )
            for i in range(ROUTES)
        ]
        session.add_all(vehicles)
        await session.flush()
        per_route = STOPS // ROUTES
        placements = []
        for r in range(ROUTES):
            route = Route(
                id=uuid.uuid4(),
                region_id=region_id,
                name=f"线路{r:02d}",
                weekdays=[1, 2, 3, 4, 5, 6, 7],
                departure_time=clock(7, 30),
                vehicle_id=vehicles[r].id,
            )
            session.add(route)
            await session.flush()
            for seq in range(1, per_route + 1):
                stop = stops[r * per_route + seq - 1]
                session.add(RouteStop(route_id=route.id, sequence=seq, stop_id=stop.id))
                placements.append((route.id, seq, stop))
        await session.flush()
        for _ in range(PARCELS):
            route_id, seq, stop = rng.choice(placements)
            session.add(
                Parcel(
                    region_id=region_id,
                    tracking_number=new_tracking_number(),
                    station_org_id=stop.station_org_id,
                    stop_id=stop.id,
                    route_id=route_id,
                    stop_sequence=seq,
                    delivery_date=DAY,
                    weight_g=rng.randint(200, 5_000),
                    volume_cm3=rng.randint(500, 20_000),
                    chilled=rng.random() < 0.05,
                )
            )
        await session.commit()


async def plan_once(region_id: uuid.UUID) -> tuple[float, int, int, int]:
    from sqlalchemy import delete, update

    from services.delivery.db import kernel
    from services.delivery.models import Parcel, Run, RunTransition
    from services.delivery.runs.service import plan_day
    from shared.auth.principal import Principal
    from shared.db import sessionmaker_for

    admin = Principal(user_id=uuid.uuid4(), platform_admin=True)
    async with sessionmaker_for(kernel)() as session:
        await session.execute(update(Parcel).values(run_id=None))
        await session.execute(delete(RunTransition))
        await session.execute(delete(Run))
        await session.commit()
    async with sessionmaker_for(kernel)() as session:
        started = time.perf_counter()
        runs, unplaced = await plan_day(session, admin, region_id, DAY)
        await session.commit()
        elapsed = time.perf_counter() - started
    overloaded = sum(run.overloaded for run in runs)
    return elapsed, len(runs), len(unplaced), overloaded


async def main() -> dict:
    from shared.db import dispose_engines

    region_id = uuid.uuid4()
    started = time.perf_counter()
    await load(region_id)
    load_seconds = time.perf_counter() - started
    timings, last = [], None
    for _ in range(REPEATS):
        elapsed, runs, unplaced, overloaded = await plan_once(region_id)
        timings.append(elapsed)
        last = (runs, unplaced, overloaded)
    await dispose_engines()
    return {
        "benchmark": "delivery_plan",
        "routes": ROUTES,
        "stops": STOPS,
        "parcels": PARCELS,
        "load_seconds": round(load_seconds, 2),
        "plan_seconds_median": round(statistics.median(timings), 3),
        "plan_seconds_all": [round(t, 3) for t in timings],
        "runs_built": last[0],
        "chilled_parcels_waiting_for_cold_chain": last[1],
        "overloaded_runs": last[2],
    }


if __name__ == "__main__":
    provision()
    result = asyncio.run(main())
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "delivery.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
