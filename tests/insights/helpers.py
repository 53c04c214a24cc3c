"""A county's year as events, fed straight into the insights consumer path."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from services.insights.db import kernel
from services.insights.events import handlers
from shared.db import sessionmaker_for
from shared.events import Event, consume_event


def ev(type_: str, region_id: uuid.UUID, data: dict[str, Any], at: datetime) -> dict[str, Any]:
    return Event(
        type=type_, producer=type_.split(".")[0], occurred_at=at, region_id=region_id, data=data
    ).model_dump(mode="json")


async def feed(events: list[dict[str, Any]]) -> None:
    maker = sessionmaker_for(kernel)
    for payload in events:
        await consume_event(maker, handlers, payload)


def utc(y: int, m: int, d: int, h: int = 4) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


@dataclass
class Year:
    """Events for one county over two years, and the totals they must give."""

    region_id: uuid.UUID
    events: list[dict[str, Any]] = field(default_factory=list)
    expected: dict[str, Any] = field(default_factory=dict)
    suppliers: list[uuid.UUID] = field(default_factory=list)


def county_year(region_id: uuid.UUID, seed: int = 7) -> Year:
    rnd = random.Random(seed)
    y = Year(region_id)
    add = y.events.append
    add(
        ev(
            "identity.region.created",
            region_id,
            {
                "region_id": str(region_id),
                "code": "fq",
                "name": "封丘县",
                "timezone": "Asia/Shanghai",
            },
            utc(2024, 12, 1),
        )
    )
    suppliers = [uuid.uuid4() for _ in range(4)]
    y.suppliers = suppliers
    # supplier 0 and 1 have household links; townships: 0,1 in 城关镇, 2,3 in 黄陵镇
    for i, sid in enumerate(suppliers):
        add(
            ev(
                "suppliers.supplier.approved",
                region_id,
                {
                    "supplier_id": str(sid),
                    "region_id": str(region_id),
                    "legal_name": f"供应商{i}",
                    "display_name": f"供应商{i}",
                    "township": "城关镇" if i < 2 else "黄陵镇",
                    "supports_households": False,
                    "reason": None,
                },
                utc(2024, 12, 2),
            )
        )
    # suppliers 0 and 1 link households (1's link ends in 2025: it still counts for 2025);
    # supplier 3's link ended before 2025, so its 2025 sales benefit no household
    for i, kind, ended in (
        (0, "poverty_alleviated", None),
        (1, "monitored", "2025-09-30"),
        (3, "monitored", "2024-12-20"),
    ):
        base = {
            "supplier_id": str(suppliers[i]),
            "region_id": str(region_id),
            "link_id": str(uuid.uuid4()),
            "household_kind": kind,
            "current_households": 1,
            "supports_households": True,
        }
        add(
            ev(
                "suppliers.households.changed",
                region_id,
                {**base, "change": "linked", "on": "2024-12-01"},
                utc(2024, 12, 2),
            )
        )
        if ended:
            add(
                ev(
                    "suppliers.households.changed",
                    region_id,
                    {**base, "change": "ended", "on": ended},
                    utc(2024, 12, 3),
                )
            )
    # products: 0..2 branded (supplier 0,1,2), 3 unbranded (supplier 3)
    variants, products = [], []
    for i, sid in enumerate(suppliers):
        pid, vid = uuid.uuid4(), uuid.uuid4()
        products.append(pid)
        variants.append((vid, sid))
        add(
            ev(
                "catalog.product.published",
                region_id,
                {
                    "product_id": str(pid),
                    "region_id": str(region_id),
                    "supplier_id": str(sid),
                    "name": f"产品{i}",
                    "brand": "封丘金银花" if i < 3 else None,
                    "category": "c",
                    "channels": ["wholesale"],
                    "storage": "ambient",
                    "variants": [
                        {
                            "variant_id": str(vid),
                            "sku": f"s{i}",
                            "name": "箱",
                            "unit": "箱",
                            "net_weight_g": 1000,
                            "volume_cm3": 1000,
                        }
                    ],
                },
                utc(2024, 12, 3),
            )
        )
    stations = [uuid.uuid4() for _ in range(3)]
    for i, st in enumerate(stations):
        add(
            ev(
                "identity.organisation.approved",
                region_id,
                {
                    "organisation_id": str(st),
                    "region_id": str(region_id),
                    "region_code": "fq",
                    "region_name": "封丘县",
                    "timezone": "Asia/Shanghai",
                    "kind": "station",
                    "name": f"服务站{i}",
                    "status": "active",
                },
                utc(2024, 12, 4),
            )
        )
    per_supplier = {2025: [0] * 4, 2024: [0] * 4}
    station_months: dict[tuple[int, int], set[uuid.UUID]] = {}
    station_value = {2025: 0, 2024: 0}
    # orders: 2024-12 (previous year for Dec) and every month of 2025
    months = [(2024, 12)] + [(2025, m) for m in range(1, 13)]
    for year, month in months:
        for n in range(6):
            order_id = uuid.uuid4()
            buyer = stations[n % 3]
            lines, total = [], 0
            for k, (vid, sid) in enumerate(variants):
                if (n + k) % 2:
                    continue
                amount = 1_000_000 * (k + 1) + 10_000 * n
                lines.append(
                    {
                        "line_id": str(uuid.uuid4()),
                        "variant_id": str(vid),
                        "supplier_id": str(sid),
                        "quantity": 2,
                        "unit_price_fen": amount // 2,
                        "amount_fen": amount,
                    }
                )
                total += amount
            at = utc(year, month, 10 + n)
            add(
                ev(
                    "repository.order.placed",
                    region_id,
                    {
                        "order_id": str(order_id),
                        "buyer_org_id": str(buyer),
                        "region_id": str(region_id),
                        "total_fen": total,
                        "payment_method": "card",
                        "lines": lines,
                    },
                    at,
                )
            )
            if n == 5:  # cancelled: counts nothing
                add(
                    ev(
                        "repository.order.cancelled",
                        region_id,
                        {"order_id": str(order_id), "buyer_org_id": str(buyer), "reason": "x"},
                        at + timedelta(hours=1),
                    )
                )
                continue
            net = {line["line_id"]: line["amount_fen"] for line in lines}
            if n == 0 and lines:  # a shortage refunded: lowers the line's sales
                line = lines[0]
                add(
                    ev(
                        "repository.order.line_shortened",
                        region_id,
                        {
                            "order_id": str(order_id),
                            "line_id": line["line_id"],
                            "variant_id": line["variant_id"],
                            "supplier_id": line["supplier_id"],
                            "quantity_shortened": 1,
                            "amount_fen": line["unit_price_fen"],
                        },
                        at + timedelta(hours=2),
                    )
                )
                net[line["line_id"]] -= line["unit_price_fen"]
            for line in lines:
                idx = [str(s) for s in suppliers].index(line["supplier_id"])
                if year == 2025 or month == 12:
                    per_supplier[year][idx] += net[line["line_id"]]
            station_months.setdefault((year, month), set()).add(buyer)
            station_value[year] += sum(net.values())
    # deliveries in 2025: 10 parcels, carriers, dispatch times
    runs = []
    for r in range(3):
        run_id = uuid.uuid4()
        runs.append(run_id)
        start = utc(2025, 3 + r, 5, 0)
        add(
            ev(
                "delivery.run.started",
                region_id,
                {
                    "run_id": str(run_id),
                    "region_id": str(region_id),
                    "kind": "route",
                    "delivery_date": start.date().isoformat(),
                    "at": start.isoformat(),
                    "parcels": {"loaded": 4},
                },
                start,
            )
        )
        add(
            ev(
                "delivery.run.completed",
                region_id,
                {
                    "run_id": str(run_id),
                    "region_id": str(region_id),
                    "kind": "route",
                    "delivery_date": start.date().isoformat(),
                    "at": (start + timedelta(hours=8)).isoformat(),
                    "parcels": {"delivered": 4},
                    "weight_g": 40_000,
                    "cost_fen": 12_000,
                },
                start + timedelta(hours=8),
            )
        )
        for p in range(4):
            hours = 5 if p < 3 else 30  # one in four late
            add(
                ev(
                    "delivery.parcel.delivered",
                    region_id,
                    {
                        "parcel_id": str(uuid.uuid4()),
                        "order_id": None,
                        "station_org_id": str(stations[p % 3]),
                        "delivered_at": (start + timedelta(hours=hours)).isoformat(),
                        "run_id": str(run_id),
                        "dispatched_at": start.isoformat(),
                        "carrier": ["中通", "圆通", "韵达", "邮政", None][(r + p) % 5],
                        "township": "城关镇",
                    },
                    start + timedelta(hours=hours),
                )
            )
    # livestream: four evenings of three overlapping sessions, one more alone, one cancelled
    session_ids = []
    for day in range(4):
        for k in range(3):
            sid = str(uuid.uuid4())
            session_ids.append(sid)
            start = utc(2025, 6, 1 + day, 10 + k)
            base = {
                "session_id": sid,
                "region_id": str(region_id),
                "planned_start": start.isoformat(),
                "started_at": start.isoformat(),
            }
            add(ev("livestream.session.live", region_id, {**base, "ended_at": None}, start))
            end = start + timedelta(hours=3 - k)  # all three live at 12:00-13:00
            add(
                ev(
                    "livestream.session.ended",
                    region_id,
                    {**base, "ended_at": end.isoformat()},
                    end,
                )
            )
    lone = utc(2025, 7, 1, 10)
    add(
        ev(
            "livestream.session.live",
            region_id,
            {
                "session_id": str(uuid.uuid4()),
                "region_id": str(region_id),
                "planned_start": lone.isoformat(),
                "started_at": lone.isoformat(),
                "ended_at": None,
            },
            lone,
        )
    )
    add(
        ev(
            "livestream.session.cancelled",
            region_id,
            {
                "session_id": str(uuid.uuid4()),
                "region_id": str(region_id),
                "planned_start": lone.isoformat(),
                "started_at": None,
                "ended_at": None,
            },
            lone,
        )
    )

    # livestream sale lines: versions arrive in any order; a refund lowers GMV
    def sale(line: str, version: int, at: datetime, **over: Any) -> dict[str, Any]:
        data = {
            "line_id": line,
            "region_id": str(region_id),
            "platform": "douyin",
            "platform_order_id": f"dy-{line[:8]}",
            "session_id": session_ids[0],
            "streamer_org_id": None,
            "agency_org_id": None,
            "supplier_org_id": str(suppliers[0]),
            "catalog_product_id": str(products[0]),
            "pool_entry_id": None,
            "quantity": 1,
            "paid_fen": 50_000,
            "refunded_fen": 0,
            "status": "paid",
            "paid_at": utc(2025, 6, 1, 11).isoformat(),
            "settled_at": None,
            "version": version,
        }
        data.update(over)
        return ev("livestream.sale_line.recorded", region_id, data, at)

    a, b, c, d = (str(uuid.uuid4()) for _ in range(4))
    add(sale(a, 1, utc(2025, 6, 1, 12)))
    add(sale(a, 2, utc(2025, 6, 4), refunded_fen=20_000, status="confirmed"))  # 30,000
    b_over = {"supplier_org_id": str(suppliers[1]), "catalog_product_id": str(products[1])}
    add(sale(b, 1, utc(2025, 6, 1, 12), paid_fen=80_000, **b_over))
    add(sale(b, 2, utc(2025, 6, 2), paid_fen=80_000, status="settled", **b_over))
    add(sale(b, 3, utc(2025, 6, 9), paid_fen=80_000, status="refunded", **b_over))  # 0
    c_over = {
        "session_id": None,
        "supplier_org_id": str(suppliers[2]),
        "catalog_product_id": str(products[2]),
        "paid_fen": 10_000,
    }
    add(sale(c, 1, utc(2025, 8, 1), **c_over))
    add(sale(c, 1, utc(2025, 8, 1), **c_over))  # republished under a new event id
    add(sale(d, 1, utc(2024, 12, 5), paid_at=utc(2024, 12, 5).isoformat(), session_id=None))
    y.expected = {
        "stream_gmv_2025": 30_000 + 0 + 10_000,
        "stream_gmv_supplier0_2025": 30_000,
        "stream_gmv_2024_12": 50_000,
        "upstream_2025": sum(per_supplier[2025]) + 40_000,
        "per_supplier_2025": per_supplier[2025],
        "household_2025": per_supplier[2025][0] + per_supplier[2025][1],
        "brand_2025": sum(per_supplier[2025][:3]),
        "station_value_2025": station_value[2025],
        "stations_per_month_2025": [len(station_months[(2025, m)]) for m in range(1, 13)],
        "within_24h": round(9 * 100 / 12, 2),
        "cost_per_parcel": round(36_000 / 12),
        "carriers": sorted(
            {
                ["中通", "圆通", "韵达", "邮政", None][(r + p) % 5]
                for r in range(3)
                for p in range(4)
            }
            - {None}
        ),
        "stream_sessions": 13,
        "stream_peak": 3,
    }
    rnd.shuffle(y.events)  # arrival order must not matter
    return y
