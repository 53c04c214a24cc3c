"""Pure rules of consignment: what a sale line takes from the base, and the local month."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

# Statuses of a sale line (livestream.sale_line.recorded) that count as sold: paid or later.
SOLD_STATUSES = frozenset({"paid", "confirmed", "shipped", "delivered", "settled"})
REFUNDED = "refunded"


def sale_effect(status: str, quantity: int, settled_at: object | None) -> int | None:
    """How many of the line's goods the base counts as sold now; None: the status says
    nothing about the goods (not paid yet, unknown), keep what was counted.

    - paid or later: the line's quantity (a partial refund keeps the goods sold);
    - refunded before settlement: 0, the goods come back to the base;
    - refunded after settlement: the goods stay sold (the buyer keeps them or sends them
      back outside the platform's window; what comes back is counted in a stocktake)."""
    if status in SOLD_STATUSES:
        return max(quantity, 0)
    if status == REFUNDED:
        return max(quantity, 0) if settled_at else 0
    return None


def month_window(period: str, timezone: str) -> tuple[datetime, datetime]:
    """`YYYY-MM` as [first local midnight, next month's first local midnight) in UTC."""
    year, month = (int(x) for x in period.split("-"))
    zone = ZoneInfo(timezone)
    starts = datetime(year, month, 1, tzinfo=zone)
    ends = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return starts.astimezone(UTC), ends.astimezone(UTC)
