"""Payments stories: localstripe posts its webhooks to the gateway on a real port."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from services.payments.intents.provider import register_local_webhook


@pytest.fixture(scope="session")
def stripe_webhooks(live_server) -> str:
    """The same registration `./dev up` makes on start (gateway.__main__), under a name of
    this run's own (its server's port): test runs sharing one localstripe would otherwise
    replace each other's webhook and lose their events. localstripe posts every event to
    every webhook; a run ignores intents it does not know, and a finished run's port is
    refused at once (or reused, and so replaced, by a later run)."""
    port = urlsplit(live_server).port
    return register_local_webhook(live_server, name=f"payments-tests-{port}")
