"""Livestream commission: an approved statement becomes commission payable to its streamer
or agency in the ledger, a clawback is carried forward into the next statement, payees are
paid in a bank batch file (the suppliers' format) and the batch marked paid is announced."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from services.payments.commissions import rules
from services.payments.db import kernel
from services.payments.ledger import core
from services.payments.ledger.core import Account, Purpose
from services.payments.statements.rules import bank_batch_csv
from shared.db import sessionmaker_for
from tests.factories import eventually, new_county, new_org
from tests.payments.helpers import P, deliver, handled, journal_count, redeliver

PAYEE = uuid.uuid4()

# ------------------------------------------------------------------ the rules (pure)


def test_a_positive_statement_is_paid_after_the_clawback_carried_in():
    assert rules.net_statement(1_000, -300) == rules.Netted(-300, 700, 0)
    assert rules.net_statement(200, -300) == rules.Netted(-300, 0, -100)
    assert rules.net_statement(-50, 0) == rules.Netted(0, 0, -50)
    assert rules.net_statement(0, 0).status == "carried_forward"
    with pytest.raises(ValueError):
        rules.net_statement(10, 5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-1_000_000, 1_000_000), max_size=20))
def test_any_run_of_statements_pays_exactly_its_totals_less_what_is_still_carried(totals):
    carried = 0
    paid = 0
    entries = []
    for n, total in enumerate(totals):
        netted = rules.net_statement(total, carried)
        assert netted.amount_fen >= 0 and netted.carried_out_fen <= 0
        carried = netted.carried_out_fen
        paid += netted.amount_fen
        entries.append(core.commission_statement_entry(n, PAYEE, total))
        if netted.amount_fen:
            entries.append(core.commission_payout_entry(n, PAYEE, netted.amount_fen))
    assert paid + carried == sum(totals)
    balances = core.balances(entries)
    # every entry is balanced; the payee's account holds exactly the carried clawback
    assert sum(balances.values()) == 0
    assert balances.get(Account(Purpose.COMMISSION_PAYABLE, PAYEE), 0) == -carried
    assert -balances.get(Account(Purpose.BANK), 0) == paid


def test_the_commission_file_is_the_suppliers_payout_file():
    text = bank_batch_csv([("p", str(PAYEE), 12_345, "commission 2026-11 s")])
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == ["seq", "payee_name", "payee_id", "amount_yuan", "currency", "memo"]
    assert row[3] == "123.45" and row[4] == "CNY"


# ------------------------------------------------------------------ through the worker


def approved(payee, kind: str, total_fen: int, period: str = "2026-11", statement_id=None):
    """livestream's `livestream.statement.approved` for `payee`, sent to the worker."""
    return deliver(
        "livestream.statement.approved",
        {
            "statement_id": str(statement_id or uuid.uuid4()),
            "region_id": str(payee.region_id),
            "payee_org_id": str(payee.org_id),
            "payee_kind": kind,
            "period": period,
            "total_fen": total_fen,
            "line_count": 3,
            "approved_at": datetime.now(UTC).isoformat(),
        },
        region_id=payee.region_id,
    )


async def paid_events(batch_id: str) -> list[dict]:
    async with sessionmaker_for(kernel)() as session:
        rows = await session.execute(
            select(kernel.outbox.c.payload).where(
                kernel.outbox.c.event_type == "payments.commission_payout.paid"
            )
        )
        return [p["data"] for (p,) in rows if p["data"]["bank_batch_id"] == batch_id]


async def test_streamer_and_agency_are_paid_their_commission_once_and_the_books_balance(
    client, county, admin
):
    streamer = await new_org(client, county, "streamer")
    agency = await new_org(client, county, "livestream_agency")
    op = county.operator.headers
    region = str(county.region_id)

    # the streamer's statement, replayed (same event) and sent again (another event, the
    # same statement): booked once
    first = approved(streamer, "streamer", 12_345)
    statement = first.data["statement_id"]
    redeliver(first)
    again = approved(streamer, "streamer", 12_345, statement_id=statement)
    # the agency's clawback month, then a positive one that nets it
    clawback = approved(agency, "agency", -500, period="2026-10")
    await handled(first, again, clawback)
    recovery = approved(agency, "agency", 2_000, period="2026-11")
    await handled(recovery)
    assert await journal_count("commission_statement", statement) == 1

    r = await client.get(f"{P}/commission-payouts/{statement}", headers=streamer.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "payable" and r.json()["amount_fen"] == 12_345
    r = await client.get(
        f"{P}/commission-payouts", params={"payee_org_id": str(streamer.org_id)}, headers=op
    )
    assert [p["statement_id"] for p in r.json()["items"]] == [statement]

    r = await client.get(f"{P}/commission-payouts/{clawback.data['statement_id']}", headers=op)
    assert r.json()["status"] == "carried_forward"
    assert r.json()["amount_fen"] == 0 and r.json()["carried_out_fen"] == -500
    r = await client.get(f"{P}/commission-payouts/{recovery.data['statement_id']}", headers=op)
    assert r.json()["carried_in_fen"] == -500 and r.json()["amount_fen"] == 1_500
    r = await client.get(f"{P}/commission-payees/{agency.org_id}", headers=agency.headers)
    assert r.status_code == 200, r.text
    assert r.json()["carried_forward_fen"] == 0 and r.json()["payable_fen"] == 1_500
    assert r.json()["ledger_balance_fen"] == 1_500

    # the operator's bank file: both payees, in the suppliers' layout
    r = await client.post(f"{P}/commission-payout-batches", json={"region_id": region}, headers=op)
    assert r.status_code == 201, r.text
    batch = r.json()
    assert batch["payout_count"] == 2 and batch["total_fen"] == 13_845
    r = await client.get(f"{P}/commission-payout-batches/{batch['id']}.csv", headers=op)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = {x["payee_id"]: x for x in csv.DictReader(io.StringIO(r.text))}
    assert rows[str(streamer.org_id)]["amount_yuan"] == "123.45"
    assert rows[str(agency.org_id)]["amount_yuan"] == "15.00"
    assert rows[str(agency.org_id)]["memo"] == f"commission 2026-11 {recovery.data['statement_id']}"
    # nothing is left for a second file
    r = await client.post(f"{P}/commission-payout-batches", json={"region_id": region}, headers=op)
    assert r.status_code == 422
    assert r.json()["type"].endswith("payments-no-commission-to-pay-out")

    r = await client.post(
        f"{P}/commission-payout-batches/{batch['id']}/mark-paid",
        json={"bank_reference": "BATCH-0001"},
        headers=op,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "paid"
    r = await client.post(f"{P}/commission-payout-batches/{batch['id']}/mark-paid", headers=op)
    assert r.status_code == 409

    events = await paid_events(batch["id"])
    assert sorted((e["payee_org_id"], e["amount_fen"]) for e in events) == sorted(
        [(str(streamer.org_id), 12_345), (str(agency.org_id), 1_500)]
    )
    [paid] = [e for e in events if e["statement_id"] == statement]
    assert set(paid) == {
        "statement_id",
        "region_id",
        "payee_org_id",
        "amount_fen",
        "bank_batch_id",
        "paid_at",
    }
    assert paid["region_id"] == region
    r = await client.get(f"{P}/commission-payouts/{statement}", headers=streamer.headers)
    assert r.json()["status"] == "paid" and r.json()["batch_id"] == batch["id"]
    r = await client.get(f"{P}/commission-payees/{streamer.org_id}", headers=streamer.headers)
    assert r.json()["payable_fen"] == 0 and r.json()["paid_fen"] == 12_345
    assert r.json()["ledger_balance_fen"] == 0

    # a replay after payment still books and pays nothing twice
    late = approved(streamer, "streamer", 12_345, statement_id=statement)
    await handled(late)
    assert await journal_count("commission_statement", statement) == 1
    assert await journal_count("commission_payout", statement) == 1

    r = await client.get(f"{P}/ledger/regions/{region}/trial-balance", headers=op)
    trial = r.json()
    assert trial["balanced"] and trial["debit_fen"] == trial["credit_fen"]
    accounts = {(a["purpose"], a["org_id"]): a["balance_fen"] for a in trial["accounts"]}
    assert accounts[("commission_payable", str(streamer.org_id))] == 0
    assert accounts[("commission_payable", str(agency.org_id))] == 0
    assert accounts[("commission_expense", None)] == 12_345 + 2_000 - 500
    assert accounts[("bank", None)] == -(12_345 + 1_500)


async def test_a_payee_sees_only_its_own_commission(client, county, admin):
    streamer = await new_org(client, county, "streamer")
    other = await new_org(client, county, "streamer")
    elsewhere = await new_county(client, admin, name="兰考县")
    event = approved(streamer, "streamer", 800)
    await handled(event)
    statement = event.data["statement_id"]

    for who in (other, elsewhere.operator):
        r = await client.get(f"{P}/commission-payouts/{statement}", headers=who.headers)
        assert r.status_code == 404, r.text
        r = await client.get(f"{P}/commission-payees/{streamer.org_id}", headers=who.headers)
        assert r.status_code == 404
        r = await client.get(
            f"{P}/commission-payouts",
            params={"payee_org_id": str(streamer.org_id)},
            headers=who.headers,
        )
        assert r.status_code == 200 and r.json()["items"] == []
    r = await client.get(f"{P}/commission-payees/{uuid.uuid4()}", headers=county.operator.headers)
    assert r.status_code == 404

    # the operator's batch is the region's: another county's operator cannot see or pay it,
    # a streamer may not make one
    r = await client.post(
        f"{P}/commission-payout-batches",
        json={"region_id": str(county.region_id)},
        headers=streamer.headers,
    )
    assert r.status_code == 403
    r = await client.post(
        f"{P}/commission-payout-batches",
        json={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert r.status_code == 201, r.text
    batch = r.json()["id"]
    for who in (elsewhere.operator, streamer):
        r = await client.get(f"{P}/commission-payout-batches/{batch}", headers=who.headers)
        assert r.status_code == 404
        r = await client.get(f"{P}/commission-payout-batches/{batch}.csv", headers=who.headers)
        assert r.status_code == 404
        r = await client.post(
            f"{P}/commission-payout-batches/{batch}/mark-paid", headers=who.headers
        )
        assert r.status_code == 404
    r = await client.get(
        f"{P}/commission-payout-batches",
        params={"region_id": str(county.region_id)},
        headers=county.operator.headers,
    )
    assert [b["id"] for b in r.json()["items"]] == [batch]

    async def batched():
        r = await client.get(f"{P}/commission-payouts/{statement}", headers=streamer.headers)
        return r.json()["status"] == "batched"

    await eventually(batched)
