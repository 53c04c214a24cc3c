"""Statement arithmetic (pure). Fees follow the ledger exactly: the fee of a line is
`platform_fee(amount)` at sale and `platform_fee(shortened)` is given back on a shortage,
each rounded half up to whole fen, so a statement always agrees with the journal."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.payments.ledger.core import platform_fee
from shared.state_machine import machine

# A supplier statement is made `open` when its month is closed and `paid` once the
# operator has paid it by bank (journalled, frozen).
STATEMENT = machine("supplier statement", [("open", "pay", "paid")])


@dataclass(frozen=True)
class SupplierFigures:
    sold_fen: int
    shortages_fen: int
    fee_fen: int
    consignment_fen: int = 0

    @property
    def payable_fen(self) -> int:
        return self.sold_fen - self.shortages_fen - self.fee_fen + self.consignment_fen


def supplier_figures(
    lines: list[tuple[int, int]], fee_bps: int, consignment_fen: int = 0
) -> SupplierFigures:
    """`lines` are (amount_fen, shortened_fen) of the supplier's order lines in the period;
    `consignment_fen` its consigned goods sold live in the period at supply price (no fee)."""
    sold = sum(a for a, _ in lines)
    short = sum(s for _, s in lines)
    fee = sum(platform_fee(a, fee_bps) - platform_fee(s, fee_bps) for a, s in lines)
    return SupplierFigures(sold, short, fee, consignment_fen)


def fen_to_yuan(fen: int) -> str:
    """Exact decimal yuan for bank files (no floats)."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def batch_transfer_csv(
    payee_columns: Sequence[str], rows: Iterable[tuple[Sequence[str], int, str]]
) -> str:
    """The one bank batch-transfer layout every payments file uses (supplier statements,
    commission payouts, bank refunds): seq, the payee's columns, amount in exact yuan,
    currency, memo. `rows` are (payee column values, amount fen, memo)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", *payee_columns, "amount_yuan", "currency", "memo"])
    for n, (payee, fen, memo) in enumerate(rows, start=1):
        writer.writerow([n, *payee, fen_to_yuan(fen), "CNY", memo])
    return out.getvalue()


def bank_batch_csv(rows: Iterable[tuple[str, str, int, str]]) -> str:
    """(payee name, payee org id, amount fen, memo) -> the payout file of suppliers and of
    streamers and agencies."""
    return batch_transfer_csv(
        ("payee_name", "payee_id"), (((name, payee), fen, memo) for name, payee, fen, memo in rows)
    )
