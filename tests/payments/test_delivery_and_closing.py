"""Orders delivered and closed: the times the order account and statements show."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.factories import eventually, new_org
from tests.payments.helpers import (
    P,
    deliver,
    handled,
    journal_count,
    ledger_totals,
    outbox_events,
    place_order,
    redeliver,
)

T1 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
T2 = datetime(2026, 11, 28, 11, 30, tzinfo=UTC)


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def money(client, buyer, order_id) -> dict:
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    assert r.status_code == 200, r.text
    return r.json()


def parcel_delivered(order_id, station, at: datetime) -> dict:
    return {
        "parcel_id": str(uuid.uuid4()),
        "order_id": str(order_id) if order_id else None,
        "station_org_id": str(station.org_id),
        "delivered_at": at.isoformat(),
    }


async def test_an_order_is_delivered_when_its_last_parcel_is_and_statements_show_it(client, county):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [8_000], method="bank_transfer")
    last = deliver("delivery.parcel.delivered", parcel_delivered(order_id, buyer, T2))
    first = deliver("delivery.parcel.delivered", parcel_delivered(order_id, buyer, T1))
    redeliver(last)
    await handled(last, first)
    state = await money(client, buyer, order_id)
    assert when(state["delivered_at"]) == T2
    assert state["closed_at"] is None
    assert state["owed_fen"] == 8_000 and state["status"] == "placed"

    month = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    r = await client.get(
        f"{P}/buyers/{buyer.org_id}/statement", params={"month": month}, headers=buyer.headers
    )
    assert r.status_code == 200, r.text
    [row] = [o for o in r.json()["orders"] if o["order_id"] == str(order_id)]
    assert when(row["delivered_at"]) == T2


async def test_a_cash_on_delivery_order_owes_nothing_new_until_the_cash_is_collected(
    client, county
):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [3_000], method="cod")
    before = await ledger_totals()
    delivered = deliver("delivery.parcel.delivered", parcel_delivered(order_id, buyer, T1))
    upstream = deliver("delivery.parcel.delivered", parcel_delivered(None, buyer, T1))
    await handled(delivered, upstream)
    state = await money(client, buyer, order_id)
    assert state["delivered_at"] is None and state["paid_fen"] == 0
    assert state["owed_fen"] == 3_000
    assert await journal_count("payment", f"cod:{order_id}") == 0

    deliver(
        "delivery.cod.collected",
        {
            "order_id": str(order_id),
            "run_id": str(uuid.uuid4()),
            "driver_user_id": str(uuid.uuid4()),
            "amount_fen": 3_000,
            "collected_at": T1.isoformat(),
        },
    )

    async def settled():
        return (await money(client, buyer, order_id))["owed_fen"] == 0

    await eventually(settled)
    assert await journal_count("payment", f"cod:{order_id}") == 1
    debits, credits = await ledger_totals()
    assert debits == credits and debits > before[0]


async def test_a_closed_order_is_recorded_once_and_a_closed_credit_order_still_counts(
    client, county
):
    buyer = await new_org(client, county, "station")
    r = await client.put(
        f"{P}/credit-lines/{buyer.org_id}",
        json={"region_id": str(county.region_id), "limit_fen": 10_000, "terms_days": 30},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    order_id = await place_order(client, buyer, [6_000], method="credit")

    async def accepted():
        return (await money(client, buyer, order_id))["status"] == "accepted_on_credit"

    await eventually(accepted)
    closed = deliver("repository.order.closed", {"order_id": str(order_id)}, occurred_at=T1)
    await handled(closed)
    again = deliver(
        "repository.order.closed", {"order_id": str(order_id)}, occurred_at=T1 + timedelta(hours=2)
    )
    redeliver(closed)
    await handled(again)
    state = await money(client, buyer, order_id)
    assert when(state["closed_at"]) == T1
    # closing settles the goods, not the money: still owed, still using the credit line
    assert state["status"] == "accepted_on_credit" and state["owed_fen"] == 6_000
    second = await place_order(client, buyer, [5_000], method="credit")

    async def refused():
        return (await money(client, buyer, second))["status"] == "credit_refused"

    await eventually(refused)
    [failed] = await outbox_events("payments.payment.failed", second)
    assert failed["data"]["reason"] == "credit_limit_exceeded"
