"""Every payments route that names an object: a caller from elsewhere (a station and the
operator of another county) gets 404, never 403 or the object (issue 11)."""

from __future__ import annotations

import uuid

from tests.factories import eventually, new_county, new_org
from tests.payments.helpers import P, deliver, handled, last_month, place_order_with_lines

ACCOUNT = {
    "account_name": "李庄村电商服务站",
    "bank_name": "中国农业银行封丘支行",
    "account_number": "6228480012345678901",
}


async def overpay(client, county, buyer, total: int, paid: int, **kwargs) -> uuid.UUID:
    order_id, _ = await place_order_with_lines(client, buyer, [total], "bank_transfer", **kwargs)
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    r = await client.post(
        f"{P}/bank-receipts",
        json={
            "reference_code": r.json()["reference_code"],
            "amount_fen": paid,
            "bank_reference": f"B-{uuid.uuid4().hex[:10]}",
        },
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    return order_id


async def test_every_object_route_is_404_to_a_foreign_caller(client, county, admin):
    op = county.operator.headers
    region = str(county.region_id)
    buyer = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    month, in_month = last_month()

    # the objects: a bank transfer order overpaid (credit, a bank refund in a bank file),
    # a card order with its payment, a credit line, a statement, a goods receipt, a COD run
    order_id = await overpay(
        client, county, buyer, 20_000, 21_000, supplier_id=supplier.org_id, placed_at=in_month
    )
    r = await client.put(
        f"{P}/buyers/{buyer.org_id}/bank-account", json={"region_id": region, **ACCOUNT}, headers=op
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=buyer.headers
    )
    assert r.status_code == 201, r.text
    refund_id = r.json()["id"]
    r = await client.post(f"{P}/bank-refund-batches", json={"region_id": region}, headers=op)
    assert r.status_code in (200, 201), r.text
    batch_id = r.json()["id"]
    await overpay(client, county, buyer, 1_000, 1_500)
    r = await client.post(
        f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=buyer.headers
    )
    assert r.status_code == 201, r.text
    other_refund = r.json()["id"]
    card_order, _ = await place_order_with_lines(client, buyer, [5_000], "card")
    r = await client.put(
        f"{P}/credit-lines/{buyer.org_id}",
        json={"region_id": region, "limit_fen": 10_000},
        headers=op,
    )
    assert r.status_code == 200
    r = await client.post(
        f"{P}/supplier-statements", json={"region_id": region, "month": month}, headers=op
    )
    [statement_id] = [s["id"] for s in r.json() if s["supplier_id"] == str(supplier.org_id)]
    purchase_order_id = uuid.uuid4()
    received = deliver(
        "repository.purchase_order.received",
        {
            "purchase_order_id": str(purchase_order_id),
            "supplier_id": str(supplier.org_id),
            "region_id": region,
            "lines": [],
            "accepted_amount_fen": 0,
        },
        county.region_id,
    )
    cod_order, _ = await place_order_with_lines(client, buyer, [3_000], "cod")
    run_id = uuid.uuid4()
    collected = deliver(
        "delivery.cod.collected",
        {"order_id": str(cod_order), "run_id": str(run_id), "amount_fen": 3_000},
        county.region_id,
    )
    await handled(received, collected)

    async def owner_sees_everything() -> bool:
        r = await client.get(f"{P}/cod/runs/{run_id}", headers=op)
        return r.status_code == 200

    await eventually(owner_sees_everything)

    routes = [
        ("GET", f"/orders/{order_id}", None),
        ("GET", f"/orders/{card_order}/payment", None),
        ("POST", f"/orders/{card_order}/intent", None),
        ("GET", f"/credit-lines/{buyer.org_id}", None),
        ("PUT", f"/credit-lines/{buyer.org_id}", {"limit_fen": 1}),
        ("GET", f"/buyers/{buyer.org_id}/statement?month={month}", None),
        ("GET", f"/buyers/{buyer.org_id}/bank-account", None),
        ("PUT", f"/buyers/{buyer.org_id}/bank-account", ACCOUNT),
        ("GET", f"/bank-refunds/{refund_id}", None),
        ("POST", f"/bank-refunds/{other_refund}/cancel", {}),
        ("POST", f"/bank-refunds/{refund_id}/confirm", {"bank_reference": "X-1"}),
        ("POST", f"/bank-refunds/{refund_id}/fail", {"reason": "no"}),
        ("GET", f"/bank-refund-batches/{batch_id}", None),
        ("GET", f"/bank-refund-batches/{batch_id}.csv", None),
        ("GET", f"/supplier-statements/{statement_id}.xlsx", None),
        ("POST", f"/supplier-statements/{statement_id}/mark-paid", None),
        ("GET", f"/purchase-orders/{purchase_order_id}/receipt", None),
        ("GET", f"/cod/runs/{run_id}", None),
        ("POST", f"/cod/runs/{run_id}/hand-ins", {"amount_fen": 1}),
        ("GET", f"/ledger/balances/{buyer.org_id}", None),
        ("GET", f"/ledger/regions/{region}/trial-balance", None),
        ("GET", f"/ledger/regions/{region}/accounts/bank", None),
    ]
    elsewhere = await new_county(client, admin, name="兰考县")
    foreign_station = await new_org(client, elsewhere, "station")
    for who in (foreign_station, elsewhere.operator):
        for method, path, body in routes:
            if body is not None and "region_id" not in body and method == "PUT":
                body = {**body, "region_id": str(elsewhere.region_id)}
            r = await client.request(method, P + path, json=body, headers=who.headers)
            assert r.status_code == 404, (who, method, path, r.status_code, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")

    # and the owners still read them (nothing above changed anything)
    r = await client.get(f"{P}/bank-refunds/{refund_id}", headers=buyer.headers)
    assert r.status_code == 200 and r.json()["status"] == "batched"
