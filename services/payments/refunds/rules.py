"""Bank refund rules (pure): the state machine, how much may go back, masking, the file."""

from __future__ import annotations

from services.payments.statements.rules import batch_transfer_csv
from shared.auth import FINANCE_ROLES
from shared.state_machine import machine

# requested: the credit is set aside (journalled) and waits for the next bank file
# batched: in exactly one bank batch-transfer file; only the bank's answer moves it on
# paid / failed (the bank returned it: credit restored) / cancelled (before any file)
BANK_REFUND = machine(
    "bank refund",
    [
        ("requested", "batch", "batched"),
        ("requested", "cancel", "cancelled"),
        ("batched", "confirm", "paid"),
        ("batched", "fail", "failed"),
    ],
)

# who may move a buyer's money out of the platform (not every member of the organisation)
MONEY_ROLES = FINANCE_ROLES


def refund_limit(credit_fen: int, order_left_fen: int | None = None) -> int:
    """What a bank refund may carry at most.

    `credit_fen` is the buyer's credit not yet set aside for a refund (credit only ever
    comes from money actually paid: overpayments and what a shortage or cancellation gave
    back), so a refund never exceeds what was paid. For one order's refund it is further
    held to what that order credited and is not already on its way back by bank."""
    limit = credit_fen if order_left_fen is None else min(credit_fen, order_left_fen)
    return max(0, limit)


def mask_account(number: str) -> str:
    """Only the last four digits leave the service in answers; the bank file has them all."""
    return "****" + number[-4:]


def refund_batch_csv(rows: list[tuple[str, str, str, int, str]]) -> str:
    """(payee name, account number, bank, amount fen, memo) -> a batch-transfer CSV in yuan,
    in the supplier statements' layout with the account and bank as payee columns."""
    return batch_transfer_csv(
        ("payee_name", "payee_account", "payee_bank"),
        (((name, account, bank), fen, memo) for name, account, bank, fen, memo in rows),
    )
