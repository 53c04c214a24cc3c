"""Exports that overlap: a later file that repeats part of an earlier one, two overlapping
files imported at the same moment, a line recorded by someone else while an import is under
way. Every order stays one line, every new line is published once (in the import's
`livestream.sale_lines.recorded` batches), every changed one as its own version."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from services.livestream.db import kernel
from shared.db import sessionmaker_for
from tests.livestream.helpers import gather, pool_entry
from tests.livestream.money import MANY, line_events, map_product, order_id, outbox, row, upload


async def lines_of(orders: list[str]) -> Counter[str]:
    """How many lines each order has (exactly one, whatever was imported how often)."""
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            text(
                "SELECT platform_order_id FROM livestream.sale_lines"
                " WHERE platform = 'douyin' AND platform_order_id = ANY(:orders)"
            ),
            {"orders": orders},
        )
        return Counter(r[0] for r in rows.all())


async def published_new(county) -> Counter[str]:
    """How often each order was published as a new line (version 1) of the region."""
    found: Counter[str] = Counter()
    for event in await outbox(MANY):
        if event["region_id"] != str(county.region_id):
            continue
        fields = event["data"]["fields"]
        for values in event["data"]["lines"]:
            line = dict(zip(fields, values, strict=True))
            if line["version"] == 1:
                found[line["platform_order_id"]] += 1
    return found


async def test_a_later_export_repeating_part_of_an_earlier_one_adds_only_the_rest(client, county):
    _, entry = await pool_entry(client, county, supply_price_fen=2000)
    await map_product(client, county, entry)
    paid = datetime.now(UTC) - timedelta(hours=2)
    orders = [order_id() for _ in range(700)]
    first = await upload(client, county, [row(o, paid) for o in orders[:300]])
    assert first["created"] == 300

    # the full export a day later: two of the first lines were refunded since
    refunded = {orders[5], orders[250]}
    later = [
        row(o, paid, flow_point="REFUND", refund_time=paid + timedelta(hours=1))
        if o in refunded
        else row(o, paid)
        for o in orders
    ]
    report = await upload(client, county, later)
    assert (report["created"], report["updated"], report["unchanged"]) == (400, 2, 298)
    assert set((await lines_of(orders)).values()) == {1}
    assert await published_new(county) == Counter(orders)
    lines = {
        dict(zip(e["data"]["fields"], v, strict=True))["platform_order_id"]: dict(
            zip(e["data"]["fields"], v, strict=True)
        )
        for e in await outbox(MANY)
        for v in e["data"]["lines"]
        if e["region_id"] == str(county.region_id)
    }
    for order in refunded:
        versions = [(e["version"], e["status"]) for e in await line_events(lines[order]["line_id"])]
        assert versions == [(1, "paid"), (2, "refunded")]


async def test_two_overlapping_exports_imported_at_once_record_each_order_once(client, county):
    """The second import waits for the first (one import of a platform at a time), then
    finds the overlap already recorded."""
    _, entry = await pool_entry(client, county, supply_price_fen=2000)
    await map_product(client, county, entry)
    paid = datetime.now(UTC) - timedelta(hours=2)
    orders = [order_id() for _ in range(900)]
    one, two = await gather(
        upload(client, county, [row(o, paid) for o in orders[:600]]),
        upload(client, county, [row(o, paid) for o in orders[300:]]),
    )
    assert one["created"] + two["created"] == 900
    assert one["unchanged"] + two["unchanged"] == 300
    assert one["updated"] == two["updated"] == 0
    assert set((await lines_of(orders)).values()) == {1}
    assert await published_new(county) == Counter(orders)


async def test_a_line_recorded_outside_the_import_meanwhile_is_not_doubled(client, county):
    """Someone records one of the file's orders after the import looked for them and
    commits while the import's COPY waits on it: the import takes the way of lines
    already recorded for the whole file (no line twice, nothing lost)."""
    _, entry = await pool_entry(client, county, supply_price_fen=2000)
    await map_product(client, county, entry)
    paid = datetime.now(UTC) - timedelta(hours=2)
    orders = [order_id() for _ in range(600)]
    raced = orders[123]
    async with sessionmaker_for(kernel)() as other:
        await other.execute(
            text(
                "INSERT INTO livestream.sale_lines (id, region_id, platform, platform_order_id,"
                " platform_product_id, paid_fen, commission_rate_bps, platform_status, paid_at,"
                " attributed_by) VALUES (:id, :region, 'douyin', :order, 'DY-P1', 1990, 1000,"
                " 'paid', :paid, 'unmatched')"
            ),
            {"id": uuid.uuid4(), "region": county.region_id, "order": raced, "paid": paid},
        )
        importing = asyncio.create_task(upload(client, county, [row(o, paid) for o in orders]))
        async with sessionmaker_for(kernel)() as watcher:
            for _ in range(600):  # the import's COPY waits for the other transaction
                waiting = await watcher.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'transactionid'"
                        " AND query LIKE 'COPY%sale_lines%'"
                    )
                )
                await watcher.rollback()
                if waiting or importing.done():
                    break
                await asyncio.sleep(0.05)
            assert waiting, "the import's COPY never waited on the other line"
        await other.commit()
    report = await importing
    # the raced order was recorded with another amount: the file's row updates it
    assert (report["created"], report["updated"], report["unchanged"]) == (599, 1, 0)
    assert set((await lines_of(orders)).values()) == {1}
    assert await published_new(county) == Counter(o for o in orders if o != raced)
