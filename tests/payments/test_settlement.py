"""Refunds, bank transfer, cash on delivery and credit terms, as the people involved see them."""

from __future__ import annotations

import asyncio
import uuid

from shared.tasks import send_task
from tests.factories import eventually, new_org
from tests.payments.helpers import (
    P,
    card,
    deliver,
    ledger_totals,
    outbox_events,
    place_order,
    place_order_with_lines,
    stripe_client,
)


async def money(client, buyer, order_id) -> dict:
    r = await client.get(f"{P}/orders/{order_id}", headers=buyer.headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_shortage_after_card_payment_is_partly_refunded_through_stripe(
    client, county, admin, stripe_webhooks
):
    buyer = await new_org(client, county, "station")
    order_id, lines = await place_order_with_lines(client, buyer, [10_000, 2_500])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    ref = r.json()["provider_ref"]
    await client.post(
        f"{P}/orders/{order_id}/intent",
        json={"payment_method": card("4242424242424242")},
        headers=buyer.headers,
    )
    stripe_client().payment_intents.confirm(ref)

    async def paid():
        return (await money(client, buyer, order_id))["paid_fen"] == 12_500

    await eventually(paid)
    shortage = {
        "order_id": str(order_id),
        "line_id": lines[1]["line_id"],
        "variant_id": lines[1]["variant_id"],
        "supplier_id": lines[1]["supplier_id"],
        "quantity_shortened": 1,
        "amount_fen": 1_000,
    }
    event = deliver("repository.order.line_shortened", shortage, buyer.region_id)

    async def refunded():
        return (await money(client, buyer, order_id))["refunded_fen"] == 1_000

    await eventually(refunded)
    # the same event delivered again (same id) refunds nothing more
    send_task("payments.handle_event", event.model_dump(mode="json"), "payments")
    await asyncio.sleep(2)
    refunds = stripe_client().refunds.list(params={"limit": 100})
    mine = [x for x in refunds.data if x.payment_intent == ref]
    assert [x.amount for x in mine] == [1_000]
    state = await money(client, buyer, order_id)
    assert state["owed_fen"] == 0 and state["removed_fen"] == 1_000
    debits, credits = await ledger_totals()
    assert debits == credits
    r = await client.post(f"{P}/ledger/reconciliations", headers=admin.headers)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["ledger_balanced"] and report["checked"] >= 1
    assert [d for d in report["differences"] if d.get("order_id") == str(order_id)] == []
    r = await client.get(f"{P}/ledger/balances/{buyer.org_id}", headers=buyer.headers)
    assert r.json().get("buyer_receivable", 0) == 0


async def test_cancelled_unpaid_order_owes_nothing_and_refunds_nothing(client, county):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [4_000])
    deliver(
        "repository.order.cancelled",
        {"order_id": str(order_id), "buyer_org_id": str(buyer.org_id), "reason": "buyer"},
    )

    async def cancelled():
        return (await money(client, buyer, order_id))["status"] == "cancelled"

    await eventually(cancelled)
    state = await money(client, buyer, order_id)
    assert state["owed_fen"] == 0 and state["refunded_fen"] == 0
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 409 and r.json()["type"].endswith("payments-order-cancelled")


async def test_bank_transfer_partial_then_overpayment_becomes_buyer_credit(client, county):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [20_000], method="bank_transfer")
    code = (await money(client, buyer, order_id))["reference_code"]
    assert code
    op = county.operator.headers
    body = {"reference_code": code, "amount_fen": 15_000, "bank_reference": "ICBC-1"}
    r = await client.post(f"{P}/bank-receipts", json=body, headers=op)
    assert r.status_code == 201, r.text
    assert r.json()["owed_fen"] == 5_000
    assert await outbox_events("payments.payment.succeeded", order_id) == []
    body = {"reference_code": code, "amount_fen": 6_000, "bank_reference": "ICBC-2"}
    r = await client.post(f"{P}/bank-receipts", json=body, headers=op)
    state = r.json()
    assert state["owed_fen"] == 0 and state["paid_fen"] == 21_000 and state["refunded_fen"] == 1_000
    assert len(await outbox_events("payments.payment.succeeded", order_id)) == 1
    # the buyer cannot record receipts
    r = await client.post(f"{P}/bank-receipts", json=body, headers=buyer.headers)
    assert r.status_code in (403, 404)


async def test_cod_run_reconciliation_reports_the_missing_cash(client, county):
    buyer = await new_org(client, county, "station")
    run_id = uuid.uuid4()
    orders = [await place_order(client, buyer, [fen], method="cod") for fen in (3_000, 4_500)]
    for order_id, fen in zip(orders, (3_000, 4_500), strict=True):
        deliver(
            "delivery.cod.collected",
            {
                "order_id": str(order_id),
                "run_id": str(run_id),
                "driver_user_id": str(uuid.uuid4()),
                "amount_fen": fen,
                "collected_at": "2026-11-28T08:00:00Z",
            },
        )
    op = county.operator.headers

    async def both_collected():
        r = await client.get(f"{P}/cod/runs/{run_id}", headers=op)
        return r.status_code == 200 and r.json()["collections"] == 2

    await eventually(both_collected)
    r = await client.post(f"{P}/cod/runs/{run_id}/hand-ins", json={"amount_fen": 7_000}, headers=op)
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["collected_fen"] == 7_500 and report["missing_fen"] == 500
    assert (await money(client, buyer, orders[1]))["owed_fen"] == 0


async def test_credit_orders_are_accepted_within_the_limit_only(client, county):
    buyer = await new_org(client, county, "station")
    op = county.operator.headers
    r = await client.put(
        f"{P}/credit-lines/{buyer.org_id}",
        json={"region_id": str(county.region_id), "limit_fen": 10_000, "terms_days": 30},
        headers=op,
    )
    assert r.status_code == 200, r.text
    first = await place_order(client, buyer, [6_000], method="credit")

    async def decided(order_id, status):
        return (await money(client, buyer, order_id))["status"] == status

    await eventually(lambda: decided(first, "accepted_on_credit"))
    assert len(await outbox_events("payments.order.accepted_on_credit", first)) == 1
    second = await place_order(client, buyer, [5_000], method="credit")
    await eventually(lambda: decided(second, "credit_refused"))
    failed = await outbox_events("payments.payment.failed", second)
    assert failed[0]["data"]["reason"] == "credit_limit_exceeded"


async def test_an_overdue_credit_balance_blocks_new_credit_orders(client, county):
    from datetime import timedelta

    from sqlalchemy import update

    from services.payments.db import kernel
    from services.payments.intents.models import OrderAccount
    from shared.db import sessionmaker_for, utcnow

    buyer = await new_org(client, county, "station")
    r = await client.put(
        f"{P}/credit-lines/{buyer.org_id}",
        json={"region_id": str(county.region_id), "limit_fen": 100_000, "terms_days": 30},
        headers=county.operator.headers,
    )
    assert r.status_code == 200, r.text
    old = await place_order(client, buyer, [2_000], method="credit")

    async def accepted():
        return (await money(client, buyer, old))["status"] == "accepted_on_credit"

    await eventually(accepted)
    # the clock moves on: that order was placed 40 days ago and is still unpaid
    async with sessionmaker_for(kernel)() as session:
        await session.execute(
            update(OrderAccount)
            .where(OrderAccount.order_id == old)
            .values(placed_at=utcnow() - timedelta(days=40))
        )
        await session.commit()
    new = await place_order(client, buyer, [1_000], method="credit")

    async def refused():
        return (await money(client, buyer, new))["status"] == "credit_refused"

    await eventually(refused)
    [failed] = await outbox_events("payments.payment.failed", new)
    assert failed["data"]["reason"] == "credit_overdue"


async def test_a_shortage_refund_waits_while_stripe_is_down_and_is_paid_once_after(
    client, county, stripe_webhooks, monkeypatch
):
    from sqlalchemy import select

    from services.payments.db import kernel
    from services.payments.settlement import service as settlement
    from services.payments.settlement.models import Refund
    from shared.db import sessionmaker_for
    from shared.events import Event
    from shared.settings import get_settings

    buyer = await new_org(client, county, "station")
    order_id, lines = await place_order_with_lines(client, buyer, [7_000])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    ref = r.json()["provider_ref"]
    await client.post(
        f"{P}/orders/{order_id}/intent",
        json={"payment_method": card("4242424242424242")},
        headers=buyer.headers,
    )
    stripe_client().payment_intents.confirm(ref)

    async def paid():
        return (await money(client, buyer, order_id))["paid_fen"] == 7_000

    await eventually(paid)
    settings = get_settings()
    real_base = settings.stripe_api_base
    monkeypatch.setattr(settings, "stripe_api_base", "http://127.0.0.1:9")
    monkeypatch.setattr("services.payments.intents.provider.MAX_RETRIES", 0)
    shortage = Event(
        type="repository.order.line_shortened",
        producer="repository",
        data={
            "order_id": str(order_id),
            "line_id": lines[0]["line_id"],
            "variant_id": lines[0]["variant_id"],
            "supplier_id": lines[0]["supplier_id"],
            "quantity_shortened": 1,
            "amount_fen": 2_000,
        },
    )
    async with sessionmaker_for(kernel)() as session:
        await settlement.on_line_shortened(session, shortage)
        await session.commit()
    state = await money(client, buyer, order_id)
    assert state["refunded_fen"] == 2_000  # reserved, so it cannot be given twice

    monkeypatch.setattr(settings, "stripe_api_base", real_base)
    async with sessionmaker_for(kernel)() as session:
        await settlement.retry_pending_refunds(session)
        await session.commit()

    async def done():
        async with sessionmaker_for(kernel)() as session:
            rows = list(await session.scalars(select(Refund).where(Refund.order_id == order_id)))
            return [r.status for r in rows] == ["done"]

    await eventually(done)
    refunds = stripe_client().refunds.list(params={"limit": 100})
    assert [x.amount for x in refunds.data if x.payment_intent == ref] == [2_000]
    debits, credits = await ledger_totals()
    assert debits == credits
