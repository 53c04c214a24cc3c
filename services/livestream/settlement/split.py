"""The split of one order line's paid amount (issue 14, the pure rule; no database yet).

Rounding rule, written once: the streamer's commission and the agency's service fee are
each the paid amount × their rate in basis points, **rounded down to the fen**; the supplier
gets its supply amount (supply price × quantity kept) but never more than what is left
after commission and fee; **the base takes the remainder**. So the four shares are whole
fen, never negative, and sum exactly to the paid amount; every rounding fen goes to the
base. The rates are the ones in effect when the order was paid (`plans.rules.rate_at`); a
partial refund splits the amount kept.
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
    paid_fen: int, supply_fen: int, commission_bps: int, agency_fee_bps: int = 0
) -> Split:
    if paid_fen < 0 or supply_fen < 0:
        raise ValueError("amounts are not negative")
    if not 0 <= commission_bps <= BPS or not 0 <= agency_fee_bps <= BPS:
        raise ValueError("rates are 0–10000 basis points")
    if commission_bps + agency_fee_bps > BPS:
        raise ValueError("commission and fee together exceed the paid amount")
    streamer = paid_fen * commission_bps // BPS
    agency = paid_fen * agency_fee_bps // BPS
    supplier = min(supply_fen, paid_fen - streamer - agency)
    return Split(supplier, agency, streamer, paid_fen - supplier - agency - streamer)
