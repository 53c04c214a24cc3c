"""Credit terms set on the buyer account in the repository decide credit orders here too."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.db import utcnow
from tests.factories import eventually, new_org
from tests.payments.helpers import P, deliver, handled, outbox_events, place_order, redeliver


def terms(buyer, limit_fen: int, days: int, region_id=None) -> dict:
    return {
        "buyer_org_id": str(buyer.org_id),
        "region_id": str(region_id or buyer.region_id),
        "credit_limit_fen": limit_fen,
        "terms_days": days,
    }


async def credit_line(client, actor, buyer) -> dict | None:
    r = await client.get(f"{P}/credit-lines/{buyer.org_id}", headers=actor.headers)
    return r.json() if r.status_code == 200 else None


async def decided(client, buyer, order_id) -> str:
    async def status():
        r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
        state = r.json()["status"]
        return state if state != "placed" else None

    return await eventually(status)


async def test_credit_terms_set_on_the_buyer_account_decide_credit_orders(client, county):
    buyer = await new_org(client, county, "station")
    deliver("repository.buyer.credit_terms_set", terms(buyer, 10_000, 30), buyer.region_id)

    async def line_is(limit_fen):
        line = await credit_line(client, buyer, buyer)
        return line is not None and line["limit_fen"] == limit_fen

    await eventually(lambda: line_is(10_000))
    line = await credit_line(client, county.operator, buyer)
    assert line["terms_days"] == 30 and line["region_id"] == str(county.region_id)
    other = await new_org(client, county, "station")
    r = await client.get(f"{P}/credit-lines/{buyer.org_id}", headers=other.headers)
    assert r.status_code == 404

    first = await place_order(client, buyer, [6_000], method="credit")
    assert await decided(client, buyer, first) == "accepted_on_credit"
    second = await place_order(client, buyer, [5_000], method="credit")
    assert await decided(client, buyer, second) == "credit_refused"
    [failed] = await outbox_events("payments.payment.failed", second)
    assert failed["data"]["reason"] == "credit_limit_exceeded"

    # the operator raises the limit on the buyer account: the next order fits
    deliver("repository.buyer.credit_terms_set", terms(buyer, 20_000, 30), buyer.region_id)
    await eventually(lambda: line_is(20_000))
    third = await place_order(client, buyer, [5_000], method="credit")
    assert await decided(client, buyer, third) == "accepted_on_credit"


async def test_older_credit_terms_arriving_late_do_not_undo_newer_ones(client, county):
    buyer = await new_org(client, county, "station")
    now = utcnow()
    newer = deliver(
        "repository.buyer.credit_terms_set", terms(buyer, 50_000, 15), buyer.region_id, now
    )
    await handled(newer)
    older = deliver(
        "repository.buyer.credit_terms_set",
        terms(buyer, 0, 0),
        buyer.region_id,
        now - timedelta(minutes=1),
    )
    foreign = deliver(
        "repository.buyer.credit_terms_set",
        terms(buyer, 1, 1, region_id=uuid.uuid4()),
        buyer.region_id,
        now + timedelta(minutes=1),
    )
    redeliver(newer)
    await handled(older, foreign)
    line = await credit_line(client, buyer, buyer)
    assert (line["limit_fen"], line["terms_days"]) == (50_000, 15)

    # the operator setting it directly here is the latest word
    r = await client.put(
        f"{P}/credit-lines/{buyer.org_id}",
        json={"region_id": str(county.region_id), "limit_fen": 7_000, "terms_days": 20},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    line = await credit_line(client, buyer, buyer)
    assert (line["limit_fen"], line["terms_days"]) == (7_000, 20)
    order = await place_order(client, buyer, [8_000], method="credit")
    assert await decided(client, buyer, order) == "credit_refused"
