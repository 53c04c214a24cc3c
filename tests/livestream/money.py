"""Arranging sale lines and statements through the HTTP API (the money side of the base)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.livestream.db import kernel
from shared.db import sessionmaker_for
from tests.livestream.helpers import L, listed

FIELDS = [
    "order_id",
    "product_id",
    "author_id",
    "item_num",
    "pay_amount",
    "commission_rate",
    "flow_point",
    "pay_success_time",
    "confirm_time",
    "settle_time",
    "refund_time",
    "refund_amount",
]
EVENT_KEYS = {
    "line_id",
    "region_id",
    "platform",
    "platform_order_id",
    "session_id",
    "streamer_org_id",
    "agency_org_id",
    "supplier_org_id",
    "catalog_product_id",
    "pool_entry_id",
    "quantity",
    "paid_fen",
    "refunded_fen",
    "status",
    "paid_at",
    "settled_at",
    "version",
}


def order_id() -> str:
    return f"DY{uuid.uuid4().hex[:14]}"


def row(order: str, paid_at: datetime, **overrides: Any) -> dict[str, Any]:
    return {
        "order_id": order,
        "product_id": "DY-P1",
        "author_id": "",
        "item_num": "1",
        "pay_amount": "3990",
        "commission_rate": "1000",
        "flow_point": "PAY_SUCC",
        "pay_success_time": paid_at.isoformat(),
        "confirm_time": "",
        "settle_time": "",
        "refund_time": "",
        "refund_amount": "",
        **{k: v.isoformat() if isinstance(v, datetime) else v for k, v in overrides.items()},
    }


def export(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


async def upload(client, county, rows: list[dict[str, Any]]) -> dict[str, Any]:
    r = await client.post(
        f"{L}/sales/import",
        data={"region_id": str(county.region_id), "platform": "douyin", "mode": "good_rows"},
        files={"file": ("douyin.csv", export(rows), "text/csv")},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == [], r.json()
    return r.json()


async def lines_by_order(client, actor) -> dict[str, dict[str, Any]]:
    return {
        line["platform_order_id"]: line
        for line in await listed(client, "/sales/lines", actor.headers)
    }


async def attribute(client, county, line_id: str, streamer) -> dict[str, Any]:
    r = await client.post(
        f"{L}/sales/lines/{line_id}/attribute",
        json={"streamer_id": str(streamer.org_id), "reason": "达人口播订单"},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def settle(client, county, as_of: datetime) -> int:
    r = await client.post(
        f"{L}/sales/settle",
        json={"region_id": str(county.region_id), "as_of": as_of.isoformat()},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()["settled"]


async def map_product(client, county, entry, platform_product_id: str = "DY-P1") -> None:
    r = await client.put(
        f"{L}/platform-products",
        json={
            "region_id": str(county.region_id),
            "platform": "douyin",
            "platform_product_id": platform_product_id,
            "pool_entry_id": entry["id"],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 204, r.text


def month(offset: int, timezone: str) -> tuple[str, datetime]:
    """The local month `offset` months before the current one: ("YYYY-MM", its start)."""
    now = datetime.now(UTC).astimezone(ZoneInfo(timezone))
    index = now.year * 12 + now.month - 1 - offset
    year, mon = divmod(index, 12)
    start = datetime(year, mon + 1, 1, tzinfo=ZoneInfo(timezone))
    return f"{year:04d}-{mon + 1:02d}", start


def local(start: datetime, days: float = 0, hours: float = 0) -> datetime:
    return start + timedelta(days=days, hours=hours)


async def outbox(event_type: str) -> list[dict[str, Any]]:
    """The livestream outbox's events of a type (data), in the order they were written."""
    box = kernel.outbox
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(box.c.payload).where(box.c.event_type == event_type).order_by(box.c.seq)
        )
        return [p for (p,) in rows.all()]


async def line_events(line_id: str) -> list[dict[str, Any]]:
    """A line's published versions, in order: an import's new lines travel many to a
    `livestream.sale_lines.recorded`, each later change as its own `sale_line.recorded`."""
    box = kernel.outbox
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(box.c.event_type, box.c.payload)
            .where(box.c.event_type.in_(("livestream.sale_line.recorded", MANY)))
            .order_by(box.c.seq)
        )
        found = []
        for event_type, payload in rows.all():
            data = payload["data"]
            lines = (
                [dict(zip(data["fields"], v, strict=True)) for v in data["lines"]]
                if event_type == MANY
                else [data]
            )
            found.extend(line for line in lines if line["line_id"] == line_id)
        return found


MANY = "livestream.sale_lines.recorded"
