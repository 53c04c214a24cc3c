"""Bank refunds: buyer credit from non-card orders paid back to the buyer's bank account."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid

from tests.factories import add_member, eventually, new_county, new_org
from tests.payments.helpers import P, deliver, journal_count, ledger_totals, place_order

ACCOUNT = {
    "account_name": "李庄村电商服务站",
    "bank_name": "中国农业银行封丘支行",
    "account_number": "6228480012345678901",
}


async def overpaid(client, county, buyer, total: int, paid: int) -> uuid.UUID:
    """A bank transfer order paid `paid` for `total`: the difference is buyer credit."""
    order_id = await place_order(client, buyer, [total], method="bank_transfer")
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    body = {
        "reference_code": r.json()["reference_code"],
        "amount_fen": paid,
        "bank_reference": f"ICBC-{uuid.uuid4().hex[:8]}",
    }
    r = await client.post(f"{P}/bank-receipts", json=body, headers=county.operator.headers)
    assert r.status_code == 201, r.text
    return order_id


async def credit_of(client, buyer) -> int:
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=buyer.headers)
    return -r.json().get("buyer_credit", 0)


async def record_account(client, county, buyer) -> dict:
    r = await client.put(
        f"{P}/buyers/{buyer.org_id}/bank-account",
        json={"region_id": str(county.region_id), **ACCOUNT},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_buyer_gets_its_credit_back_by_bank_once(client, county):
    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    order_id = await overpaid(client, county, buyer, 20_000, 21_000)
    assert await credit_of(client, buyer) == 1_000
    account = await record_account(client, county, buyer)
    assert account["account_number_masked"] == "****8901"
    assert ACCOUNT["account_number"] not in str(account)
    r = await client.get(f"{P}/buyers/{buyer.org_id}/bank-account", headers=buyer.headers)
    assert r.status_code == 200 and r.json()["account_number_masked"] == "****8901"
    assert ACCOUNT["account_number"] not in r.text

    r = await client.post(
        f"{P}/bank-refunds",
        json={"buyer_org_id": str(buyer.org_id), "reason": "不再需要余额"},
        headers=buyer.headers,
    )
    assert r.status_code == 201, r.text
    refund = r.json()
    assert refund["amount_fen"] == 1_000 and refund["status"] == "requested"
    assert (
        refund["account_number_masked"] == "****8901"
        and refund["bank_name"] == "中国农业银行封丘支行"
    )
    assert ACCOUNT["account_number"] not in r.text
    # the credit is set aside at once: the statement no longer offers it, a second ask fails
    assert await credit_of(client, buyer) == 0
    r = await client.post(
        f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=buyer.headers
    )
    assert r.status_code == 422 and r.json()["type"].endswith("payments-nothing-to-refund")

    r = await client.post(
        f"{P}/bank-refund-batches", json={"region_id": str(county.region_id)}, headers=op
    )
    assert r.status_code == 201, r.text
    batch = r.json()
    assert batch["refund_count"] == 1 and batch["total_fen"] == 1_000
    r = await client.get(f"{P}/bank-refund-batches/{batch['id']}.csv", headers=op)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(r.text)))
    assert row["payee_account"] == ACCOUNT["account_number"]
    assert (
        row["payee_name"] == ACCOUNT["account_name"] and row["payee_bank"] == ACCOUNT["bank_name"]
    )
    assert row["amount_yuan"] == "10.00" and row["memo"] == f"refund {refund['id']}"
    first_file = r.text
    # the refund is in that file and in no other; the file itself reads the same again
    r = await client.post(
        f"{P}/bank-refund-batches", json={"region_id": str(county.region_id)}, headers=op
    )
    assert r.status_code == 422 and r.json()["type"].endswith("payments-no-refunds-to-batch")
    r = await client.get(f"{P}/bank-refund-batches/{batch['id']}.csv", headers=op)
    assert r.text == first_file
    # the buyer never downloads bank files
    r = await client.get(f"{P}/bank-refund-batches/{batch['id']}.csv", headers=buyer.headers)
    assert r.status_code == 404

    r = await client.get(f"{P}/bank-refunds/{refund['id']}", headers=buyer.headers)
    assert r.json()["status"] == "batched" and r.json()["batch_id"] == batch["id"]
    confirm = {"bank_reference": "ABC-20261201-0001"}
    r = await client.post(f"{P}/bank-refunds/{refund['id']}/confirm", json=confirm, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "paid" and r.json()["paid_at"]
    # the bank's confirmation recorded twice changes nothing; another one is refused
    r = await client.post(f"{P}/bank-refunds/{refund['id']}/confirm", json=confirm, headers=op)
    assert r.status_code == 200 and r.json()["status"] == "paid"
    r = await client.post(
        f"{P}/bank-refunds/{refund['id']}/confirm",
        json={"bank_reference": "ABC-OTHER"},
        headers=op,
    )
    assert r.status_code == 409
    assert await journal_count("bank_refund", refund["id"]) == 1
    assert await journal_count("bank_refund_paid", refund["id"]) == 1
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=buyer.headers)
    balances = r.json()
    assert balances.get("buyer_credit", 0) == 0 and balances.get("refund_payable", 0) == 0
    debits, credits = await ledger_totals()
    assert debits == credits
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    assert r.json()["owed_fen"] == 0


async def test_a_refund_never_exceeds_the_credit_or_what_the_order_gave_back(client, county):
    buyer = await new_org(client, county, "station")
    await record_account(client, county, buyer)
    overpaid_order = await overpaid(client, county, buyer, 10_000, 10_500)
    # a cash-on-delivery order, collected and then cancelled, gives all its cash back
    cod_order = await place_order(client, buyer, [4_000], method="cod")
    deliver(
        "delivery.cod.collected",
        {
            "order_id": str(cod_order),
            "run_id": str(uuid.uuid4()),
            "driver_user_id": str(uuid.uuid4()),
            "amount_fen": 4_000,
            "collected_at": "2026-11-28T08:00:00Z",
        },
    )
    await eventually(lambda: _paid(client, buyer, cod_order, 4_000))
    deliver(
        "repository.order.cancelled",
        {"order_id": str(cod_order), "buyer_org_id": str(buyer.org_id), "reason": "buyer"},
    )
    await eventually(lambda: _credit_is(client, buyer, 4_500))

    def ask(**body):
        return client.post(
            f"{P}/bank-refunds",
            json={"buyer_org_id": str(buyer.org_id), **body},
            headers=buyer.headers,
        )

    r = await ask(amount_fen=4_501)
    assert r.status_code == 422
    assert r.json()["type"].endswith("payments-refund-exceeds-refundable")
    assert r.json()["refundable_fen"] == 4_500
    r = await ask(order_id=str(overpaid_order), amount_fen=501)
    assert r.status_code == 422 and r.json()["refundable_fen"] == 500
    r = await ask(order_id=str(cod_order), amount_fen=3_000)
    assert r.status_code == 201, r.text
    assert r.json()["order_id"] == str(cod_order)
    # what is left of that order, then of the whole credit
    r = await ask(order_id=str(cod_order))
    assert r.status_code == 201 and r.json()["amount_fen"] == 1_000
    r = await ask(order_id=str(cod_order))
    assert r.status_code == 422 and r.json()["type"].endswith("payments-nothing-to-refund")
    r = await ask()
    assert r.status_code == 201 and r.json()["amount_fen"] == 500
    assert await credit_of(client, buyer) == 0
    r = await client.get(
        f"{P}/bank-refunds", params={"order_id": str(cod_order)}, headers=buyer.headers
    )
    assert sorted(x["amount_fen"] for x in r.json()["items"]) == [1_000, 3_000]

    # a card order goes back to its card; another buyer's order does not exist
    card_order = await place_order(client, buyer, [2_000], method="card")
    r = await ask(order_id=str(card_order))
    assert r.status_code == 422
    assert r.json()["type"].endswith("payments-card-order-refunds-to-card")
    other = await new_org(client, county, "station")
    foreign = await place_order(client, other, [2_000], method="bank_transfer")
    r = await ask(order_id=str(foreign))
    assert r.status_code == 404
    r = await ask(amount_fen=0)
    assert r.status_code == 422
    r = await ask(amount_fen=100, surprise=True)
    assert r.status_code == 422


async def test_a_buyer_without_an_account_on_file_names_one_in_the_refund(client, county):
    buyer = await new_org(client, county, "station")
    await overpaid(client, county, buyer, 5_000, 5_300)
    r = await client.post(
        f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=buyer.headers
    )
    assert r.status_code == 422 and r.json()["type"].endswith("payments-no-bank-account")
    assert await credit_of(client, buyer) == 300  # a refused request sets nothing aside
    r = await client.get(f"{P}/buyers/{buyer.org_id}/bank-account", headers=buyer.headers)
    assert r.status_code == 404
    named = {**ACCOUNT, "account_number": "6217000011112222"}
    r = await client.post(
        f"{P}/bank-refunds",
        json={"buyer_org_id": str(buyer.org_id), "bank_account": named},
        headers=buyer.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["account_number_masked"] == "****2222" and "6217000011112222" not in r.text
    r = await client.post(
        f"{P}/bank-refunds",
        json={"buyer_org_id": str(buyer.org_id), "bank_account": {**named, "account_number": "12"}},
        headers=buyer.headers,
    )
    assert r.status_code == 422
    # only the operator records accounts on file
    r = await client.put(
        f"{P}/buyers/{buyer.org_id}/bank-account",
        json={"region_id": str(county.region_id), **ACCOUNT},
        headers=buyer.headers,
    )
    assert r.status_code == 403


async def test_a_cancelled_or_returned_refund_gives_the_credit_back(client, county):
    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    await record_account(client, county, buyer)
    await overpaid(client, county, buyer, 8_000, 9_000)
    r = await client.post(f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=op)
    assert r.status_code == 201, r.text  # the operator may ask for the buyer
    first = r.json()
    r = await client.post(f"{P}/bank-refunds/{first['id']}/cancel", json={}, headers=buyer.headers)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert await credit_of(client, buyer) == 1_000
    r = await client.post(f"{P}/bank-refunds/{first['id']}/cancel", json={}, headers=buyer.headers)
    assert r.status_code == 409

    r = await client.post(
        f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=buyer.headers
    )
    second = r.json()
    r = await client.post(
        f"{P}/bank-refund-batches", json={"region_id": str(county.region_id)}, headers=op
    )
    assert r.status_code == 201
    # once in a bank file it can no longer be cancelled, only confirmed or returned
    r = await client.post(f"{P}/bank-refunds/{second['id']}/cancel", headers=buyer.headers)
    assert r.status_code == 409
    assert r.json()["allowed_actions"] == ["confirm", "fail"]
    r = await client.post(
        f"{P}/bank-refunds/{second['id']}/fail", json={"reason": "账户已销户"}, headers=op
    )
    assert r.status_code == 200 and r.json()["status"] == "failed"
    assert await credit_of(client, buyer) == 1_000
    r = await client.post(
        f"{P}/bank-refunds/{second['id']}/confirm", json={"bank_reference": "X"}, headers=op
    )
    assert r.status_code == 409
    # the buyer records nothing from the bank
    r = await client.post(
        f"{P}/bank-refunds/{second['id']}/fail", json={"reason": "x"}, headers=buyer.headers
    )
    assert r.status_code == 403
    r = await client.get(f"{P}/bank-refunds", params={"status": "failed"}, headers=buyer.headers)
    assert [x["id"] for x in r.json()["items"]] == [second["id"]]
    debits, credits = await ledger_totals()
    assert debits == credits


async def test_asking_twice_at_once_or_retrying_refunds_once(client, county):
    buyer = await new_org(client, county, "station")
    await record_account(client, county, buyer)
    await overpaid(client, county, buyer, 6_000, 7_000)
    body = {"buyer_org_id": str(buyer.org_id)}
    both = await asyncio.gather(
        *(client.post(f"{P}/bank-refunds", json=body, headers=buyer.headers) for _ in range(2))
    )
    assert sorted(r.status_code for r in both) == [201, 422]
    assert await credit_of(client, buyer) == 0

    other = await new_org(client, county, "station")
    await record_account(client, county, other)
    await overpaid(client, county, other, 6_000, 6_800)
    key = {"Idempotency-Key": str(uuid.uuid4()), **other.headers}
    body = {"buyer_org_id": str(other.org_id), "amount_fen": 300}
    first = await client.post(f"{P}/bank-refunds", json=body, headers=key)
    again = await client.post(f"{P}/bank-refunds", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert await credit_of(client, other) == 500


async def test_only_the_buyer_and_its_operator_see_or_ask(client, county, admin):
    buyer = await new_org(client, county, "station")
    await record_account(client, county, buyer)
    await overpaid(client, county, buyer, 3_000, 3_200)
    r = await client.post(
        f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=buyer.headers
    )
    refund = r.json()
    stranger = await new_org(client, county, "station")
    elsewhere = await new_county(client, admin)
    for headers in (stranger.headers, elsewhere.operator.headers):
        r = await client.get(f"{P}/bank-refunds/{refund['id']}", headers=headers)
        assert r.status_code == 404
        r = await client.post(
            f"{P}/bank-refunds", json={"buyer_org_id": str(buyer.org_id)}, headers=headers
        )
        assert r.status_code == 404
        r = await client.get(f"{P}/buyers/{buyer.org_id}/bank-account", headers=headers)
        assert r.status_code == 404
        r = await client.get(f"{P}/bank-refunds", headers=headers)
        assert refund["id"] not in [x["id"] for x in r.json()["items"]]
    # another county's operator cannot move the buyer's account into its region
    r = await client.put(
        f"{P}/buyers/{buyer.org_id}/bank-account",
        json={"region_id": str(elsewhere.region_id), **ACCOUNT},
        headers=elsewhere.operator.headers,
    )
    assert r.status_code == 404
    # a buyer's staff member sees the refund but may not move money
    staff = await add_member(client, buyer, ["staff"])
    r = await client.get(f"{P}/bank-refunds/{refund['id']}", headers=staff.headers)
    assert r.status_code == 200
    r = await client.post(f"{P}/bank-refunds/{refund['id']}/cancel", headers=staff.headers)
    assert r.status_code == 403


async def _paid(client, buyer, order_id, fen) -> bool:
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    return r.json()["paid_fen"] == fen


async def _credit_is(client, buyer, fen) -> bool:
    return await credit_of(client, buyer) == fen
