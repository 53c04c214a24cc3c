"""What the mobile apps poll: cursor-paged lists and ETags (If-None-Match answers 304)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import eventually, new_county, new_org
from tests.payments.helpers import (
    P,
    deliver,
    last_month,
    place_order,
    place_order_with_lines,
)


async def pages(client, path: str, headers, **params) -> list[list[dict]]:
    """Every page of a list, following next_cursor."""
    result: list[list[dict]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(f"{P}{path}", params=query, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        result.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return result


async def revalidates(client, path: str, headers, **params) -> dict:
    """The answer carries an ETag; asking again with it gets 304 and no body."""
    r = await client.get(f"{P}{path}", params=params, headers=headers)
    assert r.status_code == 200, r.text
    tag = r.headers["etag"]
    again = await client.get(f"{P}{path}", params=params, headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    return r.json()


async def test_a_buyer_pages_through_its_orders_newest_first(client, county):
    buyer = await new_org(client, county, "station")
    other = await new_org(client, county, "station")
    start = datetime(2026, 11, 20, 8, tzinfo=UTC)
    placed = [
        await place_order(client, buyer, [1_000 + n], "bank_transfer", start + timedelta(hours=n))
        for n in range(5)
    ]
    await place_order(client, other, [9_999], "bank_transfer")

    got = await pages(client, "/orders", buyer.headers, limit=2)
    assert [len(p) for p in got] == [2, 2, 1]
    assert [o["order_id"] for p in got for o in p] == [str(o) for o in reversed(placed)]
    oldest_first = await pages(client, "/orders", buyer.headers, limit=3, sort="placed_at")
    assert [o["order_id"] for p in oldest_first for o in p] == [str(o) for o in placed]
    # filters; the operator sees the region's orders, the buyer's only through its filter
    r = await client.get(
        f"{P}/orders",
        params={"buyer_org_id": str(buyer.org_id), "payment_method": "card"},
        headers=buyer.headers,
    )
    assert r.json()["items"] == []
    ops = await pages(
        client,
        "/orders",
        county.operator.headers,
        region_id=str(county.region_id),
        buyer_org_id=str(buyer.org_id),
    )
    assert len([o for p in ops for o in p]) == 5
    r = await client.get(
        f"{P}/orders", params={"buyer_org_id": str(buyer.org_id)}, headers=other.headers
    )
    assert r.json()["items"] == []


async def test_bad_sort_cursor_or_filter_is_refused(client, county):
    buyer = await new_org(client, county, "station")
    for params in (
        {"sort": "total_fen"},
        {"cursor": "not-a-cursor"},
        {"status": "lost"},
        {"limit": 0},
        {"limit": 101},
    ):
        r = await client.get(f"{P}/orders", params=params, headers=buyer.headers)
        assert 400 <= r.status_code < 500, (params, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    # a cursor of one sort does not page another
    for _ in range(2):
        await place_order(client, buyer, [500], "bank_transfer")
    r = await client.get(f"{P}/orders", params={"limit": 1}, headers=buyer.headers)
    cursor = r.json()["next_cursor"]
    assert cursor
    r = await client.get(
        f"{P}/orders",
        params={"limit": 1, "cursor": cursor, "sort": "updated_at"},
        headers=buyer.headers,
    )
    assert r.status_code in (400, 422)
    r = await client.get(f"{P}/orders", headers={})
    assert r.status_code == 401


async def test_the_order_view_changes_its_etag_when_money_arrives(client, county):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [20_000], method="bank_transfer")
    before = await revalidates(client, f"/orders/{order_id}", buyer.headers)
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    tag = r.headers["etag"]
    r = await client.post(
        f"{P}/bank-receipts",
        json={
            "reference_code": before["reference_code"],
            "amount_fen": 20_000,
            "bank_reference": "ICBC-9",
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201
    r = await client.get(f"{P}/orders/{order_id}", headers={**buyer.headers, "If-None-Match": tag})
    assert r.status_code == 200 and r.headers["etag"] != tag
    assert r.json()["status"] == "paid" and r.json()["owed_fen"] == 0
    # the county's operator reads the same order; another buyer does not see it
    r = await client.get(f"{P}/orders/{order_id}", headers=county.operator.headers)
    assert r.status_code == 200
    other = await new_org(client, county, "station")
    r = await client.get(f"{P}/orders/{order_id}", headers=other.headers)
    assert r.status_code == 404
    receipts = await revalidates(client, "/bank-receipts", buyer.headers, order_id=str(order_id))
    assert [x["amount_fen"] for x in receipts["items"]] == [20_000]


async def test_the_card_payment_is_polled_with_its_etag_and_listed_without_its_secret(
    client, county
):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [3_000])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 200, r.text
    payment = await revalidates(client, f"/orders/{order_id}/payment", buyer.headers)
    assert payment["client_secret"]
    listed = await revalidates(
        client, "/payments", county.operator.headers, region_id=str(county.region_id)
    )
    [item] = [p for p in listed["items"] if p["order_id"] == str(order_id)]
    assert item["id"] == payment["id"] and item["status"] == "requires_payment"
    assert "client_secret" not in item
    mine = await revalidates(client, "/payments", buyer.headers, status="requires_payment")
    assert [p["order_id"] for p in mine["items"]] == [str(order_id)]


async def test_refunds_credit_lines_statements_and_receipts_are_paged_lists(client, county):
    buyer = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    op = county.operator.headers
    # placed last month: only a month that is over can be closed into statements
    month, in_month = last_month(county.timezone)
    order_id, lines = await place_order_with_lines(
        client, buyer, [5_000, 1_000], "bank_transfer", supplier.org_id, placed_at=in_month
    )
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    r = await client.post(
        f"{P}/bank-receipts",
        json={
            "reference_code": r.json()["reference_code"],
            "amount_fen": 6_000,
            "bank_reference": "ICBC-7",
        },
        headers=op,
    )
    assert r.status_code == 201
    deliver(
        "repository.order.line_shortened",
        {
            "order_id": str(order_id),
            "line_id": lines[1]["line_id"],
            "variant_id": lines[1]["variant_id"],
            "supplier_id": str(supplier.org_id),
            "quantity_shortened": 1,
            "amount_fen": 1_000,
        },
    )

    async def credited():
        r = await client.get(f"{P}/refunds", params={"order_id": str(order_id)}, headers=op)
        return r.json()["items"]

    [note] = await eventually(credited)
    assert note["kind"] == "credit_note" and note["amount_fen"] == 1_000
    mine = await revalidates(client, "/refunds", buyer.headers, kind="credit_note")
    assert [x["id"] for x in mine["items"]] == [note["id"]]

    # credit lines of the region, two at a time
    for limit_fen in (1_000, 2_000, 3_000):
        station = await new_org(client, county, "station")
        r = await client.put(
            f"{P}/credit-lines/{station.org_id}",
            json={"region_id": str(county.region_id), "limit_fen": limit_fen},
            headers=op,
        )
        assert r.status_code == 200
    got = await pages(client, "/credit-lines", op, region_id=str(county.region_id), limit=2)
    assert [x["limit_fen"] for p in got for x in p] == [3_000, 2_000, 1_000]
    line = await revalidates(client, f"/credit-lines/{station.org_id}", station.headers)
    assert line["limit_fen"] == 3_000
    r = await client.get(f"{P}/credit-lines", headers=buyer.headers)
    assert r.json()["items"] == []

    # a supplier lists its own statements, the operator the region's
    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": month},
        headers=op,
    )
    assert r.status_code == 200
    own = await revalidates(client, "/supplier-statements", supplier.headers)
    assert [(s["supplier_id"], s["month"]) for s in own["items"]] == [(str(supplier.org_id), month)]
    assert own["items"][0]["payable_fen"] == 5_000 - 250
    region = await revalidates(
        client, "/supplier-statements", op, region_id=str(county.region_id), status="open"
    )
    assert str(supplier.org_id) in [s["supplier_id"] for s in region["items"]]
    r = await client.get(f"{P}/supplier-statements", headers=buyer.headers)
    assert r.json()["items"] == []
    statement = await revalidates(
        client, f"/buyers/{buyer.org_id}/statement", buyer.headers, month=month
    )
    assert statement["credit_balance_fen"] == 1_000

    # goods receipts: the supplier's own
    purchase_order_id = uuid.uuid4()
    deliver(
        "repository.purchase_order.received",
        {
            "purchase_order_id": str(purchase_order_id),
            "supplier_id": str(supplier.org_id),
            "region_id": str(county.region_id),
            "lines": [
                {
                    "variant_id": str(uuid.uuid4()),
                    "accepted": 4,
                    "rejected": 0,
                    "unit_cost_fen": 100,
                }
            ],
            "accepted_amount_fen": 400,
        },
        county.region_id,
    )

    async def received():
        r = await client.get(f"{P}/goods-receipts", headers=supplier.headers)
        return r.json()["items"]

    [receipt] = await eventually(received)
    assert receipt["purchase_order_id"] == str(purchase_order_id)
    await revalidates(client, "/goods-receipts", op, region_id=str(county.region_id))
    await revalidates(client, f"/purchase-orders/{purchase_order_id}/receipt", supplier.headers)


@pytest.mark.parametrize(
    "path",
    [
        "/orders",
        "/payments",
        "/refunds",
        "/bank-receipts",
        "/credit-lines",
        "/supplier-statements",
        "/goods-receipts",
        "/bank-refunds",
        "/bank-refund-batches",
    ],
)
async def test_every_list_is_a_page_with_an_etag(client, county, path):
    body = await revalidates(
        client, path, county.operator.headers, region_id=str(county.region_id), limit=5
    )
    assert set(body) == {"items", "next_cursor"}
    r = await client.get(
        f"{P}{path}",
        params={"region_id": str(county.region_id), "sort": "nonsense"},
        headers=county.operator.headers,
    )
    assert r.status_code == 422


async def test_an_operator_of_another_county_sees_none_of_these(client, county, admin):
    buyer = await new_org(client, county, "station")
    await place_order(client, buyer, [1_000], "bank_transfer")
    elsewhere = await new_county(client, admin)
    r = await client.get(
        f"{P}/orders",
        params={"region_id": str(county.region_id)},
        headers=elsewhere.operator.headers,
    )
    assert r.status_code == 200 and r.json()["items"] == []
    r = await client.get(
        f"{P}/bank-refund-batches",
        params={"region_id": str(county.region_id)},
        headers=elsewhere.operator.headers,
    )
    assert r.status_code == 403


def county_zone(county):
    from zoneinfo import ZoneInfo

    return ZoneInfo(county.timezone)
