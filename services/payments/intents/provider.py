"""The payment provider interface and its Stripe implementation.

Orders and the ledger only see `PaymentProvider`; domestic rails (WeChat Pay, Alipay) can be
added beside Stripe. Stripe calls run in a thread with a timeout and a bounded number of
retries that reuse the same idempotency key (the stripe library resends it on retry).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import httpx

from shared.settings import get_settings

if TYPE_CHECKING:
    import stripe

TIMEOUT_SECONDS = 10
MAX_RETRIES = 2


class ProviderUnavailable(Exception):
    """The provider could not be reached; nothing was decided, try again later."""


class ProviderDeclined(Exception):
    """The provider answered and refused (e.g. a declined card)."""


@dataclass(frozen=True)
class IntentView:
    ref: str
    status: str
    client_secret: str | None
    amount_fen: int


class PaymentProvider(Protocol):
    name: str

    async def create_intent(
        self, *, amount_fen: int, currency: str, order_id: str, idempotency_key: str
    ) -> IntentView: ...

    async def get_intent(self, ref: str) -> IntentView: ...

    async def attach_method(self, ref: str, payment_method: str) -> IntentView: ...

    async def refunded_by_intent(self) -> dict[str, int]: ...

    async def refund(self, *, ref: str, amount_fen: int, idempotency_key: str) -> str: ...


def _view(pi: stripe.PaymentIntent) -> IntentView:
    return IntentView(pi.id, pi.status, pi.client_secret, int(pi.amount))


class StripeProvider:
    name = "stripe"

    def __init__(self, api_key: str | None = None, api_base: str | None = None) -> None:
        settings = get_settings()
        base = api_base if api_base is not None else settings.stripe_api_base
        import stripe  # lazily: the SDK costs the app's start-up, and few requests pay

        self.client = stripe.StripeClient(
            api_key or settings.stripe_api_key,
            base_addresses={"api": base} if base else {},
            max_network_retries=MAX_RETRIES,
            http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
        )

    async def _call(self, fn, *args, **kwargs):
        import stripe

        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise ProviderUnavailable(str(exc)) from exc
        except stripe.CardError as exc:
            raise ProviderDeclined(exc.user_message or str(exc)) from exc
        except stripe.APIError as exc:
            raise ProviderUnavailable(str(exc)) from exc

    async def create_intent(
        self, *, amount_fen: int, currency: str, order_id: str, idempotency_key: str
    ) -> IntentView:
        pi = await self._call(
            self.client.payment_intents.create,
            params={
                "amount": amount_fen,
                "currency": currency,
                "payment_method_types": ["card"],
                "metadata": {"order_id": order_id},
            },
            options={"idempotency_key": idempotency_key},
        )
        return _view(pi)

    async def get_intent(self, ref: str) -> IntentView:
        return _view(await self._call(self.client.payment_intents.retrieve, ref))

    async def attach_method(self, ref: str, payment_method: str) -> IntentView:
        pi = await self._call(
            self.client.payment_intents.update, ref, params={"payment_method": payment_method}
        )
        return _view(pi)

    async def refunded_by_intent(self) -> dict[str, int]:
        """Succeeded refund totals per PaymentIntent (every page of the refund list)."""
        totals: dict[str, int] = {}
        params: dict = {"limit": 100}
        while True:
            page = await self._call(self.client.refunds.list, params=params)
            for refund in page.data:
                if refund.status in ("succeeded", "pending") and refund.payment_intent:
                    totals[refund.payment_intent] = totals.get(refund.payment_intent, 0) + int(
                        refund.amount
                    )
            if not page.has_more or not page.data:
                return totals
            params = {"limit": 100, "starting_after": page.data[-1].id}

    async def refund(self, *, ref: str, amount_fen: int, idempotency_key: str) -> str:
        """Refund once per key: an earlier refund carrying the key is reused, so a retried
        event never refunds twice (localstripe ignores Idempotency-Key; Stripe honours it)."""
        params: dict = {"limit": 100}
        while True:
            page = await self._call(self.client.refunds.list, params=params)
            for old in page.data:
                metadata = old.metadata.to_dict() if old.metadata else {}
                if old.payment_intent == ref and metadata.get("key") == idempotency_key:
                    return old.id
            if not page.has_more or not page.data:
                break
            params = {"limit": 100, "starting_after": page.data[-1].id}
        refund = await self._call(
            self.client.refunds.create,
            params={
                "payment_intent": ref,
                "amount": amount_fen,
                "metadata": {"key": idempotency_key},
            },
            options={"idempotency_key": idempotency_key},
        )
        return refund.id


def provider_for(method: str) -> PaymentProvider:
    return StripeProvider()


# the Stripe events the webhook handles (intents.service.STRIPE_EVENT_ACTIONS)
WEBHOOK_EVENTS = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "payment_intent.canceled",
)
WEBHOOK_PATH = "/v1/payments/stripe/webhook"


def register_local_webhook(api_base_url: str, *, name: str = "payments-dev") -> str:
    """Tell a local Stripe server (localstripe) to post its events to this API's webhook
    at `api_base_url` (e.g. http://127.0.0.1:8000), signed with our webhook secret.

    localstripe keeps webhooks in memory under `name` (registering again replaces it), so
    `./dev up` calls this on every start. Real Stripe is configured in its dashboard
    instead. Returns the webhook URL; raises ProviderUnavailable if the server refuses."""
    settings = get_settings()
    if not settings.stripe_api_base:
        raise ProviderUnavailable("STRIPE_API_BASE is not set: no local Stripe server to tell")
    url = api_base_url.rstrip("/") + WEBHOOK_PATH
    try:
        answer = httpx.post(
            f"{settings.stripe_api_base.rstrip('/')}/_config/webhooks/{name}",
            json={"url": url, "secret": settings.stripe_webhook_secret, "events": WEBHOOK_EVENTS},
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as exc:
        raise ProviderUnavailable(f"local Stripe server unreachable: {exc}") from exc
    if answer.status_code >= 300:
        raise ProviderUnavailable(f"local Stripe server refused the webhook: {answer.text}")
    return url
