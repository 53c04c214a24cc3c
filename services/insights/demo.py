"""Fengqiu demo history for the county dashboard (演示数据), clearly marked as such.

Insights is fed by events. The other services' demos publish what they make (suppliers,
products, stations, an order or two), and the worker carries those events here; that is
far too little for a programme dashboard (a year of sales, deliveries, livestream sessions,
year on year). So this part adds a history of last year and this year to date, as events
handed straight to the consumer (the same inbox and handlers as the worker), naming the demo's
real suppliers, stations and products:

- every event's `producer` is `insights-demo` and its id is derived from the region and a
  counter (uuid5), so a second run changes nothing (the inbox drops them);
- these events are in no producer's outbox: a rebuild (`POST /v1/insights/rebuild`)
  drops the history, and loading the demo again brings it back;
- the operator's own records (training, media reports) go through the API, titled 演示.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import httpx

from services.insights.db import kernel
from services.insights.events import handlers
from services.insights.readmodel.ingest import consume_batch
from shared.db import sessionmaker_for
from shared.tasks import celery_app

PRODUCER = "insights-demo"
NAMESPACE = uuid.UUID("6f1b8a52-3f1e-4f0e-9a57-1d2c0e5b7a10")
TZ = ZoneInfo("Asia/Shanghai")
STATION_KEYS = [
    "station-chengguan-dongjie",
    "station-chengguan-xiguan",
    "station-yinggang-nan",
    "station-huangde-bei",
]
CARRIERS = ["中通", "圆通", "韵达", "邮政", "申通"]
TOWNSHIPS = ["城关镇", "城关镇", "应举镇", "黄德镇"]


class _Ids:
    def __init__(self, region_id: uuid.UUID) -> None:
        self.region_id = region_id
        self.n = 0

    def next(self) -> uuid.UUID:
        self.n += 1
        return uuid.uuid5(NAMESPACE, f"{self.region_id}:{self.n}")


def _event(ids: _Ids, type_: str, data: dict[str, Any], at: datetime) -> dict[str, Any]:
    return {
        "id": str(ids.next()),
        "type": type_,
        "producer": PRODUCER,
        "occurred_at": at.astimezone(UTC).isoformat(),
        "region_id": str(ids.region_id),
        "request_id": None,
        "data": data,
    }


class DemoVariant(NamedTuple):
    variant_id: uuid.UUID
    product_id: uuid.UUID
    supplier_id: uuid.UUID


async def _variants(client: httpx.AsyncClient, region_id: uuid.UUID) -> list[DemoVariant]:
    """The demo's products on sale, as the catalog's public API lists them: at once, not
    when the catalog's events have reached the read model (the history names the ids; the
    figures join names, brands and townships at read time, so they are right as soon as
    those events arrive)."""
    found: list[tuple[str, DemoVariant]] = []
    params: dict[str, Any] = {"region_id": str(region_id), "limit": 100}
    while True:
        r = await client.get("/v1/catalog/products", params=params)
        if r.status_code != 200:
            raise RuntimeError(f"GET /v1/catalog/products → {r.status_code}: {r.text[:300]}")
        page = r.json()
        for p in page["items"]:
            for v in p["variants"]:
                ids = (uuid.UUID(v["id"]), uuid.UUID(p["id"]), uuid.UUID(p["supplier_id"]))
                found.append((p["name"], DemoVariant(*ids)))
        if not page.get("next_cursor"):
            break
        params["cursor"] = page["next_cursor"]
    return [v for _, v in sorted(found, key=lambda x: (x[0], str(x[1].variant_id)))]


def history(
    region_id: uuid.UUID,
    stations: list[uuid.UUID],
    variants: list[DemoVariant],
    today: date,
) -> list[dict[str, Any]]:
    """Orders, parcels, delivery runs, livestream sessions and sale lines from 1 January of
    last year to `today` (deterministic: the same every run)."""
    rnd = random.Random(f"{region_id}")
    ids = _Ids(region_id)
    out: list[dict[str, Any]] = []
    region = str(region_id)
    day = date(today.year - 1, 1, 1)
    while day <= today:
        growth = 1.35 if day.year == today.year else 1.0  # this year sells more
        # an order every other day or so (the figures are monthly: a small history loads
        # in seconds, `./dev up` stays quick)
        for _ in range(rnd.choice([0, 0, 1, 1, 2])):
            i = rnd.randrange(len(stations))
            at = datetime(day.year, day.month, day.day, rnd.randrange(7, 20), tzinfo=TZ)
            order_id = ids.next()
            lines = []
            for v in rnd.sample(variants, min(len(variants), rnd.randrange(1, 4))):
                quantity = rnd.randrange(2, 12)
                unit = int(rnd.randrange(3_000, 12_000) * growth)
                lines.append(
                    {
                        "line_id": str(ids.next()),
                        "variant_id": str(v.variant_id),
                        "supplier_id": str(v.supplier_id),
                        "quantity": quantity,
                        "unit_price_fen": unit,
                        "amount_fen": unit * quantity,
                    }
                )
            out.append(
                _event(
                    ids,
                    "repository.order.placed",
                    {
                        "order_id": str(order_id),
                        "buyer_org_id": str(stations[i]),
                        "region_id": region,
                        "total_fen": sum(x["amount_fen"] for x in lines),
                        "payment_method": "bank_transfer",
                        "lines": lines,
                    },
                    at,
                )
            )
            dispatched = at + timedelta(hours=rnd.randrange(14, 26))
            delivered = dispatched + timedelta(hours=rnd.choice([3, 5, 8, 20, 30]))
            out.append(
                _event(
                    ids,
                    "delivery.parcel.delivered",
                    {
                        "parcel_id": str(ids.next()),
                        "order_id": str(order_id),
                        "station_org_id": str(stations[i]),
                        "run_id": None,
                        "township": TOWNSHIPS[i % len(TOWNSHIPS)],
                        "carrier": rnd.choice(CARRIERS),
                        "dispatched_at": dispatched.isoformat(),
                        "delivered_at": delivered.isoformat(),
                    },
                    delivered,
                )
            )
        if day.weekday() == 0:  # a weekly route run with its vehicle cost
            run_id = str(ids.next())
            start = datetime(day.year, day.month, day.day, 6, tzinfo=TZ)
            for type_, at, extra in (
                ("delivery.run.started", start, {}),
                (
                    "delivery.run.completed",
                    start + timedelta(hours=9),
                    {
                        "parcels": {"delivered": rnd.randrange(12, 30)},
                        "weight_g": rnd.randrange(80_000, 200_000),
                        "cost_fen": 36_000,
                    },
                ),
            ):
                out.append(
                    _event(
                        ids,
                        type_,
                        {
                            "run_id": run_id,
                            "region_id": region,
                            "kind": "route" if day.month % 4 else "collection",
                            "delivery_date": day.isoformat(),
                            "at": at.isoformat(),
                            **extra,
                        },
                        at,
                    )
                )
        if day.weekday() == 5:  # Saturday evenings at the base: sessions overlap, and on
            # the first Saturday of the month the base runs (nearly) every room
            busy = day.day <= 7
            for k in range(rnd.randrange(10, 13) if busy else rnd.randrange(2, 5)):
                session_id = str(ids.next())
                start = datetime(day.year, day.month, day.day, 19, 10 * k % 60, tzinfo=TZ)
                end = start + timedelta(hours=2)
                base = {
                    "session_id": session_id,
                    "region_id": region,
                    "planned_start": start.isoformat(),
                    "started_at": start.isoformat(),
                }
                out.append(
                    _event(ids, "livestream.session.live", {**base, "ended_at": None}, start)
                )
                out.append(
                    _event(
                        ids,
                        "livestream.session.ended",
                        {**base, "ended_at": end.isoformat()},
                        end,
                    )
                )
                if not busy and k:
                    continue  # one sale line per quiet evening, one per room on busy ones
                v = rnd.choice(variants)
                paid = rnd.randrange(20_000, 200_000)
                refunded = paid // 4 if rnd.random() < 0.1 else 0
                out.append(
                    _event(
                        ids,
                        "livestream.sale_line.recorded",
                        {
                            "line_id": str(ids.next()),
                            "region_id": region,
                            "platform": "douyin",
                            "platform_order_id": f"demo-{ids.n}",
                            "session_id": session_id,
                            "streamer_org_id": None,
                            "agency_org_id": None,
                            "supplier_org_id": str(v.supplier_id),
                            "catalog_product_id": str(v.product_id),
                            "pool_entry_id": None,
                            "quantity": 1,
                            "paid_fen": paid,
                            "refunded_fen": refunded,
                            "status": "settled",
                            "paid_at": (start + timedelta(minutes=30)).isoformat(),
                            "settled_at": None,
                            "version": 1,
                        },
                        start + timedelta(minutes=30),
                    )
                )
        day += timedelta(days=1)
    return out


async def _records(client: httpx.AsyncClient, ctx: Any, today: date) -> None:
    base = f"/v1/insights/regions/{ctx.region_id}"
    headers = ctx.headers["operator"]
    have: set[str] = set()
    params: dict[str, Any] = {"year": today.year, "limit": 100}
    while True:
        r = await client.get(f"{base}/records", params=params, headers=headers)
        if r.status_code != 200:
            raise RuntimeError(f"GET {base}/records → {r.status_code}: {r.text[:300]}")
        page = r.json()
        have |= {x["title"] for x in page["items"]}
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    for kind, month, title, value, advanced in (
        ("training", 3, "演示：农村电商技能培训（第1期）", 1_200, 300),
        ("training", 6, "演示：直播带货提升培训", 800, 500),
        ("new_shops", 4, "演示：新开网店", 36, None),
        ("leaders", 5, "演示：电商带头人", 12, None),
        ("media_reports", 7, "演示：河南日报报道封丘电商", 1, None),
    ):
        if title in have:
            continue
        body: dict[str, Any] = {
            "kind": kind,
            "on_date": min(date(today.year, month, 15), today).isoformat(),
            "title": title,
            "value": value,
        }
        if advanced is not None:
            body["advanced"] = advanced
        r = await client.post(f"{base}/records", json=body, headers=headers)
        if r.status_code >= 400:
            raise RuntimeError(f"POST {base}/records → {r.status_code}: {r.text[:300]}")


HISTORY_TASK = "insights.load_demo_history"
HISTORY_DELAY_S = 10


def history_job(
    region_id: uuid.UUID, stations: list[uuid.UUID], variants: list[DemoVariant], today: date
) -> dict[str, Any]:
    """What the worker needs to make the history again (JSON, for the task's message)."""
    return {
        "region_id": str(region_id),
        "stations": [str(s) for s in stations],
        "variants": [[str(x) for x in v] for v in variants],
        "today": today.isoformat(),
    }


async def load_history(job: dict[str, Any]) -> int:
    """Hand the history to the consumer (the worker's `insights.load_demo_history`):
    returns how many events were new (0 when it was loaded before)."""
    history_events = history(
        uuid.UUID(job["region_id"]),
        [uuid.UUID(s) for s in job["stations"]],
        [DemoVariant(*(uuid.UUID(x) for x in v)) for v in job["variants"]],
        date.fromisoformat(job["today"]),
    )
    maker = sessionmaker_for(kernel)
    new = 0
    for i in range(0, len(history_events), 500):
        new += await consume_batch(maker, handlers, history_events[i : i + 500])
    return new


async def load(client: httpx.AsyncClient, ctx: Any) -> None:
    """The operator's records at once; the history in the background (the worker's
    `insights.load_demo_history`, `HISTORY_DELAY_S` later), so `./dev up` waits neither for
    the catalog's events nor for the history: the dashboard fills in seconds after `up` is
    ready. Without a broker, here and now."""
    region_id = ctx.region_id
    today = datetime.now(TZ).date()
    stations = [ctx.orgs[k] for k in STATION_KEYS if k in ctx.orgs]
    variants = await _variants(client, region_id)
    if not variants or not stations:
        ctx.extra["insights_demo_events"] = 0
        return
    await _records(client, ctx, today)
    job = history_job(region_id, stations, variants, today)
    ctx.extra["insights_demo_job"] = job
    ctx.extra["insights_demo_events"] = len(history(region_id, stations, variants, today))
    try:
        # after a pause: `./dev up` is ready once the queues are empty, and one solo worker
        # runs every queue; a delayed task is held by the worker, off the queue, meanwhile
        celery_app.send_task(HISTORY_TASK, args=[job], queue="insights", countdown=HISTORY_DELAY_S)
    except Exception:  # no broker (a bare `seed` without Redis): load it here
        await load_history(job)
