"""Platform sales import: idempotent by platform and order id, later statuses update, every
rejected row has its reason, good rows or none; attribution by author id, else product and
time window (the latest-started session wins), else the unmatched queue."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta

from tests.livestream.helpers import L, at, book, listed, pool_entry, room, streamer

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


def export(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def row(order_id, paid_at, product="DY-P1", author="", status="PAY_SUCC", amount="3990"):
    return {
        "order_id": order_id,
        "product_id": product,
        "author_id": author,
        "pay_amount": amount,
        "commission_rate": "2000",
        "flow_point": status,
        "pay_success_time": paid_at,
        "settle_time": "",
        "refund_time": "",
    }


async def upload(client, county, data: bytes, mode="good_rows"):
    r = await client.post(
        f"{L}/sales/import",
        data={"region_id": str(county.region_id), "platform": "douyin", "mode": mode},
        files={"file": ("douyin.csv", data, "text/csv")},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def live_session(client, county, actor, entry, start, end):
    booking = (
        await book(client, actor, (await room(client, county))["id"], at(start), at(end))
    ).json()
    session = (
        await client.post(
            f"{L}/sessions",
            json={"booking_id": booking["id"], "platform": "douyin", "title": "专场"},
            headers=actor.headers,
        )
    ).json()
    r = await client.put(
        f"{L}/sessions/{session['id']}/lineup",
        json={"items": [{"pool_entry_id": entry["id"], "live_price_fen": 3990, "stock_cap": 100}]},
        headers=actor.headers,
    )
    assert r.status_code == 200, r.text
    return session


async def test_import_is_idempotent_updates_statuses_and_attributes(client, county):
    _, entry = await pool_entry(client, county)
    li, wang = await streamer(client, county), await streamer(client, county)
    early = await live_session(client, county, li, entry, 2, 6)
    late = await live_session(client, county, wang, entry, 4, 8)
    r = await client.put(
        f"{L}/platform-products",
        json={
            "region_id": str(county.region_id),
            "platform": "douyin",
            "platform_product_id": "DY-P1",
            "pool_entry_id": entry["id"],
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 204, r.text
    base = datetime.fromisoformat(at(0))
    o1, o2, o3 = (f"DY{uuid.uuid4().hex[:12]}" for _ in range(3))
    rows = [
        row(o1, (base + timedelta(hours=3)).isoformat()),  # only the early session is on
        row(o2, (base + timedelta(hours=5)).isoformat()),  # both on: the later-started wins
        row(o3, (base + timedelta(hours=20)).isoformat(), product="DY-UNKNOWN"),  # nothing
        {**row("", base.isoformat())},  # no order id
        row(f"DY{uuid.uuid4().hex[:8]}", base.isoformat(), status="WHATEVER"),
    ]
    report = await upload(client, county, export(rows))
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert [
        (r["row"], "order_id" in r["reason"] or "flow_point" in r["reason"])
        for r in report["rejected"]
    ] == [
        (5, True),
        (6, True),
    ]
    again = await upload(client, county, export(rows[:3]))
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    settled = [
        {**rows[0], "flow_point": "SETTLE", "settle_time": (base + timedelta(days=9)).isoformat()}
    ]
    later = await upload(client, county, export(settled))
    assert (later["created"], later["updated"]) == (0, 1)

    lines = {
        line["platform_order_id"]: line
        for line in await listed(client, "/sales/lines", county.operator.headers)
    }
    assert lines[o1]["session_id"] == early["id"] and lines[o1]["attributed_by"] == "window"
    assert lines[o1]["platform_status"] == "settled" and lines[o1]["status"] == "estimated"
    assert lines[o2]["session_id"] == late["id"]
    assert lines[o3]["session_id"] is None and lines[o3]["attributed_by"] == "unmatched"
    unmatched = await listed(client, "/sales/lines", county.operator.headers, unmatched="true")
    assert [line["platform_order_id"] for line in unmatched] == [o3]
    # a streamer sees only its own lines
    mine = await listed(client, "/sales/lines", li.headers)
    assert [line["platform_order_id"] for line in mine] == [o1]


async def test_a_file_with_errors_imports_nothing_when_asked(client, county):
    good = row(f"DY{uuid.uuid4().hex[:12]}", at(1))
    bad = row(f"DY{uuid.uuid4().hex[:12]}", "not a date")
    report = await upload(client, county, export([good, bad]), mode="all_or_nothing")
    assert report["imported"] is False and report["created"] == 0
    assert report["rejected"][0]["row"] == 3
    report = await upload(client, county, export([good, bad]))
    assert report["created"] == 1 and len(report["rejected"]) == 1
