"""The split of one order line's amount (pure; applied to every line by
`settlement/commission.py`).

Rounding rule, written once: the commission and the agency's service fee (an agency
activity's fee) are each the amount × their rate in basis points, **rounded down to the
fen**; when the streamer belongs to an agency that takes a share of its commission, the
agency's share is the commission × the share, rounded down, and the streamer keeps the rest
of the commission; the supplier gets its supply amount (supply price × quantity, in
proportion to the amount kept after a partial refund, rounded down) but never more than
what is left after commission and fee; **the base takes the remainder**. So the four shares
are whole fen, never negative, and sum exactly to the amount; every rounding fen goes to
the base (or, for the agency's share, to the streamer). The rates are the ones in effect
when the order was paid; a partial refund splits the amount kept.
"""

from __future__ import annotations

from dataclasses import dataclass

BPS = 10_000


@dataclass(frozen=True)
class Split:
    supplier_fen: int
    agency_fen: int
    streamer_fen: int
    base_fen: int

    @property
    def total_fen(self) -> int:
        return self.supplier_fen + self.agency_fen + self.streamer_fen + self.base_fen


def split_line(
    paid_fen: int,
    supply_fen: int,
    commission_bps: int,
    agency_fee_bps: int = 0,
    *,
    agency_share_bps: int = 0,
) -> Split:
    if paid_fen < 0 or supply_fen < 0:
        raise ValueError("amounts are not negative")
    if not 0 <= commission_bps <= BPS or not 0 <= agency_fee_bps <= BPS:
        raise ValueError("rates are 0–10000 basis points")
    if not 0 <= agency_share_bps <= BPS:
        raise ValueError("the agency's share is 0–10000 basis points of the commission")
    if commission_bps + agency_fee_bps > BPS:
        raise ValueError("commission and fee together exceed the paid amount")
    commission = paid_fen * commission_bps // BPS
    share = commission * agency_share_bps // BPS
    streamer = commission - share
    agency = paid_fen * agency_fee_bps // BPS + share
    supplier = min(supply_fen, paid_fen - streamer - agency)
    return Split(supplier, agency, streamer, paid_fen - supplier - agency - streamer)


def supply_kept(supply_price_fen: int, quantity: int, paid_fen: int, kept_fen: int) -> int:
    """The supplier's supply amount for what was kept: in proportion, rounded down."""
    full = supply_price_fen * quantity
    if paid_fen <= 0 or kept_fen >= paid_fen:
        return full
    return full * max(kept_fen, 0) // paid_fen
