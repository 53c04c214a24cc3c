"""Card pay-in for an order and the Stripe webhook."""

from __future__ import annotations

import uuid

import stripe
from fastapi import Request

from services.payments.db import kernel
from services.payments.intents import service
from services.payments.intents.schemas import IntentRequest, PaymentOut
from shared.auth.dependencies import CurrentPrincipal
from shared.errors import BadRequest
from shared.settings import get_settings
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-intents"])


@router.post("/orders/{order_id}/intent", response_model=PaymentOut)
async def create_intent(
    order_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: IntentRequest | None = None,
) -> PaymentOut:
    """The order's one PaymentIntent (created on first call); the app confirms it with the
    client_secret. While Stripe is unreachable client_secret is null and a job retries."""
    return PaymentOut.model_validate(
        await service.intent_for_order(
            session, principal, order_id, body.payment_method if body else None
        )
    )


@router.get("/orders/{order_id}/payment", response_model=PaymentOut)
async def get_payment(
    order_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> PaymentOut:
    return PaymentOut.model_validate(await service.get_payment(session, principal, order_id))


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request, session: SessionDep) -> dict[str, str]:
    """Stripe events, verified by signature and handled once per event id."""
    payload = await request.body()
    signature = request.headers.get("stripe-signature", "")
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, get_settings().stripe_webhook_secret
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadRequest("Invalid Stripe webhook signature or payload") from exc
    outcome = await service.handle_stripe_event(session, event.to_dict())
    return {"outcome": outcome}
