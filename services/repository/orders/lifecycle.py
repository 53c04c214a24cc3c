"""The bulk order's life: one explicit transition table.

Two steps keep the status and say what happened at a cut-off (events
`repository.order.missed_cutoff` and `repository.order.rolled_over`, see EVENT_OF)."""

from shared.state_machine import machine

ORDER = machine(
    "order",
    [
        ("placed", "confirm", "confirmed"),
        # Still unpaid when its window was consolidated: it stays placed (recorded, the
        # buyer is told); paid before its hold runs out, it rolls to the next window.
        ("placed", "miss_cutoff", "placed"),
        ("placed", "roll_over", "placed"),
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

# Steps that keep the status publish their own event instead of repository.order.<status>.
EVENT_OF = {
    "miss_cutoff": "repository.order.missed_cutoff",
    "roll_over": "repository.order.rolled_over",
}
