"""Ledger invariants: any sequence of sales, payments, shortages and refunds stays balanced."""

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.payments.ledger import core
from services.payments.ledger.core import Account, Purpose

BUYER = uuid.uuid4()
SUPPLIERS = [uuid.uuid4(), uuid.uuid4()]


def test_fee_rounds_half_up_to_whole_fen():
    assert core.platform_fee(50, 1000) == 5
    assert core.platform_fee(5, 1000) == 1  # 0.5 fen rounds up
    assert core.platform_fee(4, 1000) == 0  # 0.4 fen rounds down
    assert core.platform_fee(15, 1000) == 2  # 1.5 -> 2 (half up, not to even)
    assert core.platform_fee(25, 1000) == 3  # 2.5 -> 3 (half even would give 2)


def test_unbalanced_entry_is_refused():
    with pytest.raises(core.UnbalancedEntry):
        core.JournalEntry("x", "1", "bad", (core.Posting(Account(Purpose.BANK), debit_fen=1),))


@st.composite
def histories(draw):
    lines = draw(st.lists(st.integers(1, 1_000_000), min_size=1, max_size=4))
    fee_bps = draw(st.integers(0, 3000))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["pay", "short", "refund"]),
                st.integers(0, len(lines) - 1),
                st.integers(0, 1_000_000),
            ),
            max_size=12,
        )
    )
    return lines, fee_bps, steps


@settings(max_examples=200, deadline=None)
@given(histories())
def test_any_history_keeps_debits_equal_credits_and_explains_every_fen(history):
    lines, fee_bps, steps = history
    order = uuid.uuid4()
    shares = [core.SupplierShare(SUPPLIERS[i % 2], a) for i, a in enumerate(lines)]
    entries = [core.sale_entry(order, BUYER, shares, fee_bps)]
    remaining = list(lines)
    paid = refunded = 0
    for n, (kind, line, amount) in enumerate(steps):
        owed = core.balances(entries).get(Account(Purpose.BUYER_RECEIVABLE, BUYER), 0)
        if kind == "pay" and owed > 0:
            fen = min(amount, owed) or owed
            entries.append(core.payment_entry(n, BUYER, "card", fen))
            paid += fen
        elif kind == "short" and remaining[line] > 0:
            fen = min(amount, remaining[line]) or remaining[line]
            remaining[line] -= fen
            supplier = SUPPLIERS[line % 2]
            entries.append(core.shortage_entry(order, n, BUYER, supplier, fen, fee_bps))
        elif kind == "refund":
            fen = min(amount, core.refundable_fen(paid, refunded, owed))
            if fen > 0:
                entries.append(core.refund_entry(n, BUYER, "card", fen))
                refunded += fen
    totals = core.balances(entries)
    assert sum(totals.values()) == 0  # debits == credits over the whole ledger
    for e in entries:
        assert sum(p.debit_fen for p in e.postings) == sum(p.credit_fen for p in e.postings)
    # No money unexplained: cash held equals payments less refunds ...
    assert totals.get(Account(Purpose.STRIPE_CLEARING), 0) == paid - refunded
    # ... and the goods still sold are split exactly between suppliers and the platform fee.
    sold = sum(remaining)
    owed_to_suppliers = -sum(v for a, v in totals.items() if a.purpose is Purpose.SUPPLIER_PAYABLE)
    fee = -totals.get(Account(Purpose.PLATFORM_FEE_INCOME), 0)
    assert owed_to_suppliers + fee == sold
    assert totals.get(Account(Purpose.BUYER_RECEIVABLE, BUYER), 0) == sold - (paid - refunded)
    assert refunded <= paid
