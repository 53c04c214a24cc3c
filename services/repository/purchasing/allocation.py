"""Fair allocation of a short receipt across the orders waiting for it.

Rule (documented for buyers and operators): when a supplier delivers fewer
cases than were ordered, every waiting order line receives its proportional
share of the received cases, rounded down; the cases left over by rounding go
one each to the lines with the largest remainders, ties broken by the earlier
order time and then by line id. No line receives more than it ordered and the
total handed out is min(received, total ordered).
"""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction


@dataclass(frozen=True)
class WaitingLine:
    line_id: str
    ordered_cases: int
    placed_at: datetime


def allocate_shortage(received_cases: int, lines: list[WaitingLine]) -> dict[str, int]:
    """Cases allocated to each waiting line by largest-remainder proportion."""
    if received_cases < 0:
        raise ValueError("received_cases must not be negative")
    total_ordered = sum(line.ordered_cases for line in lines)
    if received_cases >= total_ordered:
        return {line.line_id: line.ordered_cases for line in lines}
    shares = {
        line.line_id: Fraction(received_cases * line.ordered_cases, total_ordered) for line in lines
    }
    allocated = {line_id: int(share) for line_id, share in shares.items()}
    left_over = received_cases - sum(allocated.values())
    by_remainder = sorted(
        lines,
        key=lambda line: (
            -(shares[line.line_id] - allocated[line.line_id]),
            line.placed_at,
            line.line_id,
        ),
    )
    for line in by_remainder[:left_over]:
        allocated[line.line_id] += 1
    return allocated
