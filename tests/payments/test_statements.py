"""Statements: the supplier's month (sold, fee, shortages, payable), exports, marking paid."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from services.payments.statements import rules
from tests.factories import eventually, new_org
from tests.payments.helpers import P, deliver, last_month, place_order_with_lines


def test_statement_figures_add_up_and_fees_round_half_up():
    figures = rules.supplier_figures([(10_010, 0), (2_530, 1_010)], fee_bps=500)
    # fee(10010)=500.5->501, fee(2530)=126.5->127, back fee(1010)=50.5->51
    assert figures.fee_fen == 501 + 127 - 51
    assert figures.payable_fen == 10_010 + 2_530 - 1_010 - figures.fee_fen
    assert rules.fen_to_yuan(123_405) == "1234.05" and rules.fen_to_yuan(7) == "0.07"


async def test_operator_pays_the_supplier_its_month_less_fee_and_shortages(client, county):
    buyer = await new_org(client, county, "station")
    # placed last month: only a month that is over can be closed into statements
    month, in_month = last_month()
    order_id, lines = await place_order_with_lines(
        client, buyer, [10_010, 2_530], placed_at=in_month
    )
    supplier = lines[0]["supplier_id"]
    deliver(
        "repository.order.line_shortened",
        {
            "order_id": str(order_id),
            "line_id": lines[1]["line_id"],
            "variant_id": lines[1]["variant_id"],
            "supplier_id": supplier,
            "quantity_shortened": 1,
            "amount_fen": 1_010,
        },
    )

    async def shortened():
        r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
        return r.json()["removed_fen"] == 1_010

    await eventually(shortened)
    op = county.operator.headers
    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": month},
        headers=op,
    )
    assert r.status_code == 200, r.text
    [statement] = [s for s in r.json() if s["supplier_id"] == supplier]
    assert statement["sold_fen"] == 12_540 and statement["shortages_fen"] == 1_010
    assert statement["fee_fen"] == 577 and statement["payable_fen"] == 12_540 - 1_010 - 577

    r = await client.get(f"{P}/supplier-statements/{statement['id']}.xlsx", headers=op)
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(2, 6).value == statement["payable_fen"]

    r = await client.get(
        f"{P}/supplier-statements/bank-batch.csv",
        params={"region_id": str(county.region_id), "month": month},
        headers=op,
    )
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["amount_yuan"] for x in rows if x["payee_id"] == supplier] == ["109.53"]

    r = await client.post(f"{P}/supplier-statements/{statement['id']}/mark-paid", headers=op)
    assert r.status_code == 200 and r.json()["status"] == "paid"
    r = await client.post(f"{P}/supplier-statements/{statement['id']}/mark-paid", headers=op)
    assert r.status_code == 409
    assert r.json()["type"].endswith("payments-statement-paid")

    r = await client.get(
        f"{P}/buyers/{buyer.org_id}/statement", params={"month": month}, headers=buyer.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["owed_fen"] == 12_540 - 1_010
    r = await client.get(
        f"{P}/buyers/{buyer.org_id}/statement", params={"month": "2026-13"}, headers=buyer.headers
    )
    assert r.status_code in (400, 422)
