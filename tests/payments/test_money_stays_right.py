"""Money and orders stay right when a county uses them (issue 12): no money kept for a
cancelled order, no misleading 404 for an order on its way, no bank receipt counted twice,
months that are months, the operator's books, one rule for credit terms."""

from __future__ import annotations

import asyncio
import io
import uuid

from openpyxl import load_workbook

from shared.tasks import send_task
from tests.factories import eventually, new_county, new_org
from tests.payments.helpers import (
    P,
    card,
    deliver,
    handled,
    intent_event,
    last_month,
    ledger_totals,
    order_placed_event,
    outbox_events,
    place_order_with_lines,
    signed,
    stripe_client,
)


async def money(client, who, order_id) -> dict:
    r = await client.get(f"{P}/orders/{order_id}", headers=who.headers)
    assert r.status_code == 200, r.text
    return r.json()


def problem_type(r) -> str:
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    return r.json()["type"]


# ------------------------------------------------------------------ money on a cancelled order


async def test_a_card_paid_after_the_order_was_cancelled_is_refunded_not_kept(
    client, county, stripe_webhooks
):
    buyer = await new_org(client, county, "station")
    month, in_month = last_month()
    supplier = uuid.uuid4()
    order_id, _ = await place_order_with_lines(
        client, buyer, [240_000], "card", supplier, placed_at=in_month
    )
    r = await client.post(
        f"{P}/orders/{order_id}/intent",
        json={"payment_method": card("4242424242424242")},
        headers=buyer.headers,
    )
    ref = r.json()["provider_ref"]
    # a first attempt is declined (localstripe cannot retry a declined intent, so the
    # decline is Stripe's signed event; the retry below is a real capture)
    payload, headers = signed(
        intent_event(f"evt_decline_{ref}", "payment_intent.payment_failed", ref, "failed")
    )
    r = await client.post(f"{P}/stripe/webhook", content=payload, headers=headers)
    assert r.json()["outcome"] == "applied"
    r = await client.get(f"{P}/orders/{order_id}/payment", headers=buyer.headers)
    assert r.json()["status"] == "failed"
    assert len(await outbox_events("payments.payment.failed", order_id)) == 1
    # the repository cancels the order on payments.payment.failed and says so
    cancelled = deliver(
        "repository.order.cancelled",
        {"order_id": str(order_id), "buyer_org_id": str(buyer.org_id), "reason": "payment"},
        buyer.region_id,
    )
    await handled(cancelled)
    assert (await money(client, buyer, order_id))["status"] == "cancelled"
    r = await client.get(f"{P}/orders/{order_id}/payment", headers=buyer.headers)
    assert r.json()["status"] == "canceled"

    # a cancelled order cannot be paid: no client secret
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 409
    assert problem_type(r).endswith("payments-order-cancelled")

    # the buyer's app still holds the old client secret and retries with another card
    stripe_client().payment_intents.update(ref, params={"payment_method": card("4242424242424242")})
    assert stripe_client().payment_intents.confirm(ref).status == "succeeded"

    async def refunded():
        state = await money(client, buyer, order_id)
        return state if state["refunded_fen"] == 240_000 else None

    state = await eventually(refunded)
    assert state["status"] == "cancelled" and state["paid_fen"] == 240_000
    assert state["owed_fen"] == 0
    refunds = stripe_client().refunds.list(params={"limit": 100})
    assert [x.amount for x in refunds.data if x.payment_intent == ref] == [240_000]
    # nobody was told the order is paid, and the ledger holds nothing for it
    assert await outbox_events("payments.payment.succeeded", order_id) == []
    debits, credits = await ledger_totals()
    assert debits == credits
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=buyer.headers)
    assert r.json().get("buyer_receivable", 0) == 0
    r = await client.get(f"{P}/refunds", params={"order_id": str(order_id)}, headers=buyer.headers)
    assert [(x["kind"], x["amount_fen"], x["status"]) for x in r.json()["items"]] == [
        ("stripe_refund", 240_000, "done")
    ]
    # the supplier's month does not count the order as sold
    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": month},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    assert [s for s in r.json() if s["supplier_id"] == str(supplier)] == []


async def test_the_intent_of_an_order_cancelled_by_the_repository_is_refused(client, county):
    buyer = await new_org(client, county, "station")
    order_id, _ = await place_order_with_lines(client, buyer, [3_000])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 200 and r.json()["client_secret"]
    cancelled = deliver(
        "repository.order.cancelled",
        {"order_id": str(order_id), "buyer_org_id": str(buyer.org_id), "reason": "expired"},
        buyer.region_id,
    )
    await handled(cancelled)
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 409 and problem_type(r).endswith("payments-order-cancelled")


# ------------------------------------------------------------------ an order on its way


async def test_the_intent_waits_for_an_order_whose_event_is_still_on_its_way(client, county):
    buyer = await new_org(client, county, "station")
    event, _ = order_placed_event(buyer, [7_700])
    order_id = event.data["order_id"]

    async def arrives_late() -> None:
        await asyncio.sleep(1.0)
        send_task("payments.handle_event", event.model_dump(mode="json"), "payments")

    late = asyncio.create_task(arrives_late())
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    await late
    assert r.status_code == 200, r.text
    assert r.json()["client_secret"] and r.json()["amount_fen"] == 7_700


async def test_an_order_payments_never_heard_of_is_409_with_retry_after_not_404(client, county):
    buyer = await new_org(client, county, "station")
    r = await client.post(f"{P}/orders/{uuid.uuid4()}/intent", headers=buyer.headers)
    assert r.status_code == 409
    assert problem_type(r).endswith("payments-order-not-yet-known")
    assert int(r.headers["retry-after"]) > 0


# ------------------------------------------------------------------ bank receipts


async def test_a_bank_reference_counts_once_per_account(client, county):
    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    order_id, _ = await place_order_with_lines(client, buyer, [60_000], "bank_transfer")
    code = (await money(client, buyer, order_id))["reference_code"]
    receipt = {"reference_code": code, "amount_fen": 45_000, "bank_reference": "ICBC-0001"}
    r = await client.post(f"{P}/bank-receipts", json=receipt, headers=op)
    assert r.status_code == 201 and r.json()["paid_fen"] == 45_000
    # keyed again: a replay
    r = await client.post(f"{P}/bank-receipts", json=receipt, headers=op)
    assert r.status_code == 201 and r.json()["paid_fen"] == 45_000
    # the same reference with another amount is another receipt: refused
    r = await client.post(f"{P}/bank-receipts", json={**receipt, "amount_fen": 5_000}, headers=op)
    assert r.status_code == 409
    assert problem_type(r).endswith("payments-bank-reference-reused")

    # two operators key the next receipt at the same moment
    second = {"reference_code": code, "amount_fen": 15_000, "bank_reference": "ICBC-0002"}
    answers = await asyncio.gather(
        *[client.post(f"{P}/bank-receipts", json=second, headers=op) for _ in range(2)]
    )
    assert [a.status_code for a in answers] == [201, 201]
    state = await money(client, buyer, order_id)
    assert state["paid_fen"] == 60_000 and state["owed_fen"] == 0
    r = await client.get(f"{P}/bank-receipts", params={"order_id": str(order_id)}, headers=op)
    assert sorted(x["bank_reference"] for x in r.json()["items"]) == ["ICBC-0001", "ICBC-0002"]
    r = await client.get(f"{P}/refunds", params={"order_id": str(order_id)}, headers=op)
    assert r.json()["items"] == []  # no overpayment, so no buyer credit

    # one reference keyed at once for two different orders: one receipt, one refusal
    other, _ = await place_order_with_lines(client, buyer, [9_000], "bank_transfer")
    third, _ = await place_order_with_lines(client, buyer, [9_000], "bank_transfer")
    bodies = [
        {
            "reference_code": (await money(client, buyer, o))["reference_code"],
            "amount_fen": 9_000,
            "bank_reference": "ICBC-0003",
        }
        for o in (other, third)
    ]
    answers = await asyncio.gather(
        *[client.post(f"{P}/bank-receipts", json=b, headers=op) for b in bodies]
    )
    assert sorted(a.status_code for a in answers) == [201, 409]
    paid = [(await money(client, buyer, o))["paid_fen"] for o in (other, third)]
    assert sorted(paid) == [0, 9_000]
    debits, credits = await ledger_totals()
    assert debits == credits


# ------------------------------------------------------------------ months


async def test_months_out_of_range_are_422_problems(client, county):
    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    for month in ("9999-12", "2026-13", "2026-00", "0001-01"):
        r = await client.get(
            f"{P}/buyers/{buyer.org_id}/statement", params={"month": month}, headers=buyer.headers
        )
        assert r.status_code == 422, (month, r.text)
        problem_type(r)
        r = await client.post(
            f"{P}/supplier-statements",
            json={"region_id": str(county.region_id), "month": month},
            headers=op,
        )
        assert r.status_code == 422, (month, r.text)
        r = await client.get(
            f"{P}/supplier-statements/bank-batch.csv",
            params={"region_id": str(county.region_id), "month": month},
            headers=op,
        )
        assert r.status_code == 422, (month, r.text)
        r = await client.get(f"{P}/supplier-statements", params={"month": month}, headers=op)
        assert r.status_code == 422, (month, r.text)


async def test_a_month_in_progress_cannot_be_closed_and_a_closed_month_stays_as_closed(
    client, county
):
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    region = str(county.region_id)
    now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    this_month = now.strftime("%Y-%m")
    next_month = f"{now.year + (now.month == 12)}-{now.month % 12 + 1:02d}"
    for month in (this_month, next_month):
        r = await client.post(
            f"{P}/supplier-statements", json={"region_id": region, "month": month}, headers=op
        )
        assert r.status_code == 422, r.text
        assert problem_type(r).endswith("payments-month-not-over")
        assert r.json()["closable_from"]

    month, in_month = last_month()
    order_id, lines = await place_order_with_lines(
        client, buyer, [10_000], "bank_transfer", placed_at=in_month
    )
    r = await client.post(
        f"{P}/supplier-statements", json={"region_id": region, "month": month}, headers=op
    )
    assert r.status_code == 200, r.text
    first = r.json()
    assert [s["sold_fen"] for s in first] == [10_000]

    # a shortage arrives after the close: the closed statement does not change
    late = deliver(
        "repository.order.line_shortened",
        {
            "order_id": str(order_id),
            "line_id": lines[0]["line_id"],
            "variant_id": lines[0]["variant_id"],
            "supplier_id": lines[0]["supplier_id"],
            "quantity_shortened": 1,
            "amount_fen": 4_000,
        },
        buyer.region_id,
    )
    await handled(late)
    assert (await money(client, buyer, order_id))["removed_fen"] == 4_000
    r = await client.post(
        f"{P}/supplier-statements", json={"region_id": region, "month": month}, headers=op
    )
    assert r.status_code == 200 and r.json() == first


# ------------------------------------------------------------------ the operator's books


async def test_the_operator_reads_its_region_s_books_and_no_one_else_does(client, county, admin):
    buyer = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    op = county.operator.headers
    region = str(county.region_id)
    order_id, _ = await place_order_with_lines(
        client, buyer, [10_000], "bank_transfer", supplier.org_id
    )
    code = (await money(client, buyer, order_id))["reference_code"]
    r = await client.post(
        f"{P}/bank-receipts",
        json={"reference_code": code, "amount_fen": 4_000, "bank_reference": "ABC-1"},
        headers=op,
    )
    assert r.status_code == 201

    # the operator reads its stations' and suppliers' balances
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=op)
    assert r.status_code == 200 and r.json()["buyer_receivable"] == 6_000
    r = await client.get(f"{P}/ledger/balances/{supplier.org_id}", headers=op)
    assert r.status_code == 200 and r.json()["supplier_payable"] == -9_500

    r = await client.get(f"{P}/ledger/regions/{region}/trial-balance", headers=op)
    assert r.status_code == 200, r.text
    trial = r.json()
    assert trial["balanced"] and trial["debit_fen"] == trial["credit_fen"] == 14_000
    rows = {(a["purpose"], a["org_id"]): a["balance_fen"] for a in trial["accounts"]}
    assert rows[("buyer_receivable", str(buyer.org_id))] == 6_000
    assert rows[("supplier_payable", str(supplier.org_id))] == -9_500
    assert rows[("platform_fee_income", None)] == -500
    assert rows[("bank", None)] == 4_000
    assert sum(rows.values()) == 0

    r = await client.get(
        f"{P}/ledger/regions/{region}/accounts/buyer_receivable",
        params={"org_id": str(buyer.org_id), "limit": 1},
        headers=op,
    )
    assert r.status_code == 200, r.text
    page = r.json()
    assert [(x["cause_type"], x["debit_fen"], x["balance_fen"]) for x in page["items"]] == [
        ("order", 10_000, 10_000)
    ]
    r = await client.get(
        f"{P}/ledger/regions/{region}/accounts/buyer_receivable",
        params={"org_id": str(buyer.org_id), "cursor": page["next_cursor"]},
        headers=op,
    )
    assert [(x["cause_type"], x["credit_fen"], x["balance_fen"]) for x in r.json()["items"]] == [
        ("payment", 4_000, 6_000)
    ]
    r = await client.get(f"{P}/ledger/regions/{region}/accounts/bank", headers=op)
    assert [x["balance_fen"] for x in r.json()["items"]] == [4_000]

    r = await client.post(f"{P}/ledger/reconciliations", params={"region_id": region}, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["ledger_balanced"] and r.json()["region_id"] == region

    # another county's operator, the buyer and the supplier: the region's books do not exist
    elsewhere = await new_county(client, admin, name="兰考县")
    for who in (elsewhere.operator, buyer, supplier):
        r = await client.get(f"{P}/ledger/regions/{region}/trial-balance", headers=who.headers)
        assert r.status_code == 404, r.text
        r = await client.get(f"{P}/ledger/regions/{region}/accounts/bank", headers=who.headers)
        assert r.status_code == 404
        r = await client.post(
            f"{P}/ledger/reconciliations", params={"region_id": region}, headers=who.headers
        )
        assert r.status_code == 404
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=elsewhere.operator.headers)
    assert r.status_code == 404
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=supplier.headers)
    assert r.status_code == 404


async def test_a_supplier_downloads_its_own_statement_as_xlsx(client, county):
    buyer = await new_org(client, county, "station")
    supplier = await new_org(client, county, "supplier")
    other = await new_org(client, county, "supplier")
    month, in_month = last_month()
    await place_order_with_lines(
        client, buyer, [20_000], "bank_transfer", supplier.org_id, placed_at=in_month
    )
    r = await client.post(
        f"{P}/supplier-statements",
        json={"region_id": str(county.region_id), "month": month},
        headers=county.operator.headers,
    )
    [statement] = [s for s in r.json() if s["supplier_id"] == str(supplier.org_id)]
    r = await client.get(
        f"{P}/supplier-statements/{statement['id']}.xlsx", headers=supplier.headers
    )
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.cell(2, 6).value == statement["payable_fen"] == 19_000
    for who in (other, buyer):
        r = await client.get(f"{P}/supplier-statements/{statement['id']}.xlsx", headers=who.headers)
        assert r.status_code == 404
    # the supplier reads its statement but only the operator marks it paid
    r = await client.post(
        f"{P}/supplier-statements/{statement['id']}/mark-paid", headers=supplier.headers
    )
    assert r.status_code == 403


# ------------------------------------------------------------------ credit terms


async def test_credit_terms_follow_one_rule_set_here_or_by_event(client, county):
    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    region = str(county.region_id)
    url = f"{P}/credit-lines/{buyer.org_id}"
    r = await client.put(
        url, json={"region_id": region, "limit_fen": 5_000, "terms_days": 0}, headers=op
    )
    assert r.status_code == 200, r.text  # 0 days: due at once, as on the buyer account
    assert r.json()["terms_days"] == 0
    for bad in (-1, 181):
        r = await client.put(
            url, json={"region_id": region, "limit_fen": 5_000, "terms_days": bad}, headers=op
        )
        assert r.status_code == 422, r.text

    # terms arriving from the repository follow the same rule
    good = deliver(
        "repository.buyer.credit_terms_set",
        {
            "buyer_org_id": str(buyer.org_id),
            "region_id": region,
            "credit_limit_fen": 8_000,
            "terms_days": 45,
        },
        buyer.region_id,
    )
    await handled(good)
    bad = deliver(
        "repository.buyer.credit_terms_set",
        {
            "buyer_org_id": str(buyer.org_id),
            "region_id": region,
            "credit_limit_fen": 9_000,
            "terms_days": 400,
        },
        buyer.region_id,
    )
    await handled(bad)
    r = await client.get(url, headers=buyer.headers)
    assert (r.json()["limit_fen"], r.json()["terms_days"]) == (8_000, 45)
