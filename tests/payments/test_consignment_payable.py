"""Consigned goods sold live at the base (`livestream.consignment.payable`) are the
supplier's payable at their supply price: journalled once per consignment movement, a
reversal netted, stated in the supplier's month and paid with it."""

from __future__ import annotations

import uuid

from services.payments.ledger import core
from services.payments.ledger.core import Account, Purpose
from tests.factories import new_org
from tests.payments.helpers import P, deliver, handled, journal_count, last_month, redeliver


def test_a_consignment_sale_and_its_reversal_net_in_the_supplier_payable():
    supplier = uuid.uuid4()
    entries = [
        core.consignment_payable_entry("m1", supplier, 3_600),
        core.consignment_payable_entry("m2", supplier, -1_200),
    ]
    balances = core.balances(entries)
    assert sum(balances.values()) == 0
    assert balances[Account(Purpose.SUPPLIER_PAYABLE, supplier)] == -2_400
    assert balances[Account(Purpose.LIVESTREAM_SALES_RECEIVABLE)] == 2_400
    assert core.consignment_payable_entry("m3", supplier, 0).postings == ()


def payable(supplier, amount_fen: int, quantity: int, sold_at, entry_id=None):
    return deliver(
        "livestream.consignment.payable",
        {
            "entry_id": str(entry_id or uuid.uuid4()),
            "region_id": str(supplier.region_id),
            "supplier_org_id": str(supplier.org_id),
            "catalog_product_id": str(uuid.uuid4()),
            "quantity": quantity,
            "supply_price_fen": 1_200,
            "amount_fen": amount_fen,
            "sold_at": sold_at.isoformat(),
            "sale_line_id": str(uuid.uuid4()),
        },
        region_id=supplier.region_id,
    )


async def test_consigned_goods_sold_live_are_stated_and_paid_to_the_supplier(client, county):
    supplier = await new_org(client, county, "supplier")
    op = county.operator.headers
    region = str(county.region_id)
    month, in_month = last_month()

    sale = payable(supplier, 3_600, 3, in_month)
    redeliver(sale)  # the same event again
    again = payable(supplier, 3_600, 3, in_month, entry_id=sale.data["entry_id"])
    reversal = payable(supplier, -1_200, -1, in_month)
    await handled(sale, again, reversal)
    assert await journal_count("consignment_payable", sale.data["entry_id"]) == 1

    r = await client.get(f"{P}/ledger/balances/{supplier.org_id}", headers=supplier.headers)
    assert r.status_code == 200 and r.json()["supplier_payable"] == -2_400

    r = await client.post(
        f"{P}/supplier-statements", json={"region_id": region, "month": month}, headers=op
    )
    assert r.status_code == 200, r.text
    [statement] = [s for s in r.json() if s["supplier_id"] == str(supplier.org_id)]
    assert statement["consignment_fen"] == 2_400 and statement["sold_fen"] == 0
    assert statement["payable_fen"] == 2_400

    r = await client.post(f"{P}/supplier-statements/{statement['id']}/mark-paid", headers=op)
    assert r.status_code == 200, r.text
    r = await client.get(f"{P}/ledger/balances/{supplier.org_id}", headers=supplier.headers)
    assert r.json()["supplier_payable"] == 0

    r = await client.get(f"{P}/ledger/regions/{region}/trial-balance", headers=op)
    trial = r.json()
    assert trial["balanced"]
    accounts = {(a["purpose"], a["org_id"]): a["balance_fen"] for a in trial["accounts"]}
    assert accounts[("livestream_sales_receivable", None)] == 2_400
