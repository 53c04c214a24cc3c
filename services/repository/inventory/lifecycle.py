"""A reservation's life: stock held for one stocked order line.

held: placed and not yet paid (expires at `expires_at`), or paid and waiting for the
window's consolidation. allocated: consolidation (or a goods receipt) made the cases the
order's. picked: the order left for delivery. released: cancelled or expired, the
cases are free again. Every step is recorded in status_changes (who, when, why).
"""

from shared.state_machine import machine

RESERVATION = machine(
    "reservation",
    [
        ("held", "allocate", "allocated"),
        ("held", "release", "released"),
        ("allocated", "pick", "picked"),
    ],
)
