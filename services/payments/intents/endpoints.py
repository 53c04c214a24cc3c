"""Card pay-in for an order and the Stripe webhook."""

from __future__ import annotations

import uuid

import stripe
from fastapi import Request, Response

from services.payments.db import kernel
from services.payments.intents import repository, service
from services.payments.intents.schemas import (
    IntentRequest,
    PaymentOut,
    PaymentStatus,
    PaymentSummary,
)
from services.payments.paging import Cursor, Limit, one_response, page_response, sort_param
from shared.auth.dependencies import CurrentPrincipal
from shared.errors import BadRequest
from shared.pagination import parse_sort
from shared.schemas import Page
from shared.settings import get_settings
from shared.web import SessionDep, service_router

router = service_router(kernel, prefix="/v1/payments", tags=["payments-intents"])

SORT_DOC = "created_at (default newest first: -created_at), updated_at; prefix - for desc"


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


@router.get("/orders/{order_id}/payment", response_model=PaymentOut, responses={304: {}, 404: {}})
async def get_payment(
    order_id: uuid.UUID, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """The order's card payment as its buyer's app polls it (ETag)."""
    payment = await service.get_payment(session, principal, order_id)
    return one_response(request, PaymentOut.model_validate(payment))


@router.get("/payments", response_model=Page[PaymentSummary], responses={304: {}})
async def list_payments(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    region_id: uuid.UUID | None = None,
    buyer_org_id: uuid.UUID | None = None,
    order_id: uuid.UUID | None = None,
    status: PaymentStatus | None = None,
    sort: str | None = sort_param(SORT_DOC),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Response:
    """Card payments: a buyer its own, an operator its region's (ETag)."""
    rows, next_cursor = await service.list_payments(
        session,
        principal,
        region_id=region_id,
        buyer_org_id=buyer_org_id,
        order_id=order_id,
        status=status,
        sort=parse_sort(sort, repository.SORT_COLUMNS, "-created_at"),
        cursor=cursor,
        limit=limit,
    )
    return page_response(request, rows, next_cursor, PaymentSummary.model_validate)


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
