"""Goods received against a purchase order: a memo, never a second payable."""

from __future__ import annotations

import uuid

import pytest

from services.payments.ledger import core
from tests.factories import new_org
from tests.payments.helpers import (
    P,
    deliver,
    handled,
    journal_count,
    last_month,
    ledger_totals,
    place_order_with_lines,
    redeliver,
)


async def supplier_payable(client, supplier) -> int:
    r = await client.get(f"{P}/ledger/balances/{supplier.org_id}", headers=supplier.headers)
    assert r.status_code == 200, r.text
    return -r.json().get("supplier_payable", 0)


async def test_goods_received_are_a_memo_and_never_pay_the_supplier_twice(client, county):
    supplier = await new_org(client, county, "supplier")
    buyer = await new_org(client, county, "station")
    # placed last month: only a month that is over can be closed into statements
    month, in_month = last_month()
    order_id, lines = await place_order_with_lines(
        client,
        buyer,
        [10_000, 4_000],
        method="bank_transfer",
        supplier_id=supplier.org_id,
        placed_at=in_month,
    )
    sold_less_fee = 10_000 - 500 + 4_000 - 200
    assert await supplier_payable(client, supplier) == sold_less_fee

    # the warehouse accepts the first variant and rejects the second; the repository
    # shortens the rejected order line and tells payments so
    po_id = uuid.uuid4()
    received = {
        "purchase_order_id": str(po_id),
        "supplier_id": str(supplier.org_id),
        "region_id": str(county.region_id),
        "lines": [
            {
                "variant_id": lines[0]["variant_id"],
                "accepted": 1,
                "rejected": 0,
                "unit_cost_fen": 10_000,
            },
            {
                "variant_id": lines[1]["variant_id"],
                "accepted": 0,
                "rejected": 1,
                "unit_cost_fen": 4_000,
            },
        ],
        "accepted_amount_fen": 10_000,
    }
    first = deliver("repository.purchase_order.received", received, county.region_id)
    second = deliver("repository.purchase_order.received", received, county.region_id)
    redeliver(first)
    shortened = deliver(
        "repository.order.line_shortened",
        {
            "order_id": str(order_id),
            "line_id": lines[1]["line_id"],
            "variant_id": lines[1]["variant_id"],
            "supplier_id": str(supplier.org_id),
            "quantity_shortened": 1,
            "amount_fen": 4_000,
        },
        county.region_id,
    )
    await handled(first, second, shortened)

    r = await client.get(f"{P}/purchase-orders/{po_id}/receipt", headers=supplier.headers)
    assert r.status_code == 200, r.text
    receipt = r.json()
    assert receipt["accepted_amount_fen"] == 10_000 and receipt["rejected_amount_fen"] == 4_000
    assert [x["accepted"] for x in receipt["lines"]] == [1, 0]
    op = county.operator.headers
    r = await client.get(f"{P}/purchase-orders/{po_id}/receipt", headers=op)
    assert r.status_code == 200
    r = await client.get(f"{P}/purchase-orders/{po_id}/receipt", headers=buyer.headers)
    assert r.status_code == 404
    r = await client.get(f"{P}/purchase-orders/{uuid.uuid4()}/receipt", headers=op)
    assert r.status_code == 404

    # the payable is what was sold less the fee and the shortage: the receipt added nothing
    assert await supplier_payable(client, supplier) == 10_000 - 500
    assert await journal_count("purchase_order", str(po_id)) == 1
    debits, credits = await ledger_totals()
    assert debits == credits

    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": month},
        headers=op,
    )
    assert r.status_code == 200, r.text
    [statement] = [s for s in r.json() if s["supplier_id"] == str(supplier.org_id)]
    assert statement["payable_fen"] == 10_000 - 500


def test_a_memo_moves_no_money_and_cannot_carry_postings():
    memo = core.goods_received_memo(uuid.uuid4(), 10_000)
    assert memo.postings == () and memo.amount_fen == 0 and memo.cause_type == "purchase_order"
    assert core.balances([memo]) == {}
    posting = core.Posting(core.Account(core.Purpose.BANK), debit_fen=1)
    with pytest.raises(ValueError):
        core.MemoEntry("purchase_order", "1", "bad", (posting,))
