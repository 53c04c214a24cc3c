"""The bulk order's life: one explicit transition table."""

from shared.state_machine import machine

ORDER = machine(
    "order",
    [
        ("placed", "confirm", "confirmed"),
        ("placed", "cancel", "cancelled"),
        ("confirmed", "cancel", "cancelled"),
        ("confirmed", "consolidate", "consolidated"),
        ("consolidated", "purchase", "purchased"),
        ("consolidated", "mark_ready", "ready_for_delivery"),
        ("purchased", "receive", "received"),
        ("received", "mark_ready", "ready_for_delivery"),
        # Every line was shortened at goods receipt: nothing is left to deliver.
        ("received", "cancel", "cancelled"),
        ("ready_for_delivery", "deliver", "delivered"),
        ("delivered", "close", "closed"),
    ],
)
