"""Payments stories: localstripe posts its webhooks to the gateway on a real port."""

from __future__ import annotations

import httpx
import pytest

from shared.settings import get_settings

EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "payment_intent.canceled",
]


@pytest.fixture(scope="session")
def stripe_webhooks(live_server) -> str:
    settings = get_settings()
    url = f"{live_server}/v1/payments/stripe/webhook"
    r = httpx.post(
        f"{settings.stripe_api_base}/_config/webhooks/payments-tests",
        json={"url": url, "secret": settings.stripe_webhook_secret, "events": EVENTS},
        timeout=10,
    )
    assert r.status_code < 300, r.text
    return url
