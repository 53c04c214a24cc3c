"""The Fengqiu delivery network: the county warehouse, township hubs, the demo village
stations on two fixed routes, farms for upstream collection, an ambient van and a
cold-chain van, and the demo driver (13800000051) on both routes.

Called by `python -m gateway seed` (gateway/seed.py) through the public API; idempotent
(stops, vehicles and routes are found by name or plate before they are made).
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

D = "/v1/delivery"
WAREHOUSE = "封丘县仓配中心"
# name, township, latitude, longitude
HUBS = [
    ("城关镇乡镇网点", "城关镇", 35.041, 114.418),
    ("应举镇乡镇网点", "应举镇", 35.112, 114.352),
    ("黄德镇乡镇网点", "黄德镇", 35.003, 114.541),
]
# org key, village stop name, township, village, latitude, longitude
STATIONS = [
    ("station-chengguan-dongjie", "东街村服务站", "城关镇", "东街村", 35.044, 114.425),
    ("station-chengguan-xiguan", "西关村服务站", "城关镇", "西关村", 35.039, 114.407),
    ("station-yinggang-nan", "应举镇南村服务站", "应举镇", "南村", 35.105, 114.357),
    ("station-huangde-bei", "黄德镇北街村服务站", "黄德镇", "北街村", 35.010, 114.545),
]
# supplier key, farm name, township, village, latitude, longitude
FARMS = [
    ("supplier-honeysuckle", "前吴村金银花基地", "应举镇", "前吴村", 35.121, 114.339),
    ("supplier-celery", "荆隆宫封芹基地", "荆乡回族乡", "荆隆宫村", 35.080, 114.270),
]
VEHICLES = [
    {"plate": "豫G·F1001", "max_weight_g": 1_500_000, "max_volume_cm3": 8_000_000,
     "cold_chain": False, "cost_per_run_fen": 28_000},
    {"plate": "豫G·L2002", "max_weight_g": 1_000_000, "max_volume_cm3": 5_000_000,
     "cold_chain": True, "cost_per_run_fen": 36_000},
]  # fmt: skip
# name, weekdays, departure, vehicle plate, stop names in driving order
ROUTES = [
    (
        "城关线",
        [1, 2, 3, 4, 5, 6, 7],
        "07:30",
        "豫G·L2002",
        [WAREHOUSE, "城关镇乡镇网点", "东街村服务站", "西关村服务站"],
    ),
    (
        "应举—黄德线",
        [1, 2, 3, 4, 5, 6],
        "08:00",
        "豫G·F1001",
        [WAREHOUSE, "应举镇乡镇网点", "应举镇南村服务站", "黄德镇乡镇网点", "黄德镇北街村服务站"],
    ),
]


async def _all(client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any):
    items, cursor = [], None
    while True:
        query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"{D}{path}", params=query, headers=headers)
        r.raise_for_status()
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if cursor is None:
            return items


async def load(client: httpx.AsyncClient, ctx: Any) -> None:
    operator = ctx.headers["operator"]
    region = {"region_id": str(ctx.region_id)}
    driver = (await client.get("/v1/identity/me", headers=ctx.headers["driver"])).json()["id"]

    stops = {s["name"]: s["id"] for s in await _all(client, "/stops", operator, **region)}

    async def add_stop(name: str, kind: str, **fields: Any) -> None:
        if name in stops:
            return
        r = await client.post(
            f"{D}/stops", json={**region, "kind": kind, "name": name, **fields}, headers=operator
        )
        r.raise_for_status()
        stops[name] = r.json()["id"]

    # the stops, then the vehicles, are independent of one another: all at once
    await asyncio.gather(
        add_stop(
            WAREHOUSE,
            "warehouse",
            township="城关镇",
            latitude=35.047,
            longitude=114.431,
            opening_hours="06:00-20:00",
        ),
        *(
            add_stop(name, "hub", township=township, latitude=lat, longitude=lon)
            for name, township, lat, lon in HUBS
        ),
        *(
            add_stop(
                name,
                "station",
                township=township,
                village=village,
                station_org_id=str(ctx.orgs[key]),
                latitude=lat,
                longitude=lon,
                opening_hours="08:00-21:00",
            )
            for key, name, township, village, lat, lon in STATIONS
        ),
        *(
            add_stop(
                name,
                "farm",
                township=township,
                village=village,
                supplier_org_id=str(ctx.orgs[key]),
                latitude=lat,
                longitude=lon,
            )
            for key, name, township, village, lat, lon in FARMS
        ),
    )

    vehicles = {v["plate"]: v["id"] for v in await _all(client, "/vehicles", operator, **region)}

    async def add_vehicle(spec: dict[str, Any]) -> None:
        r = await client.post(f"{D}/vehicles", json={**region, **spec}, headers=operator)
        r.raise_for_status()
        vehicles[spec["plate"]] = r.json()["id"]

    await asyncio.gather(*(add_vehicle(s) for s in VEHICLES if s["plate"] not in vehicles))

    routes = {r["name"] for r in await _all(client, "/routes", operator, **region)}
    for name, weekdays, departure, plate, stop_names in ROUTES:
        if name in routes:
            continue
        r = await client.post(
            f"{D}/routes",
            json={
                **region,
                "name": name,
                "weekdays": weekdays,
                "departure_time": departure,
                "vehicle_id": vehicles[plate],
                "driver_user_id": driver,
                "stop_ids": [stops[s] for s in stop_names],
            },
            headers=operator,
        )
        r.raise_for_status()
