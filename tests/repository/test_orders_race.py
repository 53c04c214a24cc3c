"""Two hundred buyers race for the last ten cases: exactly ten are sold, nothing breaks."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx

from tests.repository.factories import R
from tests.repository.order_factories import (
    buyer_with,
    orders_of_buyer,
    stock_of,
    stocked_offer,
    verify,
)

RACERS = 200
BUYERS = 10
LAST_CASES = 10
# All 200 requests are sent at once, each over its own connection.
CONNECTIONS = RACERS


async def test_two_hundred_buyers_racing_for_ten_cases_get_exactly_ten(client, county, live_server):
    honey, warehouse = await stocked_offer(client, county, LAST_CASES)
    buyers = await asyncio.gather(*(buyer_with(client, county, "card") for _ in range(BUYERS)))

    async def race(http: httpx.AsyncClient, n: int) -> httpx.Response:
        buyer = buyers[n % BUYERS]
        return await http.post(
            f"{R}/orders",
            json={"payment_method": "card", "lines": [{"offer_id": honey["id"], "cases": 1}]},
            headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
        )

    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=live_server, timeout=120, limits=limits) as http:
        answers = await asyncio.gather(*(race(http, n) for n in range(RACERS)))

    statuses = Counter(r.status_code for r in answers)
    assert statuses[201] == LAST_CASES, statuses
    assert all(400 <= r.status_code < 500 for r in answers if r.status_code != 201), statuses
    refused = {r.json()["type"].rsplit("/", 1)[1] for r in answers if r.status_code != 201}
    assert refused <= {"repository-out-of-stock", "repository-order-rejected"}, refused

    level = await stock_of(client, county, warehouse["id"], honey["variant_id"])
    assert (level["on_hand"], level["reserved"], level["available"]) == (LAST_CASES, 10, 0)
    report = await verify(client, county, warehouse["id"])
    assert report["consistent"] is True and report["drift"] == []
    placed_orders = [await orders_of_buyer(b.org_id) for b in buyers]
    assert sum(placed_orders) == LAST_CASES
    r = await client.get(
        f"{R}/warehouses/{warehouse['id']}/movements",
        params={"variant_id": honey["variant_id"], "kind": "reservation", "limit": 100},
        headers=county.operator.headers,
    )
    assert len(r.json()["items"]) == LAST_CASES


async def test_an_order_losing_one_line_in_a_race_places_none_of_its_lines(client, county):
    # Balance rows are locked in variant order: the plentiful line is held first, so an
    # order that then loses the scarce line must give that hold back.
    first, last = uuid.UUID("0" + uuid.uuid4().hex[1:]), uuid.UUID("f" + uuid.uuid4().hex[1:])
    plenty, warehouse = await stocked_offer(client, county, 50, product={"variant_ids": [first]})
    scarce, _ = await stocked_offer(
        client, county, 1, warehouse=warehouse, product={"variant_ids": [last]}
    )
    buyers = await asyncio.gather(*(buyer_with(client, county, "card") for _ in range(4)))

    async def race(n: int) -> httpx.Response:
        buyer = buyers[n % len(buyers)]
        return await client.post(
            f"{R}/orders",
            json={
                "payment_method": "card",
                "lines": [
                    {"offer_id": plenty["id"], "cases": 2},
                    {"offer_id": scarce["id"], "cases": 1},
                ],
            },
            headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
        )

    answers = await asyncio.gather(*(race(n) for n in range(20)))

    statuses = Counter(r.status_code for r in answers)
    assert statuses[201] == 1
    assert all(r.status_code in (201, 409, 422) for r in answers)
    # The losers' holds on the plentiful line were rolled back with the rest of their order.
    level = await stock_of(client, county, warehouse["id"], plenty["variant_id"])
    assert (level["reserved"], level["available"]) == (2, 48)
    assert (await stock_of(client, county, warehouse["id"], scarce["variant_id"]))["available"] == 0
    assert sum([await orders_of_buyer(b.org_id) for b in buyers]) == 1
    assert (await verify(client, county, warehouse["id"]))["consistent"] is True
