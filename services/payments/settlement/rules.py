"""The money states of an order and of a refund (pure tables; `machine.apply` moves them and
records who, when and why in `status_changes`)."""

from __future__ import annotations

from shared.state_machine import machine

# An order's money as payments sees it (not the repository's fulfilment status):
# placed: owed; paid: card captured or offline money covers it; accepted_on_credit /
# credit_refused: a credit order's decision; cancelled: the repository cancelled the order
# (what was paid goes back).
ORDER_MONEY = machine(
    "order money",
    [
        ("placed", "pay", "paid"),
        ("placed", "accept_on_credit", "accepted_on_credit"),
        ("placed", "refuse_credit", "credit_refused"),
        ("placed", "cancel", "cancelled"),
        ("paid", "cancel", "cancelled"),
        ("accepted_on_credit", "cancel", "cancelled"),
        ("credit_refused", "cancel", "cancelled"),
    ],
)

# A card refund is reserved `pending` while Stripe is unreachable and `done` once Stripe
# has it; a credit note is `done` when written.
REFUND = machine("refund", [("pending", "complete", "done")])
