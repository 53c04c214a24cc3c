"""A streamer's commission, end to end across services: sales exported from Douyin are
imported and attributed at the livestream base, settle after the return window, and the
month's statement is approved (livestream); payments books it as commission payable, the
operator pays it in a bank batch file and marks the batch paid (payments); livestream hears
`payments.commission_payout.paid` and the statement ends paid. Every hop is a real event
through the outbox, Redis and the Celery worker."""

from __future__ import annotations

import csv
import io

from tests.factories import eventually
from tests.livestream.helpers import L, streamer
from tests.livestream.money import (
    attribute,
    lines_by_order,
    local,
    month,
    order_id,
    row,
    settle,
    upload,
)
from tests.payments.helpers import P


async def test_an_approved_statement_is_paid_by_payments_and_livestream_sees_it_paid(
    client, county
):
    op = county.operator.headers
    region = str(county.region_id)
    li = await streamer(client, county)
    period, start = month(1, "Asia/Shanghai")
    orders = [order_id(), order_id()]
    await upload(
        client,
        county,
        [
            row(o, local(start, 2), confirm_time=local(start, 3), flow_point="CONFIRM")
            for o in orders
        ],
    )
    lines = await lines_by_order(client, county.operator)
    for o in orders:
        await attribute(client, county, lines[o]["id"], li)
    assert await settle(client, county, local(start, 12)) == 2

    r = await client.post(
        f"{L}/statements/generate", json={"region_id": region, "period": period}, headers=op
    )
    assert r.status_code == 200, r.text
    [mine] = [s for s in r.json() if s["payee_org_id"] == str(li.org_id)]
    assert mine["total_fen"] > 0
    r = await client.post(f"{L}/statements/{mine['id']}/approve", headers=op)
    assert r.status_code == 200, r.text

    # payments heard of it: the streamer's commission is payable
    async def booked():
        r = await client.get(f"{P}/commission-payouts/{mine['id']}", headers=li.headers)
        return r.json() if r.status_code == 200 else None

    payout = await eventually(booked)
    assert payout["status"] == "payable" and payout["amount_fen"] == mine["total_fen"]
    assert payout["period"] == period and payout["payee_kind"] == "streamer"

    r = await client.post(f"{P}/commission-payout-batches", json={"region_id": region}, headers=op)
    assert r.status_code == 201, r.text
    batch = r.json()
    r = await client.get(f"{P}/commission-payout-batches/{batch['id']}.csv", headers=op)
    [line] = [x for x in csv.DictReader(io.StringIO(r.text)) if x["payee_id"] == str(li.org_id)]
    assert line["memo"] == f"commission {period} {mine['id']}"
    r = await client.post(f"{P}/commission-payout-batches/{batch['id']}/mark-paid", headers=op)
    assert r.status_code == 200, r.text

    # livestream heard payments: the statement is paid, with what payments paid
    async def paid():
        r = await client.get(f"{L}/statements/{mine['id']}", headers=li.headers)
        statement = r.json()["statement"]
        return statement if statement["status"] == "paid" else None

    statement = await eventually(paid, timeout=40)
    assert statement["paid_fen"] == mine["total_fen"]
    assert statement["bank_batch_id"] == batch["id"]
    r = await client.get(f"{P}/commission-payees/{li.org_id}", headers=li.headers)
    assert r.json()["paid_fen"] == mine["total_fen"] and r.json()["ledger_balance_fen"] == 0
