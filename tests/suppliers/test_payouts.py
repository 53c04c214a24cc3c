"""The payout bank account is sealed at rest and only ever shown masked."""

from __future__ import annotations

from sqlalchemy import select

from services.suppliers.db import kernel
from services.suppliers.payouts.models import PayoutAccount
from services.suppliers.payouts.service import account_number
from shared.db import sessionmaker_for
from tests.factories import add_member, new_org
from tests.suppliers.helpers import approved_supplier

ACCOUNT = {
    "account_name": "封丘县金银花种植专业合作社",
    "bank_name": "河南封丘农村商业银行",
    "branch_name": "城关支行",
    "account_number": "6228 4800 0001 2341 234",
}


async def test_bank_account_is_encrypted_at_rest_and_shown_masked(client, county):
    supplier = await approved_supplier(client, county)
    path = f"/v1/suppliers/{supplier.org_id}/payout-account"
    assert (await client.get(path, headers=supplier.headers)).status_code == 404

    r = await client.put(path, json=ACCOUNT, headers=supplier.headers)
    assert r.status_code == 200, r.text
    assert r.json()["account_number_masked"] == "****1234"
    assert "account_number" not in r.json()
    for who in (supplier, county.operator):
        shown = (await client.get(path, headers=who.headers)).json()
        assert (
            shown["account_number_masked"] == "****1234"
            and shown["bank_name"] == ACCOUNT["bank_name"]
        )

    async with sessionmaker_for(kernel)() as session:
        row = (
            await session.execute(
                select(PayoutAccount).where(PayoutAccount.supplier_id == supplier.org_id)
            )
        ).scalar_one()
        raw = (
            await session.execute(select(kernel.metadata.tables["suppliers.payout_accounts"]))
        ).all()
    assert b"6228480000012341234" not in row.account_number_sealed
    assert "6228480000012341234" not in repr(raw)
    assert account_number(row) == "6228480000012341234"


async def test_only_the_suppliers_owner_or_finance_sets_the_account(client, county):
    supplier = await approved_supplier(client, county)
    path = f"/v1/suppliers/{supplier.org_id}/payout-account"
    clerk = await add_member(client, supplier, ["staff"])
    assert (await client.put(path, json=ACCOUNT, headers=clerk.headers)).status_code == 403
    finance = await add_member(client, supplier, ["finance"])
    assert (await client.put(path, json=ACCOUNT, headers=finance.headers)).status_code == 200
    assert (
        await client.put(path, json=ACCOUNT, headers=county.operator.headers)
    ).status_code == 403
    other = await new_org(client, county, "supplier")
    assert (await client.put(path, json=ACCOUNT, headers=other.headers)).status_code == 404
    bad = {**ACCOUNT, "account_number": "62284800ABCD"}
    r = await client.put(path, json=bad, headers=supplier.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.account_number"
