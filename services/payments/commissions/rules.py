"""Commission payout rules (pure): netting a statement against the carried-forward
clawback, and the state tables of a payout and of its bank batch."""

from __future__ import annotations

from dataclasses import dataclass

from shared.auth import FINANCE_ROLES
from shared.state_machine import machine

# payable: booked, waiting for the next bank file; carried_forward: the statement netted
# to nothing to pay (its total, with the clawback carried in, is <= 0), final;
# batched: in exactly one bank batch file; paid: that file was marked paid by the operator
COMMISSION_PAYOUT = machine(
    "commission payout",
    [
        ("payable", "batch", "batched"),
        ("batched", "pay", "paid"),
    ],
)

# a batch is open (its file may be downloaded and sent to the bank) until marked paid
COMMISSION_BATCH = machine("commission payout batch", [("open", "pay", "paid")])

# who moves the base's money out to streamers and agencies
MONEY_ROLES = FINANCE_ROLES

PAYEE_KINDS = ("streamer", "agency")


@dataclass(frozen=True)
class Netted:
    carried_in_fen: int
    amount_fen: int
    carried_out_fen: int

    @property
    def status(self) -> str:
        return "payable" if self.amount_fen > 0 else "carried_forward"


def net_statement(total_fen: int, carried_fen: int) -> Netted:
    """A statement's total netted with the payee's carried-forward balance (<= 0).

    A positive net is paid in full and clears the carry; anything else pays nothing and is
    carried to the next statement. So over any run of statements, what is paid plus what
    is still carried equals the sum of their totals, and a clawback is never paid out."""
    if carried_fen > 0:
        raise ValueError("a carried-forward balance is never positive")
    net = total_fen + carried_fen
    return Netted(carried_fen, max(net, 0), min(net, 0))
