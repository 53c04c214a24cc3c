"""Daily reconciliation of Stripe against the ledger.

localstripe keeps balance transactions but offers no list of them, so the comparison is
made against what both it and real Stripe list: each PaymentIntent we hold (its status and
amount) and the refunds per intent. For every card payment the ledger must show exactly
what Stripe captured and refunded; any difference is reported (and logged).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.provider import ProviderUnavailable, StripeProvider
from services.payments.intents.repository import PaymentRepository
from services.payments.ledger.repository import LedgerRepository
from shared.db import utcnow

log = structlog.get_logger(__name__)


async def reconcile_stripe(
    session: AsyncSession, since: datetime | None = None, *, region_id: uuid.UUID | None = None
) -> dict[str, Any]:
    """Every card payment (or the region's) against Stripe, and the journal's balance."""
    provider = StripeProvider()
    try:
        refunded = await provider.refunded_by_intent()
    except ProviderUnavailable as exc:
        return {"checked": 0, "differences": [], "error": str(exc), "at": utcnow().isoformat()}
    differences: list[dict[str, Any]] = []
    checked = 0
    for payment in await PaymentRepository(session).with_ref(region_id=region_id):
        if since is not None and payment.updated_at < since:
            continue
        if payment.provider_ref is None:  # with_ref holds only payments with an intent
            continue
        checked += 1
        try:
            intent = await provider.get_intent(payment.provider_ref)
        except ProviderUnavailable as exc:
            differences.append({"payment_id": str(payment.id), "problem": str(exc)})
            continue
        captured = intent.amount_fen if intent.status == "succeeded" else 0
        in_ledger = await LedgerRepository(session).entry_amount("payment", str(payment.id))
        refunds_ledger = await LedgerRepository(session).refunds_for_order(payment.order_id)
        stripe_refunds = refunded.get(payment.provider_ref, 0)
        if captured != in_ledger or stripe_refunds != refunds_ledger:
            differences.append(
                {
                    "payment_id": str(payment.id),
                    "order_id": str(payment.order_id),
                    "stripe_captured_fen": captured,
                    "ledger_captured_fen": in_ledger,
                    "stripe_refunded_fen": stripe_refunds,
                    "ledger_refunded_fen": refunds_ledger,
                }
            )
    debits, credits = await LedgerRepository(session).totals(region_id=region_id)
    report = {
        "region_id": str(region_id) if region_id else None,
        "checked": checked,
        "differences": differences,
        "ledger_balanced": debits == credits,
        "at": utcnow().isoformat(),
    }
    if differences or debits != credits:
        log.warning("payments.reconciliation_differences", **report)
    return report
