"""The pure double-entry core: accounts, balanced journal entries and the money rules.

No database here. Every movement is a `JournalEntry` whose debits equal its credits; balances
are derived by summing postings. Rounding rule (written down once): the platform fee is
`amount_fen * fee_bps / 10000` rounded HALF UP to whole fen (ROUND_HALF_UP), computed per
supplier line; the supplier's payable is the amount minus that fee, so the two always add up
to exactly the amount and no fen is made up or lost.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Purpose(StrEnum):
    BUYER_RECEIVABLE = "buyer_receivable"
    SUPPLIER_PAYABLE = "supplier_payable"
    PLATFORM_FEE_INCOME = "platform_fee_income"
    STRIPE_CLEARING = "stripe_clearing"
    BANK = "bank"
    CASH_IN_TRANSIT = "cash_in_transit"
    BUYER_CREDIT = "buyer_credit"
    # buyer credit set aside for a bank refund until the bank has paid it out
    REFUND_PAYABLE = "refund_payable"
    # livestream commission owed to a streamer or agency (one account per payee); a debit
    # balance is a clawback carried forward into the payee's next statement
    COMMISSION_PAYABLE = "commission_payable"
    # the base's cost of the commission it passes on to streamers and agencies
    COMMISSION_EXPENSE = "commission_expense"
    # what the live-commerce platforms owe the base for consigned goods sold live
    LIVESTREAM_SALES_RECEIVABLE = "livestream_sales_receivable"


# The platform's own accounts are keyed by the region's operator; None means "the platform".
PLATFORM: uuid.UUID | None = None


@dataclass(frozen=True, order=True)
class Account:
    purpose: Purpose
    org_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Posting:
    account: Account
    debit_fen: int = 0
    credit_fen: int = 0

    def __post_init__(self) -> None:
        if self.debit_fen < 0 or self.credit_fen < 0:
            raise ValueError("a posting is never negative")
        if (self.debit_fen == 0) == (self.credit_fen == 0):
            raise ValueError("a posting is a debit or a credit, not both or neither")


class UnbalancedEntry(ValueError):
    pass


@dataclass(frozen=True)
class JournalEntry:
    """An immutable, balanced set of postings with its cause (e.g. ("payment", id))."""

    cause_type: str
    cause_id: str
    memo: str
    postings: tuple[Posting, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.postings:
            raise UnbalancedEntry("an entry needs postings")
        debits = sum(p.debit_fen for p in self.postings)
        credits = sum(p.credit_fen for p in self.postings)
        if debits != credits:
            raise UnbalancedEntry(f"debits {debits} != credits {credits}")

    @property
    def amount_fen(self) -> int:
        return sum(p.debit_fen for p in self.postings)


@dataclass(frozen=True)
class MemoEntry(JournalEntry):
    """A fact journalled against its cause that moves no money: it has no postings, so it
    cannot unbalance the ledger or change a balance, and it is unique per cause like any
    entry (so it is recorded once)."""

    def __post_init__(self) -> None:
        if self.postings:
            raise ValueError("a memo moves no money: it has no postings")


def entry(cause_type: str, cause_id: object, memo: str, *lines: Posting) -> JournalEntry:
    """An entry built from non-zero postings only (zero-amount lines are dropped)."""
    return JournalEntry(cause_type, str(cause_id), memo, tuple(lines))


def dr(account: Account, fen: int) -> list[Posting]:
    return [Posting(account, debit_fen=fen)] if fen > 0 else []


def cr(account: Account, fen: int) -> list[Posting]:
    return [Posting(account, credit_fen=fen)] if fen > 0 else []


# The platform fee rate, in basis points (5 %): the sale entry, settlement and statements
# all use this one constant.
FEE_BPS = 500


def platform_fee(amount_fen: int, fee_bps: int) -> int:
    """The platform fee in whole fen, rounded half up (see module docstring)."""
    if amount_fen < 0 or fee_bps < 0:
        raise ValueError("amount and fee rate are never negative")
    exact = Decimal(amount_fen) * Decimal(fee_bps) / Decimal(10000)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def balances(entries: list[JournalEntry]) -> dict[Account, int]:
    """Debit-positive balance of every account touched."""
    totals: dict[Account, int] = defaultdict(int)
    for e in entries:
        for p in e.postings:
            totals[p.account] += p.debit_fen - p.credit_fen
    return dict(totals)


# ------------------------------------------------------------------ the movements


@dataclass(frozen=True)
class SupplierShare:
    supplier_id: uuid.UUID
    amount_fen: int


def sale_entry(
    order_id: uuid.UUID, buyer_id: uuid.UUID, shares: list[SupplierShare], fee_bps: int
) -> JournalEntry:
    """An order is placed: the buyer owes the total; suppliers are owed it less the fee."""
    postings: list[Posting] = []
    total = 0
    fee_total = 0
    for share in shares:
        fee = platform_fee(share.amount_fen, fee_bps)
        postings += cr(Account(Purpose.SUPPLIER_PAYABLE, share.supplier_id), share.amount_fen - fee)
        fee_total += fee
        total += share.amount_fen
    postings += cr(Account(Purpose.PLATFORM_FEE_INCOME, PLATFORM), fee_total)
    postings = dr(Account(Purpose.BUYER_RECEIVABLE, buyer_id), total) + postings
    return entry("order", order_id, "order placed", *postings)


def shortage_entry(
    order_id: uuid.UUID,
    line_id: object,
    buyer_id: uuid.UUID,
    supplier_id: uuid.UUID,
    amount_fen: int,
    fee_bps: int,
) -> JournalEntry:
    """A line is shortened: reverse the sale of the missing value (supplier and fee)."""
    fee = platform_fee(amount_fen, fee_bps)
    return entry(
        "shortage",
        f"{order_id}:{line_id}",
        "line shortened",
        *dr(Account(Purpose.SUPPLIER_PAYABLE, supplier_id), amount_fen - fee),
        *dr(Account(Purpose.PLATFORM_FEE_INCOME, PLATFORM), fee),
        *cr(Account(Purpose.BUYER_RECEIVABLE, buyer_id), amount_fen),
    )


METHOD_CASH_ACCOUNT = {
    "card": Purpose.STRIPE_CLEARING,
    "bank_transfer": Purpose.BANK,
    "cod": Purpose.CASH_IN_TRANSIT,
}


def payment_entry(
    payment_id: object, buyer_id: uuid.UUID, method: str, amount_fen: int
) -> JournalEntry:
    """Money arrived (Stripe, bank or cash): it settles what the buyer owes."""
    cash = Account(METHOD_CASH_ACCOUNT[method], PLATFORM)
    return entry(
        "payment",
        payment_id,
        f"{method} payment",
        *dr(cash, amount_fen),
        *cr(Account(Purpose.BUYER_RECEIVABLE, buyer_id), amount_fen),
    )


def refund_entry(
    refund_id: object, buyer_id: uuid.UUID, method: str, amount_fen: int
) -> JournalEntry:
    """Money goes back the way it came (a card refund through Stripe, a bank refund)."""
    cash = Account(METHOD_CASH_ACCOUNT[method], PLATFORM)
    return entry(
        "refund",
        refund_id,
        f"{method} refund",
        *dr(Account(Purpose.BUYER_RECEIVABLE, buyer_id), amount_fen),
        *cr(cash, amount_fen),
    )


def credit_note_entry(note_id: object, buyer_id: uuid.UUID, amount_fen: int) -> JournalEntry:
    """An overpayment or offline refund kept as buyer credit (spendable on later orders)."""
    return entry(
        "credit_note",
        note_id,
        "buyer credit",
        *dr(Account(Purpose.BUYER_RECEIVABLE, buyer_id), amount_fen),
        *cr(Account(Purpose.BUYER_CREDIT, buyer_id), amount_fen),
    )


def refundable_fen(paid_fen: int, refunded_fen: int, owed_fen: int) -> int:
    """What may go back: what was paid beyond what is still owed, never more than paid."""
    over = paid_fen - refunded_fen - max(owed_fen, 0)
    return max(0, min(over, paid_fen - refunded_fen))


def bank_refund_requested_entry(
    refund_id: object, buyer_id: uuid.UUID, amount_fen: int
) -> JournalEntry:
    """A bank refund is asked for: the credit is set aside at once, so it can neither be
    asked for twice nor exceed what the buyer holds while the bank has not paid yet."""
    return entry(
        "bank_refund",
        refund_id,
        "bank refund requested",
        *dr(Account(Purpose.BUYER_CREDIT, buyer_id), amount_fen),
        *cr(Account(Purpose.REFUND_PAYABLE, buyer_id), amount_fen),
    )


def bank_refund_paid_entry(refund_id: object, buyer_id: uuid.UUID, amount_fen: int) -> JournalEntry:
    """The bank confirms the transfer: the money leaves the platform's bank account."""
    return entry(
        "bank_refund_paid",
        refund_id,
        "bank refund paid",
        *dr(Account(Purpose.REFUND_PAYABLE, buyer_id), amount_fen),
        *cr(Account(Purpose.BANK, PLATFORM), amount_fen),
    )


def bank_refund_released_entry(
    refund_id: object, buyer_id: uuid.UUID, amount_fen: int
) -> JournalEntry:
    """A bank refund is cancelled or the bank returned it: the buyer holds the credit again."""
    return entry(
        "bank_refund_released",
        refund_id,
        "bank refund not paid, credit restored",
        *dr(Account(Purpose.REFUND_PAYABLE, buyer_id), amount_fen),
        *cr(Account(Purpose.BUYER_CREDIT, buyer_id), amount_fen),
    )


def hand_in_entry(hand_in_id: object, amount_fen: int) -> JournalEntry:
    """A driver hands collected cash in at the bank: cash in transit becomes bank money."""
    return entry(
        "hand_in",
        hand_in_id,
        "cash handed in",
        *dr(Account(Purpose.BANK, PLATFORM), amount_fen),
        *cr(Account(Purpose.CASH_IN_TRANSIT, PLATFORM), amount_fen),
    )


def supplier_payout_entry(
    statement_id: object, supplier_id: uuid.UUID, amount_fen: int
) -> JournalEntry:
    """A statement is paid by bank transfer: the payable is settled from the bank."""
    return entry(
        "statement",
        statement_id,
        "supplier statement paid",
        *dr(Account(Purpose.SUPPLIER_PAYABLE, supplier_id), amount_fen),
        *cr(Account(Purpose.BANK, PLATFORM), amount_fen),
    )


def commission_statement_entry(
    statement_id: object, payee_org_id: uuid.UUID, total_fen: int
) -> JournalEntry:
    """An approved livestream commission statement: its total is owed to the payee.

    A negative total (clawbacks beyond the period's commission) is booked the other way
    round: the payee's payable goes into debit, which the next positive statement nets.
    A zero total moves nothing and is a memo, so the statement is still journalled once."""
    payable = Account(Purpose.COMMISSION_PAYABLE, payee_org_id)
    expense = Account(Purpose.COMMISSION_EXPENSE, PLATFORM)
    if total_fen == 0:
        return MemoEntry("commission_statement", str(statement_id), "commission statement, 0 fen")
    if total_fen > 0:
        lines = dr(expense, total_fen) + cr(payable, total_fen)
    else:
        lines = dr(payable, -total_fen) + cr(expense, -total_fen)
    return entry("commission_statement", statement_id, "commission statement approved", *lines)


def commission_payout_entry(
    statement_id: object, payee_org_id: uuid.UUID, amount_fen: int
) -> JournalEntry:
    """The bank batch paying a statement is marked paid: the payable leaves by bank."""
    return entry(
        "commission_payout",
        statement_id,
        "commission paid by bank",
        *dr(Account(Purpose.COMMISSION_PAYABLE, payee_org_id), amount_fen),
        *cr(Account(Purpose.BANK, PLATFORM), amount_fen),
    )


def consignment_payable_entry(
    entry_id: object, supplier_id: uuid.UUID, amount_fen: int
) -> JournalEntry:
    """Consigned goods sold live at the base: the supplier is owed their supply price (no
    platform fee: the base's margin is the live price over the supply price), against what
    the platforms owe the base for the sale. A reversal (a refund that put the goods back)
    carries a negative amount and is booked the other way round; zero is a memo."""
    payable = Account(Purpose.SUPPLIER_PAYABLE, supplier_id)
    receivable = Account(Purpose.LIVESTREAM_SALES_RECEIVABLE, PLATFORM)
    if amount_fen == 0:
        return MemoEntry("consignment_payable", str(entry_id), "consignment sale, 0 fen")
    if amount_fen > 0:
        lines = dr(receivable, amount_fen) + cr(payable, amount_fen)
    else:
        lines = dr(payable, -amount_fen) + cr(receivable, -amount_fen)
    return entry("consignment_payable", entry_id, "consigned goods sold live", *lines)


def goods_received_memo(purchase_order_id: object, accepted_amount_fen: int) -> MemoEntry:
    """The county warehouse accepted a purchase order's goods: a memo, not a payable.

    Why no posting: the supplier's payable for these very goods was already credited by
    `sale_entry` when the buyers' orders were placed (amount less the fee, per supplier
    line), and whatever the warehouse rejects or the supplier cannot deliver is debited
    back by `shortage_entry` when the repository shortens the order lines. A purchase order
    is only those order lines summed per variant (its unit cost is the mean of their unit
    prices), and the platform never owns the goods (it sells for the supplier and keeps a
    fee), so there is no stock or cost-of-goods account to move either. Crediting the
    payable again here would pay the supplier twice for the same goods.
    """
    return MemoEntry(
        "purchase_order",
        str(purchase_order_id),
        f"goods received, {accepted_amount_fen} fen at cost (payable was credited at sale)",
    )
