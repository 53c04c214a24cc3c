"""Pay-in rules: one payment per order, intents through the provider, webhook state machine."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents import repository
from services.payments.intents.models import OrderAccount, Payment
from services.payments.intents.provider import (
    ProviderDeclined,
    ProviderUnavailable,
    provider_for,
)
from services.payments.intents.repository import PaymentRepository
from services.payments.ledger import core
from services.payments.ledger.repository import LedgerRepository
from services.payments.problems import (
    ALREADY_PAID,
    NOT_CARD,
    ORDER_CANCELLED,
    ORDER_NOT_YET_KNOWN,
)
from services.payments.regions import calendar
from services.payments.settlement import service as settlement
from services.payments.settlement.rules import ORDER_MONEY
from shared.auth import ensure_readable, scope_to_caller
from shared.auth.principal import Principal
from shared.errors import (
    Conflict,
    DependencyUnavailable,
    NotFound,
    RuleViolation,
)
from shared.events import Event, publish
from shared.pagination import Sort, paginate
from shared.state_machine import machine

log = structlog.get_logger(__name__)

CURRENCY = "cny"


PAYMENT = machine(
    "payment",
    [
        ("requires_payment", "process", "processing"),
        ("requires_payment", "succeed", "succeeded"),
        ("requires_payment", "fail", "failed"),
        ("requires_payment", "cancel", "canceled"),
        ("processing", "succeed", "succeeded"),
        ("processing", "fail", "failed"),
        ("processing", "cancel", "canceled"),
        # a failed attempt can be retried with another card on the same intent
        ("failed", "process", "processing"),
        ("failed", "succeed", "succeeded"),
        # the order was cancelled (after a decline, or by the repository)
        ("failed", "cancel", "canceled"),
        # money taken is never ignored: a cancelled order's late payment is refunded
        ("canceled", "succeed", "succeeded"),
    ],
)

STRIPE_EVENT_ACTIONS = {
    "payment_intent.processing": "process",
    "payment_intent.succeeded": "succeed",
    "payment_intent.payment_failed": "fail",
    "payment_intent.canceled": "cancel",
}


def idempotency_key_for(order_id: uuid.UUID) -> str:
    return f"payments-order-{order_id}"


async def record_order(session: AsyncSession, event: Event) -> None:
    """repository.order.placed: keep the order, journal the sale, open its card payment."""
    data = event.data
    order_id = uuid.UUID(str(data["order_id"]))
    if await PaymentRepository(session).get_order(order_id) is not None:
        return
    order = OrderAccount(
        order_id=order_id,
        region_id=uuid.UUID(str(data["region_id"])),
        buyer_org_id=uuid.UUID(str(data["buyer_org_id"])),
        total_fen=int(data["total_fen"]),
        payment_method=data["payment_method"],
        lines=data.get("lines", []),
        placed_at=calendar.event_instant(data.get("placed_at")) or event.occurred_at,
    )
    await PaymentRepository(session).add_order(order)
    shares = [
        core.SupplierShare(uuid.UUID(str(line["supplier_id"])), int(line["amount_fen"]))
        for line in order.lines
    ]
    if sum(s.amount_fen for s in shares) != order.total_fen:
        raise RuleViolation("order lines do not add up to the total")
    await LedgerRepository(session).append(
        core.sale_entry(order_id, order.buyer_org_id, shares, core.FEE_BPS),
        order.region_id,
    )
    if order.payment_method == "card":
        await PaymentRepository(session).insert_payment_once(
            {
                "id": uuid.uuid4(),
                "order_id": order_id,
                "region_id": order.region_id,
                "buyer_org_id": order.buyer_org_id,
                "provider": "stripe",
                "method": "card",
                "amount_fen": order.total_fen,
                "currency": CURRENCY,
                "status": "requires_payment",
                "idempotency_key": idempotency_key_for(order_id),
            },
        )


# how long the intent endpoint waits for an order placed a moment ago (its
# repository.order.placed event still on its way) before answering 409 with Retry-After
ORDER_WAIT_SECONDS = 3.0
ORDER_POLL_SECONDS = 0.2
RETRY_AFTER_SECONDS = 2


async def _order_soon(session: AsyncSession, order_id: uuid.UUID) -> OrderAccount:
    """The order, waiting briefly for its placement event; never a misleading 404 for an
    order the repository has just placed (payments may simply not have heard of it yet)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ORDER_WAIT_SECONDS
    while True:
        order = await PaymentRepository(session).fresh_order(order_id)
        if order is not None:
            return order
        if loop.time() >= deadline:
            raise Conflict(
                "Payments has not heard of this order yet (it is on its way); try again",
                code=ORDER_NOT_YET_KNOWN,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                extra={"retry_after_seconds": RETRY_AFTER_SECONDS},
            )
        await asyncio.sleep(ORDER_POLL_SECONDS)


async def _payment_of_caller(
    session: AsyncSession,
    principal: Principal,
    order_id: uuid.UUID,
    *,
    lock: bool = False,
    wait: bool = False,
) -> tuple[OrderAccount, Payment]:
    order = (
        await _order_soon(session, order_id)
        if wait
        else await PaymentRepository(session).get_order(order_id)
    )
    if order is None:
        raise NotFound("No such order")
    # the card payment (its client secret) is the buyer's alone
    ensure_readable(principal, org_id=order.buyer_org_id, region_id=None, what="order")
    if order.payment_method != "card":
        raise RuleViolation("This order is not paid by card", code=NOT_CARD)
    payment = await PaymentRepository(session).payment_for_order(order_id, lock=lock)
    if payment is None:
        raise NotFound("No such order")
    return order, payment


async def open_intent(payment: Payment) -> None:
    """Create the provider intent for a recorded attempt (at most one per order)."""
    if payment.provider_ref is not None:
        return
    provider = provider_for(payment.method)
    try:
        view = await provider.create_intent(
            amount_fen=payment.amount_fen,
            currency=payment.currency,
            order_id=str(payment.order_id),
            idempotency_key=payment.idempotency_key,
        )
    except (ProviderUnavailable, ProviderDeclined) as exc:
        payment.last_error = str(exc)[:500]
        log.warning("payments.intent_deferred", order_id=str(payment.order_id), error=str(exc))
        return
    payment.provider_ref = view.ref
    payment.client_secret = view.client_secret
    payment.last_error = None


async def intent_for_order(
    session: AsyncSession,
    principal: Principal,
    order_id: uuid.UUID,
    payment_method: str | None = None,
) -> Payment:
    """The order's intent, created on first ask; while Stripe is down it stays pending.

    The app may pass a tokenised payment method (pm_...) to attach before it confirms."""
    order, payment = await _payment_of_caller(session, principal, order_id, lock=True, wait=True)
    if payment.status == "succeeded":
        raise Conflict("This order is already paid", code=ALREADY_PAID)
    if payment.status == "canceled" or order.status == "cancelled":
        # a cancelled order cannot be paid: no intent, no client secret
        raise Conflict("This order was cancelled", code=ORDER_CANCELLED)
    await open_intent(payment)
    if payment_method and payment.provider_ref:
        try:
            await provider_for(payment.method).attach_method(payment.provider_ref, payment_method)
        except ProviderUnavailable as exc:
            raise DependencyUnavailable("The card processor is unreachable; try again") from exc
    await session.flush()
    return payment


async def get_payment(session: AsyncSession, principal: Principal, order_id: uuid.UUID) -> Payment:
    _, payment = await _payment_of_caller(session, principal, order_id)
    return payment


async def list_payments(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
    status: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Payment], str | None]:
    """Card payments: a buyer its own, an operator its region's."""
    stmt = scope_to_caller(
        PaymentRepository(session).listing(
            region_id=region_id, buyer_org_id=buyer_org_id, order_id=order_id, status=status
        ),
        principal,
        Payment.buyer_org_id,
        region_column=Payment.region_id,
    )
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=repository.SORT_COLUMNS,
        id_column=Payment.id,
        cursor=cursor,
        limit=limit,
    )


async def retry_pending_intents(session: AsyncSession) -> int:
    """Periodic job: open intents that could not be opened while Stripe was unreachable."""
    opened = 0
    for payment in await PaymentRepository(session).pending_without_ref():
        await open_intent(payment)
        opened += payment.provider_ref is not None
    await session.flush()
    return opened


async def apply_action(
    session: AsyncSession,
    payment: Payment,
    action: str,
    *,
    actor: str,
    reason: str | None,
    announce: bool = True,
    actor_id: uuid.UUID | None = None,
) -> bool:
    """Apply one transition; a late or regressing one is ignored (returns False).

    `announce` False changes the state without telling the repository (it already knows:
    the order was cancelled there)."""
    if action not in PAYMENT.allowed_actions(payment.status):
        log.info("payments.transition_ignored", payment=str(payment.id), action=action)
        return False
    await PAYMENT.apply(
        session,
        payment,
        action,
        actor_id=actor_id,
        reason=reason[:1000] if reason else None,
        data={"source": actor},
    )
    if payment.status == "succeeded":
        await _money_taken(session, payment)
    elif payment.status in ("failed", "canceled") and announce:
        await publish(
            session,
            "payments.payment.failed",
            {
                "order_id": str(payment.order_id),
                "payment_id": str(payment.id),
                "reason": reason or payment.status,
            },
            region_id=payment.region_id,
        )
    await session.flush()
    return True


async def _money_taken(session: AsyncSession, payment: Payment) -> None:
    """Stripe captured the money: journal it; an order that was cancelled meanwhile (a
    decline cancelled it, or the repository did) cannot be fulfilled any more, so the money
    goes straight back to the card (refund, never revive) and nobody is told it was paid."""
    payment.paid_fen = payment.amount_fen
    await LedgerRepository(session).append(
        core.payment_entry(payment.id, payment.buyer_org_id, "card", payment.amount_fen),
        payment.region_id,
    )
    order = await settlement.locked_order(session, payment.order_id)
    order.paid_fen += payment.amount_fen
    if order.status == "cancelled":
        log.warning("payments.paid_after_cancel_refunded", order_id=str(order.order_id))
        await settlement.give_back(session, order, f"paid_after_cancel:{payment.id}")
        return
    if "pay" in ORDER_MONEY.allowed_actions(order.status):
        await ORDER_MONEY.apply(
            session, order, "pay", actor_id=None, reason="card", entity_id=order.order_id
        )
    await publish(
        session,
        "payments.payment.succeeded",
        {
            "order_id": str(payment.order_id),
            "payment_id": str(payment.id),
            "amount_fen": payment.amount_fen,
            "method": payment.method,
        },
        region_id=payment.region_id,
    )


async def cancel_for_order(session: AsyncSession, order_id: uuid.UUID, reason: str) -> None:
    """repository.order.cancelled: the order's payment cannot be completed any more. Any
    money Stripe still takes on the intent is refunded (`_money_taken`)."""
    payment = await PaymentRepository(session).payment_for_order(order_id, lock=True)
    if payment is None or "cancel" not in PAYMENT.allowed_actions(payment.status):
        return
    await apply_action(
        session, payment, "cancel", actor="repository", reason=reason[:500], announce=False
    )


async def handle_stripe_event(session: AsyncSession, event: dict[str, Any]) -> str:
    """A verified webhook: once per event id; unknown intents and types are recorded only."""
    if not await PaymentRepository(session).claim_stripe_event(event["id"], event["type"]):
        return "duplicate"
    action = STRIPE_EVENT_ACTIONS.get(event["type"])
    if action is None:
        return "ignored"
    obj = event["data"]["object"]
    payment = await PaymentRepository(session).payment_by_ref(obj["id"])
    if payment is None:
        return "unknown_intent"
    error = (obj.get("last_payment_error") or {}).get("message")
    applied = await apply_action(
        session, payment, action, actor=f"stripe:{event['id']}", reason=error
    )
    return "applied" if applied else "stale"
