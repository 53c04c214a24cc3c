"""Card pay-in stories against a real localstripe, through the official stripe library."""

from __future__ import annotations

import pytest
import stripe

from shared.settings import get_settings
from tests.factories import eventually, new_org
from tests.payments.helpers import (
    P,
    card,
    intent_event,
    journal_count,
    ledger_totals,
    outbox_events,
    place_order,
    signed,
    stripe_client,
)


async def status_of(client, buyer, order_id) -> str:
    r = await client.get(f"{P}/orders/{order_id}/payment", headers=buyer.headers)
    return r.json()["status"]


async def test_buyer_pays_an_order_by_card_and_the_order_is_confirmed(
    client, county, stripe_webhooks
):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [12_345, 6_789])

    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 200, r.text
    intent = r.json()
    assert intent["client_secret"] and intent["amount_fen"] == 19_134
    again = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert again.json()["provider_ref"] == intent["provider_ref"]  # one intent per order

    r = await client.post(
        f"{P}/orders/{order_id}/intent",
        json={"payment_method": card("4242424242424242")},
        headers=buyer.headers,
    )
    assert r.status_code == 200, r.text
    confirmed = stripe_client().payment_intents.confirm(intent["provider_ref"])
    assert confirmed.status == "succeeded"

    async def succeeded():
        return await status_of(client, buyer, order_id) == "succeeded"

    await eventually(succeeded)
    events = await outbox_events("payments.payment.succeeded", order_id)
    assert [e["data"]["amount_fen"] for e in events] == [19_134]
    debits, credits = await ledger_totals()
    assert debits == credits


async def test_declined_card_releases_the_order(client, county, stripe_webhooks):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [5_000])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    ref = r.json()["provider_ref"]
    await client.post(
        f"{P}/orders/{order_id}/intent",
        json={"payment_method": card("4000000000000341")},
        headers=buyer.headers,
    )
    with pytest.raises(stripe.CardError):
        stripe_client().payment_intents.confirm(ref)

    async def failed():
        return await status_of(client, buyer, order_id) == "failed"

    await eventually(failed)
    assert len(await outbox_events("payments.payment.failed", order_id)) == 1
    assert await outbox_events("payments.payment.succeeded", order_id) == []


async def test_replayed_and_reordered_webhooks_confirm_the_payment_once(client, county):
    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [8_800])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    body = r.json()
    ref, payment_id = body["provider_ref"], body["id"]
    hook = f"{P}/stripe/webhook"

    succeeded = intent_event(f"evt_s_{ref}", "payment_intent.succeeded", ref, "succeeded")
    late = intent_event(f"evt_p_{ref}", "payment_intent.processing", ref, "processing")
    stale_fail = intent_event(f"evt_f_{ref}", "payment_intent.payment_failed", ref, "failed")
    outcomes = []
    for event in (succeeded, succeeded, late, stale_fail, succeeded):
        payload, headers = signed(event)
        r = await client.post(hook, content=payload, headers=headers)
        assert r.status_code == 200, r.text
        outcomes.append(r.json()["outcome"])
    assert outcomes == ["applied", "duplicate", "stale", "stale", "duplicate"]
    assert await status_of(client, buyer, order_id) == "succeeded"
    assert len(await outbox_events("payments.payment.succeeded", order_id)) == 1
    assert await outbox_events("payments.payment.failed", order_id) == []
    assert await journal_count("payment", payment_id) == 1


async def test_forged_webhook_signature_is_rejected(client, county):
    payload, headers = signed(
        intent_event("evt_forged", "payment_intent.succeeded", "pi_x", "succeeded"),
        secret="whsec_not_ours",
    )
    r = await client.post(f"{P}/stripe/webhook", content=payload, headers=headers)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(f"{P}/stripe/webhook", content=b"{}", headers={})
    assert r.status_code == 400


async def test_order_stays_pending_while_stripe_is_down_and_gets_its_intent_after(
    client, county, monkeypatch
):
    buyer = await new_org(client, county, "station")
    settings = get_settings()
    real_base = settings.stripe_api_base
    monkeypatch.setattr(settings, "stripe_api_base", "http://127.0.0.1:9")
    monkeypatch.setattr("services.payments.intents.provider.MAX_RETRIES", 0)
    order_id = await place_order(client, buyer, [3_000])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    assert r.status_code == 200, r.text
    down = r.json()
    # the worker's retry job (its own process, Stripe reachable) may already have opened it
    if down["provider_ref"] is None:
        assert down["client_secret"] is None and down["last_error"]
    assert down["status"] == "requires_payment"

    monkeypatch.setattr(settings, "stripe_api_base", real_base)
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    up = r.json()
    assert up["client_secret"] and up["provider_ref"]
    assert up["id"] == down["id"]
    listed = stripe_client().payment_intents.list(params={"limit": 100}).auto_paging_iter()
    mine = [pi for pi in listed if pi.metadata.to_dict().get("order_id") == str(order_id)]
    assert len(mine) == 1


async def test_another_buyer_cannot_see_the_order_payment(client, county):
    buyer = await new_org(client, county, "station")
    other = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [1_000])
    r = await client.get(f"{P}/orders/{order_id}/payment", headers=other.headers)
    assert r.status_code == 404


async def test_a_retried_refund_reuses_the_first_one(client, county, stripe_webhooks):
    from services.payments.intents.provider import StripeProvider

    buyer = await new_org(client, county, "station")
    order_id = await place_order(client, buyer, [9_000])
    r = await client.post(f"{P}/orders/{order_id}/intent", headers=buyer.headers)
    ref = r.json()["provider_ref"]
    await client.post(
        f"{P}/orders/{order_id}/intent",
        json={"payment_method": card("4242424242424242")},
        headers=buyer.headers,
    )
    stripe_client().payment_intents.confirm(ref)
    provider = StripeProvider()
    first = await provider.refund(ref=ref, amount_fen=500, idempotency_key=f"k-{order_id}")
    again = await provider.refund(ref=ref, amount_fen=500, idempotency_key=f"k-{order_id}")
    assert first == again
    refunds = stripe_client().refunds.list(params={"limit": 100})
    assert len([x for x in refunds.data if x.payment_intent == ref]) == 1
