"""Payments stories: localstripe posts its webhooks to the gateway on a real port."""

from __future__ import annotations

import pytest

from services.payments.intents.provider import register_local_webhook


@pytest.fixture(scope="session")
def stripe_webhooks(live_server) -> str:
    """The same registration `./dev up` makes on start (gateway.__main__)."""
    return register_local_webhook(live_server, name="payments-tests")
