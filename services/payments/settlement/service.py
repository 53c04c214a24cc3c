"""Offline payment (bank transfer, cash on delivery, credit terms) and refunds.

Every fen that moves is journalled (ledger.core) with its cause, and an order's running
money (removed, paid, refunded) is kept on its read model so that a refund never exceeds
what was paid: `ledger.core.refundable_fen`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.models import OrderAccount
from services.payments.intents.provider import ProviderUnavailable, provider_for
from services.payments.intents.repository import PaymentRepository
from services.payments.ledger import core
from services.payments.ledger.repository import LedgerRepository
from services.payments.problems import BANK_REFERENCE_REUSED, TERMS_OUT_OF_RANGE
from services.payments.regions import calendar
from services.payments.regions import service as regions
from services.payments.settlement import repository
from services.payments.settlement.models import (
    BankReceipt,
    CodCollection,
    CodHandIn,
    CreditLine,
    Refund,
)
from services.payments.settlement.repository import SettlementRepository
from services.payments.settlement.rules import ORDER_MONEY, REFUND
from shared.auth import ensure_operator_of, ensure_readable, scope_to_caller
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import Conflict, NotFound, RuleViolation
from shared.events import Event, publish
from shared.pagination import Sort, paginate
from shared.schemas import TERMS_DAYS_MAX, terms_days_allowed

log = structlog.get_logger(__name__)


def owed_fen(order: OrderAccount) -> int:
    return order.total_fen - order.removed_fen - order.paid_fen + order.refunded_fen


def money_view(order: OrderAccount) -> dict[str, Any]:
    """An order's money as its buyer and operator read it (`OrderMoney`)."""
    return {
        "order_id": order.order_id,
        "payment_method": order.payment_method,
        "status": order.status,
        "placed_at": order.placed_at,
        "total_fen": order.total_fen,
        "removed_fen": order.removed_fen,
        "paid_fen": order.paid_fen,
        "refunded_fen": order.refunded_fen,
        "owed_fen": owed_fen(order),
        "reference_code": order.reference_code,
        "delivered_at": order.delivered_at,
        "closed_at": order.closed_at,
    }


async def locked_order(session: AsyncSession, order_id: uuid.UUID) -> OrderAccount:
    order = await SettlementRepository(session).order_for_update(order_id)
    if order is None:
        raise NotFound("No such order")
    return order


# ------------------------------------------------------------------ placed orders


async def after_order_placed(session: AsyncSession, order_id: uuid.UUID) -> None:
    order = await locked_order(session, order_id)
    if order.status != "placed":
        return
    if order.payment_method == "bank_transfer" and order.reference_code is None:
        order.reference_code = "FQ" + order.order_id.hex[:12].upper()
    elif order.payment_method == "credit":
        await _decide_credit(session, order)
    await session.flush()


async def _decide_credit(session: AsyncSession, order: OrderAccount) -> None:
    line = await SettlementRepository(session).credit_line(order.buyer_org_id)
    reason = None
    if line is None:
        reason = "no_credit_line"
    else:
        # 账期 are counted in the region's calendar days (calendar.overdue_before)
        tz = await regions.timezone_of(session, order.region_id)
        cutoff = calendar.overdue_before(utcnow(), tz, line.terms_days)
        if (
            await SettlementRepository(session).credit_orders_outstanding(
                order.buyer_org_id, cutoff
            )
            > 0
        ):
            reason = "credit_overdue"
        elif (
            await SettlementRepository(session).credit_orders_outstanding(order.buyer_org_id)
            + order.total_fen
            > line.limit_fen
        ):
            reason = "credit_limit_exceeded"
    if reason is not None:
        await ORDER_MONEY.apply(
            session, order, "refuse_credit", actor_id=None, reason=reason, entity_id=order.order_id
        )
        await publish(
            session,
            "payments.payment.failed",
            {"order_id": str(order.order_id), "payment_id": None, "reason": reason},
            region_id=order.region_id,
        )
        return
    await ORDER_MONEY.apply(
        session, order, "accept_on_credit", actor_id=None, entity_id=order.order_id
    )
    await publish(
        session,
        "payments.order.accepted_on_credit",
        {
            "order_id": str(order.order_id),
            "buyer_org_id": str(order.buyer_org_id),
            "amount_fen": order.total_fen,
        },
        region_id=order.region_id,
    )


async def set_credit_line(
    session: AsyncSession,
    principal: Principal,
    buyer_org_id: uuid.UUID,
    region_id: uuid.UUID,
    limit_fen: int,
    terms_days: int,
) -> CreditLine:
    """The region's operator sets a buyer's credit line here directly (a line the caller
    cannot see is 404; one it sees but may not set is 403)."""
    line = await SettlementRepository(session).credit_line(buyer_org_id)
    if line is not None:
        ensure_readable(
            principal, org_id=buyer_org_id, region_id=line.region_id, what="credit line"
        )
    ensure_operator_of(principal, region_id)
    return await upsert_credit_line(session, buyer_org_id, region_id, limit_fen, terms_days)


async def get_credit_line(
    session: AsyncSession, principal: Principal, buyer_org_id: uuid.UUID
) -> CreditLine:
    """The buyer and its region's operator see the line; anyone else gets 404."""
    line = await SettlementRepository(session).credit_line(buyer_org_id)
    if line is None:
        raise NotFound("No such credit line")
    ensure_readable(principal, org_id=buyer_org_id, region_id=line.region_id, what="credit line")
    return line


async def on_credit_terms_set(session: AsyncSession, event: Event) -> None:
    """repository.buyer.credit_terms_set: the operator set the terms on the buyer account;
    credit orders must be decided with that same limit and 账期."""
    data = event.data
    try:
        await upsert_credit_line(
            session,
            uuid.UUID(str(data["buyer_org_id"])),
            uuid.UUID(str(data["region_id"])),
            int(data["credit_limit_fen"]),
            int(data["terms_days"]),
            set_at=event.occurred_at,
        )
    except (NotFound, RuleViolation) as exc:
        # retrying cannot change the answer: keep the line as it is and say so
        log.warning(
            "payments.credit_terms_refused", buyer_org_id=data.get("buyer_org_id"), error=str(exc)
        )


async def upsert_credit_line(
    session: AsyncSession,
    buyer_org_id: uuid.UUID,
    region_id: uuid.UUID,
    limit_fen: int,
    terms_days: int,
    *,
    set_at: datetime | None = None,
) -> CreditLine:
    """The one rule for a buyer's credit line, whoever sets it (the operator here, or the
    repository's buyer account through its event, `set_at` = when it was set there).

    A line belongs to the buyer's region for good. Terms set earlier than those stored are
    ignored: events may arrive out of order and the latest setting wins (a direct setting,
    `set_at` None, is the latest). A zero limit withdraws credit; zero days means credit
    orders are due at once (`shared.schemas.TermsDays`: 0 to 180 days).
    """
    if limit_fen < 0:
        raise RuleViolation("A credit limit is never negative")
    if not terms_days_allowed(terms_days):
        # the one rule (shared.schemas.TermsDays): refused, never clamped, whoever sets it
        raise RuleViolation(
            f"Credit terms are 0 to {TERMS_DAYS_MAX} days, not {terms_days}",
            code=TERMS_OUT_OF_RANGE,
        )
    line = await SettlementRepository(session).credit_line(buyer_org_id, lock=True)
    if line is None:
        line = CreditLine(buyer_org_id=buyer_org_id, region_id=region_id)
        session.add(line)
    elif line.region_id != region_id:
        raise NotFound("No such credit line")
    elif set_at is not None and line.set_at is not None and set_at < line.set_at:
        log.info("payments.credit_terms_stale", buyer_org_id=str(buyer_org_id))
        return line
    line.limit_fen = limit_fen
    line.terms_days = terms_days
    line.set_at = set_at or utcnow()
    await session.flush()
    return line


# ------------------------------------------------------------------ delivery and closing


async def on_parcel_delivered(session: AsyncSession, event: Event) -> None:
    """delivery.parcel.delivered: when the goods reached the buyer (statements show it).

    An order may come in several parcels; it is delivered when the last one is, so the
    latest time is kept (a late or repeated parcel changes nothing). A cash-on-delivery
    order owes nothing new on delivery: the cash taken at the door settles it
    (delivery.cod.collected), so its delivery is not recorded here.
    """
    data = event.data
    if not data.get("order_id"):
        return  # an upstream collection parcel belongs to no buyer order
    order = await locked_order(session, uuid.UUID(str(data["order_id"])))
    if order.payment_method == "cod":
        return
    delivered_at = calendar.event_instant(data.get("delivered_at")) or event.occurred_at
    if order.delivered_at is None or delivered_at > order.delivered_at:
        order.delivered_at = delivered_at
    await session.flush()


async def on_order_closed(session: AsyncSession, event: Event) -> None:
    """repository.order.closed: the order's goods are final (no more shortages or
    disputes). Recorded once, the first close standing. The money state (`status`) is left
    alone: a closed credit order still owed keeps counting against the credit line."""
    order = await locked_order(session, uuid.UUID(str(event.data["order_id"])))
    if order.closed_at is None:
        order.closed_at = event.occurred_at
    await session.flush()


# ------------------------------------------------------------------ money in


async def receive_payment(
    session: AsyncSession,
    order: OrderAccount,
    method: str,
    amount_fen: int,
    cause_id: str,
    *,
    actor_id: uuid.UUID | None = None,
) -> None:
    """Money arrived for the order; anything beyond what is owed becomes buyer credit."""
    record = await LedgerRepository(session).append(
        core.payment_entry(cause_id, order.buyer_org_id, method, amount_fen),
        order.region_id,
    )
    if record is None:
        return  # this receipt is already journalled
    was_owed = owed_fen(order)
    order.paid_fen += amount_fen
    excess = -owed_fen(order)
    if excess > 0:
        note = Refund(
            order_id=order.order_id,
            cause=f"overpayment:{cause_id}",
            kind="credit_note",
            amount_fen=excess,
        )
        await SettlementRepository(session).add(note)
        await LedgerRepository(session).append(
            core.credit_note_entry(note.id, order.buyer_org_id, excess), order.region_id
        )
        order.refunded_fen += excess
    if (
        was_owed > 0
        and owed_fen(order) == 0
        and order.payment_method != "credit"
        and "pay" in ORDER_MONEY.allowed_actions(order.status)
    ):
        await ORDER_MONEY.apply(
            session,
            order,
            "pay",
            actor_id=actor_id,
            reason=f"{method} {cause_id}",
            entity_id=order.order_id,
        )
        await publish(
            session,
            "payments.payment.succeeded",
            {
                "order_id": str(order.order_id),
                "payment_id": cause_id,
                "amount_fen": order.paid_fen - order.refunded_fen,
                "method": order.payment_method,
            },
            region_id=order.region_id,
        )
    await session.flush()


async def bank_transfer_instructions(
    session: AsyncSession, principal: Principal, order_id: uuid.UUID
) -> OrderAccount:
    """The order's money as its buyer (and its region's operator) sees it."""
    order = await PaymentRepository(session).get_order(order_id)
    if order is None:
        raise NotFound("No such order")
    ensure_readable(principal, org_id=order.buyer_org_id, region_id=order.region_id, what="order")
    return order


async def record_bank_receipt(
    session: AsyncSession,
    principal: Principal,
    reference_code: str,
    amount_fen: int,
    bank_reference: str,
) -> OrderAccount:
    """The operator keys in a transfer the region's bank account received. Its
    `bank_reference` is unique per account: the same receipt keyed again (same order and
    amount) is a replay that changes nothing; another receipt with that reference is 409."""
    order = await SettlementRepository(session).order_by_reference(reference_code.strip().upper())
    if order is None:
        raise NotFound("No order has this reference code")
    ensure_operator_of(principal, order.region_id)
    bank_reference = bank_reference.strip()
    receipt_id = uuid.uuid4()
    if not await SettlementRepository(session).insert_receipt_once(
        {
            "id": receipt_id,
            "order_id": order.order_id,
            "region_id": order.region_id,
            "amount_fen": amount_fen,
            "bank_reference": bank_reference,
            "recorded_by": principal.user_id,
        },
    ):
        existing = await SettlementRepository(session).receipt_by_reference(
            order.region_id, bank_reference
        )
        if existing is not None and (existing.order_id, existing.amount_fen) == (
            order.order_id,
            amount_fen,
        ):
            return order  # the same receipt keyed again: already counted
        raise Conflict(
            "This bank reference is already recorded for another receipt",
            code=BANK_REFERENCE_REUSED,
            extra={"bank_reference": bank_reference},
        )
    await receive_payment(
        session,
        order,
        "bank_transfer",
        amount_fen,
        f"receipt:{receipt_id}",
        actor_id=principal.user_id,
    )
    return order


async def on_cod_collected(session: AsyncSession, event: Event) -> None:
    data = event.data
    order_id = uuid.UUID(str(data["order_id"]))
    if await SettlementRepository(session).cod_collection(order_id) is not None:
        return
    order = await locked_order(session, order_id)
    amount = int(data["amount_fen"])
    await SettlementRepository(session).add(
        CodCollection(
            order_id=order_id,
            run_id=uuid.UUID(str(data["run_id"])),
            region_id=order.region_id,
            driver_user_id=uuid.UUID(str(data["driver_user_id"]))
            if data.get("driver_user_id")
            else None,
            amount_fen=amount,
            collected_at=datetime.fromisoformat(data["collected_at"])
            if data.get("collected_at")
            else utcnow(),
        ),
    )
    await receive_payment(session, order, "cod", amount, f"cod:{order_id}")


async def run_report(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID
) -> dict[str, object]:
    region_id = await SettlementRepository(session).run_region(run_id)
    if region_id is None:
        raise NotFound("No such delivery run")
    ensure_readable(principal, org_id=None, region_id=region_id, what="delivery run")
    collected, handed, count = await SettlementRepository(session).run_totals(run_id)
    return {
        "run_id": run_id,
        "collections": count,
        "collected_fen": collected,
        "handed_in_fen": handed,
        "missing_fen": max(0, collected - handed),
        "surplus_fen": max(0, handed - collected),
    }


async def record_hand_in(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, amount_fen: int
) -> dict[str, object]:
    region_id = await SettlementRepository(session).run_region(run_id)
    if region_id is None:
        raise NotFound("No such delivery run")
    ensure_readable(principal, org_id=None, region_id=region_id, what="delivery run")
    hand_in = CodHandIn(run_id=run_id, amount_fen=amount_fen, recorded_by=principal.user_id)
    await SettlementRepository(session).add(hand_in)
    await LedgerRepository(session).append(core.hand_in_entry(hand_in.id, amount_fen), region_id)
    return await run_report(session, principal, run_id)


# ------------------------------------------------------------------ money back


async def on_line_shortened(session: AsyncSession, event: Event) -> None:
    data = event.data
    order = await locked_order(session, uuid.UUID(str(data["order_id"])))
    line_id = str(data["line_id"])
    line = next((x for x in order.lines if str(x["line_id"]) == line_id), None)
    if line is None:
        raise RuleViolation("unknown order line")
    already = int(order.shortened.get(line_id, 0))
    amount = min(int(data["amount_fen"]), int(line["amount_fen"]) - already)
    if amount <= 0:
        return
    record = await LedgerRepository(session).append(
        core.shortage_entry(
            order.order_id,
            f"{line_id}:{event.id}",
            order.buyer_org_id,
            uuid.UUID(str(line["supplier_id"])),
            amount,
            core.FEE_BPS,
        ),
        order.region_id,
    )
    if record is None:
        return
    order.shortened = {**order.shortened, line_id: already + amount}
    order.removed_fen += amount
    await give_back(session, order, f"shortage:{event.id}")


async def on_order_cancelled(session: AsyncSession, event: Event) -> None:
    order = await locked_order(session, uuid.UUID(str(event.data["order_id"])))
    if order.status == "cancelled":
        return
    for line in order.lines:
        line_id = str(line["line_id"])
        rest = int(line["amount_fen"]) - int(order.shortened.get(line_id, 0))
        if rest > 0:
            await LedgerRepository(session).append(
                core.shortage_entry(
                    order.order_id,
                    f"cancel:{line_id}",
                    order.buyer_org_id,
                    uuid.UUID(str(line["supplier_id"])),
                    rest,
                    core.FEE_BPS,
                ),
                order.region_id,
            )
            order.removed_fen += rest
            order.shortened = {**order.shortened, line_id: int(line["amount_fen"])}
    await ORDER_MONEY.apply(
        session,
        order,
        "cancel",
        actor_id=None,
        reason=str(event.data.get("reason") or "cancelled by the repository")[:500],
        entity_id=order.order_id,
    )
    await give_back(session, order, f"cancel:{order.order_id}")


async def give_back(session: AsyncSession, order: OrderAccount, cause: str) -> None:
    """Return what was paid beyond what is still owed: Stripe refund for card, else credit."""
    amount = core.refundable_fen(
        order.paid_fen, order.refunded_fen, order.total_fen - order.removed_fen
    )
    if amount <= 0 or await SettlementRepository(session).refund_for_cause(cause) is not None:
        await session.flush()
        return
    payment = await PaymentRepository(session).payment_for_order(order.order_id, lock=True)
    to_card = order.payment_method == "card" and payment is not None and bool(payment.provider_ref)
    # a card refund is born `pending` (reserved until Stripe has it, REFUND moves it on);
    # a credit note is written `done`
    refund = Refund(
        order_id=order.order_id,
        cause=cause,
        kind="stripe_refund" if to_card else "credit_note",
        status="pending" if to_card else "done",
        amount_fen=amount,
    )
    order.refunded_fen += amount
    if to_card:
        await SettlementRepository(session).add(refund)
        await complete_stripe_refund(session, refund)
        return
    await SettlementRepository(session).add(refund)
    await LedgerRepository(session).append(
        core.credit_note_entry(refund.id, order.buyer_org_id, amount), order.region_id
    )
    await session.flush()


async def complete_stripe_refund(session: AsyncSession, refund: Refund) -> bool:
    """Send a reserved refund to Stripe; while unreachable it stays pending (nothing lost)."""
    payment = await PaymentRepository(session).payment_for_order(refund.order_id, lock=True)
    order = await PaymentRepository(session).get_order(refund.order_id)
    if payment is None or payment.provider_ref is None or order is None:
        raise RuleViolation("a card refund needs the order's captured card payment")
    try:
        refund.provider_ref = await provider_for(payment.method).refund(
            ref=payment.provider_ref,
            amount_fen=refund.amount_fen,
            idempotency_key=f"payments-{refund.cause}",
        )
    except ProviderUnavailable:
        await session.flush()
        return False
    await REFUND.apply(session, refund, "complete", actor_id=None, reason=refund.provider_ref)
    payment.refunded_fen += refund.amount_fen
    await LedgerRepository(session).append(
        core.refund_entry(refund.id, order.buyer_org_id, "card", refund.amount_fen),
        order.region_id,
    )
    await session.flush()
    return True


async def retry_pending_refunds(session: AsyncSession) -> int:
    """Periodic job: finish refunds reserved while Stripe was unreachable."""
    done = 0
    for refund in await SettlementRepository(session).pending_refunds():
        done += await complete_stripe_refund(session, refund)
    return done


# ------------------------------------------------------------------ lists (cursor pages)


async def list_orders(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    status: str | None,
    payment_method: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[OrderAccount], str | None]:
    """A buyer's own orders; an operator's region's."""
    stmt = SettlementRepository(session).order_listing(
        region_id=region_id, buyer_org_id=buyer_org_id, status=status, payment_method=payment_method
    )
    return await paginate(
        session,
        _visible_orders(stmt, principal),
        sort=sort,
        sort_columns=repository.ORDER_SORT_COLUMNS,
        id_column=OrderAccount.order_id,
        cursor=cursor,
        limit=limit,
    )


async def list_refunds(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
    kind: str | None,
    status: str | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[Refund], str | None]:
    """Money orders gave back (card refunds and credit notes), as their orders are seen."""
    stmt = SettlementRepository(session).refund_listing(
        region_id=region_id, buyer_org_id=buyer_org_id, order_id=order_id, kind=kind, status=status
    )
    return await paginate(
        session,
        _visible_orders(stmt, principal),
        sort=sort,
        sort_columns=repository.REFUND_SORT_COLUMNS,
        id_column=Refund.id,
        cursor=cursor,
        limit=limit,
    )


async def list_bank_receipts(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[BankReceipt], str | None]:
    """Bank transfers recorded against orders, as their orders are seen."""
    stmt = SettlementRepository(session).receipt_listing(
        region_id=region_id, buyer_org_id=buyer_org_id, order_id=order_id
    )
    return await paginate(
        session,
        _visible_orders(stmt, principal),
        sort=sort,
        sort_columns=repository.RECEIPT_SORT_COLUMNS,
        id_column=BankReceipt.id,
        cursor=cursor,
        limit=limit,
    )


async def list_credit_lines(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[CreditLine], str | None]:
    """The operator's region's credit lines (a buyer sees its own)."""
    stmt = scope_to_caller(
        SettlementRepository(session).credit_line_listing(region_id=region_id),
        principal,
        CreditLine.buyer_org_id,
        region_column=CreditLine.region_id,
    )
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=repository.CREDIT_LINE_SORT_COLUMNS,
        id_column=CreditLine.buyer_org_id,
        cursor=cursor,
        limit=limit,
    )


def _visible_orders(stmt, principal: Principal):
    return scope_to_caller(
        stmt, principal, OrderAccount.buyer_org_id, region_column=OrderAccount.region_id
    )
