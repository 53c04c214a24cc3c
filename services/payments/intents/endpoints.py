"""Card pay-in for an order and the Stripe webhook."""

from __future__ import annotations

import uuid

from fastapi import Depends, Request, Response

from services.payments.db import kernel
from services.payments.intents import service
from services.payments.intents.schemas import (
    CardIntentCreate,
    CardPayment,
    CardPaymentSummary,
    PaymentStatus,
)
from services.payments.paging import one_response, page_response
from shared.auth.dependencies import CurrentPrincipal
from shared.errors import BadRequest
from shared.pagination import ListQuery, list_query
from shared.schemas import Page
from shared.settings import get_settings
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-intents"])

LIST_QUERY = list_query(("created_at", "updated_at"), "-created_at", default_limit=50)


@router.post("/orders/{order_id}/intent", response_model=CardPayment)
async def create_intent(
    order_id: uuid.UUID,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: CardIntentCreate | None = None,
) -> CardPayment:
    """The order's one PaymentIntent (created on first call); the app confirms it with the
    client_secret. While Stripe is unreachable client_secret is null and a job retries."""
    return CardPayment.model_validate(
        await service.intent_for_order(
            session, principal, order_id, body.payment_method if body else None
        )
    )


@router.get("/orders/{order_id}/payment", response_model=CardPayment, responses={304: {}, 404: {}})
async def get_payment(
    order_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The order's card payment as its buyer's app polls it (ETag)."""
    payment = await service.get_payment(session, principal, order_id)
    return one_response(request, CardPayment.model_validate(payment))


@router.get("/payments", response_model=Page[CardPaymentSummary], responses={304: {}})
async def list_payments(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    status: PaymentStatus | None = None,
    query: ListQuery = Depends(LIST_QUERY),
) -> Response:
    """Card payments: a buyer its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_payments(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        order_id=order_id,
        status=status,
        sort=query.sort,
        cursor=query.cursor,
        limit=query.limit,
    )
    return page_response(request, rows, next_cursor, CardPaymentSummary.model_validate)


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request, session: SessionDep) -> dict[str, str]:
    """Stripe events, verified by signature and handled once per event id."""
    import stripe  # lazily: the SDK costs the app's start-up, and few requests pay

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
