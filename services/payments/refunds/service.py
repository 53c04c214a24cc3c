"""Bank refunds: buyer credit paid back to the buyer's bank account.

A non-card order gives money back as buyer credit (a credit note: shortages, a
cancellation, an overpayment). The buyer, or its region's operator, may instead have that
credit paid back by bank: the refund sets the credit aside at once (journalled, so it
cannot be spent twice or exceed what the buyer holds), goes into exactly one bank
batch-transfer file the operator downloads, and is marked paid when the bank confirms
(journalled out of the platform's bank account). A refund cancelled before any file, or
returned by the bank, gives the credit back. Card orders are refunded to the card
(settlement.service.give_back), never here.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.payments.intents.repository import PaymentRepository
from services.payments.ledger import core
from services.payments.ledger.repository import LedgerRepository
from services.payments.problems import (
    CARD_ORDER,
    NO_BANK_ACCOUNT,
    NOTHING_TO_BATCH,
    NOTHING_TO_REFUND,
    REFUND_EXCEEDS_CREDIT,
)
from services.payments.refunds import repository, rules
from services.payments.refunds.models import (
    BankRefund,
    BankRefundBatch,
    BankRefundHistory,
    BuyerBankAccount,
)
from services.payments.refunds.repository import BankRefundRepository
from services.payments.refunds.schemas import BankAccountCreate, BankRefundCreate
from services.payments.regions import service as regions
from shared.auth import (
    can_act_for_org,
    ensure_operator_of,
    ensure_writable,
    may_read,
    scope_to_caller,
)
from shared.auth.principal import Principal
from shared.db import utcnow
from shared.errors import NotFound, RuleViolation
from shared.pagination import Sort, paginate

# ------------------------------------------------------------------ the account on file


async def set_bank_account(
    session: AsyncSession,
    principal: Principal,
    buyer_org_id: uuid.UUID,
    region_id: uuid.UUID,
    account: BankAccountCreate,
) -> BuyerBankAccount:
    """The region's operator records where a buyer's bank refunds go. An account stays in
    its buyer's region (another region's operator gets 404)."""
    known_region = await regions.buyer_region(session, buyer_org_id)
    if known_region is not None and (
        known_region != region_id or not _sees(principal, buyer_org_id, known_region)
    ):
        raise NotFound("No such buyer")
    ensure_operator_of(principal, region_id, rules.MONEY_ROLES)
    row = await BankRefundRepository(session).bank_account(buyer_org_id, lock=True)
    if row is None:
        row = BuyerBankAccount(buyer_org_id=buyer_org_id, region_id=region_id)
        session.add(row)
    elif row.region_id != region_id:
        raise NotFound("No such buyer")
    row.account_name = account.account_name
    row.bank_name = account.bank_name
    row.account_number = account.account_number
    row.set_by = principal.user_id
    row.set_at = utcnow()
    await session.flush()
    return row


async def get_bank_account(
    session: AsyncSession, principal: Principal, buyer_org_id: uuid.UUID
) -> BuyerBankAccount:
    row = await BankRefundRepository(session).bank_account(buyer_org_id)
    if row is None or not _sees(principal, row.buyer_org_id, row.region_id):
        raise NotFound("No bank account is recorded for this buyer")
    return row


# ------------------------------------------------------------------ asking for a refund


async def request_bank_refund(
    session: AsyncSession, principal: Principal, body: BankRefundCreate
) -> BankRefund:
    buyer = body.buyer_org_id
    region_id = await _authorised_region(session, principal, buyer)
    await BankRefundRepository(session).lock_buyer_credit(buyer)
    account = body.bank_account or await _account_on_file(session, buyer, region_id)
    if account is None:
        raise RuleViolation("No bank account is recorded for this buyer", code=NO_BANK_ACCOUNT)
    limit = rules.refund_limit(
        await _credit_fen(session, buyer),
        await _order_left_fen(session, buyer, body.order_id) if body.order_id else None,
    )
    if limit <= 0:
        raise RuleViolation("There is nothing to refund", code=NOTHING_TO_REFUND)
    amount = body.amount_fen or limit
    if amount > limit:
        raise RuleViolation(
            f"At most {limit} fen may be refunded",
            code=REFUND_EXCEEDS_CREDIT,
            extra={"refundable_fen": limit},
        )
    refund = BankRefund(
        id=uuid.uuid4(),
        region_id=region_id,
        buyer_org_id=buyer,
        order_id=body.order_id,
        amount_fen=amount,
        status="requested",
        account_name=account.account_name,
        bank_name=account.bank_name,
        account_number=account.account_number,
        reason=body.reason,
        requested_by=principal.user_id,
    )
    await BankRefundRepository(session).add(refund)
    await _record(session, refund, None, "request", principal, body.reason)
    await LedgerRepository(session).append(
        core.bank_refund_requested_entry(refund.id, buyer, amount), region_id
    )
    return refund


async def _authorised_region(
    session: AsyncSession, principal: Principal, buyer_org_id: uuid.UUID
) -> uuid.UUID:
    """The buyer's region, when the caller may move the buyer's money: the buyer's own
    owner, admin or finance, or its region's operator. Anyone else: 404."""
    region_id = await regions.buyer_region(session, buyer_org_id)
    if can_act_for_org(principal, buyer_org_id, rules.MONEY_ROLES):
        if region_id is None:  # never ordered, so never paid anything
            raise RuleViolation("There is nothing to refund", code=NOTHING_TO_REFUND)
        return region_id
    if region_id is not None and may_read(
        principal, org_id=None, region_id=region_id, operator_roles=rules.MONEY_ROLES
    ):
        return region_id
    raise NotFound("No such buyer")


async def _account_on_file(
    session: AsyncSession, buyer_org_id: uuid.UUID, region_id: uuid.UUID
) -> BuyerBankAccount | None:
    """The account the buyer's own region's operator recorded (no other one is trusted)."""
    row = await BankRefundRepository(session).bank_account(buyer_org_id)
    return row if row is not None and row.region_id == region_id else None


async def _credit_fen(session: AsyncSession, buyer_org_id: uuid.UUID) -> int:
    """Credit the buyer holds and has not set aside for a refund (credit is a credit
    balance: the ledger's sign is negative)."""
    return -await LedgerRepository(session).balance(
        core.Account(core.Purpose.BUYER_CREDIT, buyer_org_id)
    )


async def _order_left_fen(
    session: AsyncSession, buyer_org_id: uuid.UUID, order_id: uuid.UUID
) -> int:
    """What the order credited the buyer and is not already going back by bank."""
    order = await PaymentRepository(session).get_order(order_id)
    if order is None or order.buyer_org_id != buyer_org_id:
        raise NotFound("No such order")
    if order.payment_method == "card":
        raise RuleViolation("A card order is refunded to its card", code=CARD_ORDER)
    credited = await BankRefundRepository(session).credit_noted_for_order(order_id)
    return credited - await BankRefundRepository(session).bank_refunded_for_order(order_id)


# ------------------------------------------------------------------ its life


async def cancel_bank_refund(
    session: AsyncSession, principal: Principal, refund_id: uuid.UUID, reason: str | None
) -> BankRefund:
    """Withdrawn before it went into a bank file: the credit is the buyer's again."""
    refund = await _refund(session, principal, refund_id, lock=True)
    ensure_writable(
        principal,
        org_id=refund.buyer_org_id,
        region_id=refund.region_id,
        roles=rules.MONEY_ROLES,
        operator_roles=rules.MONEY_ROLES,
        what="bank refund",
    )
    await _transition(session, refund, "cancel", principal, reason)
    await _release(session, refund)
    return refund


async def create_batch(
    session: AsyncSession, principal: Principal, region_id: uuid.UUID
) -> BankRefundBatch:
    """Put every refund waiting in the region into one new bank file (each refund is in
    one file only, so the bank is never asked to pay it twice)."""
    ensure_operator_of(principal, region_id, rules.MONEY_ROLES)
    refunds = await BankRefundRepository(session).requested_in_region(region_id)
    if not refunds:
        raise RuleViolation("No bank refund is waiting", code=NOTHING_TO_BATCH)
    batch = BankRefundBatch(
        id=uuid.uuid4(),
        region_id=region_id,
        refund_count=len(refunds),
        total_fen=sum(r.amount_fen for r in refunds),
        created_by=principal.user_id,
    )
    await BankRefundRepository(session).add(batch)
    for refund in refunds:
        refund.batch_id = batch.id
        await _transition(session, refund, "batch", principal, None)
    return batch


async def batch_csv(session: AsyncSession, principal: Principal, batch_id: uuid.UUID) -> str:
    """The bank batch-transfer file (the same file however often it is downloaded). It is
    the one place the full account numbers leave the service: the bank needs them."""
    batch = await _batch(session, principal, batch_id)
    rows = [
        (r.account_name, r.account_number, r.bank_name, r.amount_fen, f"refund {r.id}")
        for r in await BankRefundRepository(session).in_batch(batch.id)
    ]
    return rules.refund_batch_csv(rows)


async def confirm_bank_refund(
    session: AsyncSession, principal: Principal, refund_id: uuid.UUID, bank_reference: str
) -> BankRefund:
    """The bank confirmed the transfer. The same confirmation again changes nothing."""
    refund = await _refund(session, principal, refund_id, lock=True)
    ensure_operator_of(principal, refund.region_id, rules.MONEY_ROLES)
    if refund.status == "paid" and refund.bank_reference == bank_reference:
        return refund
    await _transition(session, refund, "confirm", principal, bank_reference)
    refund.bank_reference = bank_reference
    refund.paid_at = utcnow()
    await LedgerRepository(session).append(
        core.bank_refund_paid_entry(refund.id, refund.buyer_org_id, refund.amount_fen),
        refund.region_id,
    )
    await session.flush()
    return refund


async def fail_bank_refund(
    session: AsyncSession, principal: Principal, refund_id: uuid.UUID, reason: str
) -> BankRefund:
    """The bank returned the transfer (e.g. a closed account): the credit is restored and
    the buyer may ask again with another account."""
    refund = await _refund(session, principal, refund_id, lock=True)
    ensure_operator_of(principal, refund.region_id, rules.MONEY_ROLES)
    await _transition(session, refund, "fail", principal, reason)
    await _release(session, refund)
    return refund


async def _release(session: AsyncSession, refund: BankRefund) -> None:
    await LedgerRepository(session).append(
        core.bank_refund_released_entry(refund.id, refund.buyer_org_id, refund.amount_fen),
        refund.region_id,
    )
    await session.flush()


async def _transition(
    session: AsyncSession,
    refund: BankRefund,
    action: str,
    principal: Principal,
    reason: str | None,
) -> None:
    """Apply one row of the BANK_REFUND table (409 when it does not allow it)."""
    before = refund.status
    await rules.BANK_REFUND.apply(
        session, refund, action, actor_id=principal.user_id, reason=reason
    )
    await _record(session, refund, before, action, principal, reason)


async def _record(
    session: AsyncSession,
    refund: BankRefund,
    before: str | None,
    action: str,
    principal: Principal,
    reason: str | None,
) -> None:
    await BankRefundRepository(session).add(
        BankRefundHistory(
            bank_refund_id=refund.id,
            from_status=before,
            to_status=refund.status,
            action=action,
            actor_user_id=principal.user_id,
            reason=reason,
        ),
    )


# ------------------------------------------------------------------ reads


def _sees(principal: Principal, buyer_org_id: uuid.UUID, region_id: uuid.UUID) -> bool:
    return may_read(principal, org_id=buyer_org_id, region_id=region_id)


async def _refund(
    session: AsyncSession, principal: Principal, refund_id: uuid.UUID, *, lock: bool = False
) -> BankRefund:
    refund = await BankRefundRepository(session).get(refund_id, lock=lock)
    if refund is None or not _sees(principal, refund.buyer_org_id, refund.region_id):
        raise NotFound("No such bank refund")
    return refund


async def get_bank_refund(
    session: AsyncSession, principal: Principal, refund_id: uuid.UUID
) -> BankRefund:
    return await _refund(session, principal, refund_id)


async def list_bank_refunds(
    session: AsyncSession,
    principal: Principal,
    *,
    region_id: uuid.UUID | None,
    buyer_org_id: uuid.UUID | None,
    order_id: uuid.UUID | None,
    status: str | None,
    batch_id: uuid.UUID | None,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[BankRefund], str | None]:
    """The buyer's own refunds; an operator's region's."""
    stmt = scope_to_caller(
        BankRefundRepository(session).listing(
            region_id=region_id,
            buyer_org_id=buyer_org_id,
            order_id=order_id,
            status=status,
            batch_id=batch_id,
        ),
        principal,
        BankRefund.buyer_org_id,
        region_column=BankRefund.region_id,
    )
    return await paginate(
        session,
        stmt,
        sort=sort,
        sort_columns=repository.SORT_COLUMNS,
        id_column=BankRefund.id,
        cursor=cursor,
        limit=limit,
    )


async def _batch(
    session: AsyncSession, principal: Principal, batch_id: uuid.UUID
) -> BankRefundBatch:
    batch = await BankRefundRepository(session).get_batch(batch_id)
    if batch is None or not may_read(
        principal, org_id=None, region_id=batch.region_id, operator_roles=rules.MONEY_ROLES
    ):
        raise NotFound("No such bank file")
    return batch


async def get_batch(
    session: AsyncSession, principal: Principal, batch_id: uuid.UUID
) -> BankRefundBatch:
    return await _batch(session, principal, batch_id)


async def list_batches(
    session: AsyncSession,
    principal: Principal,
    region_id: uuid.UUID,
    sort: Sort,
    cursor: str | None,
    limit: int,
) -> tuple[list[BankRefundBatch], str | None]:
    ensure_operator_of(principal, region_id, rules.MONEY_ROLES)
    return await paginate(
        session,
        BankRefundRepository(session).batch_listing(region_id),
        sort=sort,
        sort_columns=repository.BATCH_SORT_COLUMNS,
        id_column=BankRefundBatch.id,
        cursor=cursor,
        limit=limit,
    )
