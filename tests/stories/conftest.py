"""Stories that cross services use the payments fixtures (localstripe posting webhooks)."""

from tests.payments.conftest import stripe_webhooks  # noqa: F401
