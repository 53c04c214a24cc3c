"""Stock balances derived from a ledger of movements (pure, no database).

Every movement changes on-hand and/or reserved by a signed number of cases;
available = on_hand - reserved. The stored per-(warehouse, variant) balance row
is updated by applying the same deltas, so it can always be rebuilt from the
ledger and compared (no drift).
"""

from dataclasses import dataclass

# kind -> (on_hand sign, reserved sign) applied to the movement's cases
MOVEMENT_EFFECTS = {
    "receipt": (1, 0),
    "reservation": (0, 1),
    "release": (0, -1),
    "allocation": (0, 0),
    "pick": (-1, -1),
    "adjustment": (1, 0),  # cases may be negative; a reason is required
    "return": (1, 0),
    "transfer_out": (-1, 0),
    "transfer_in": (1, 0),
}


@dataclass(frozen=True)
class Balance:
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class WouldOversell(Exception):
    """The movement would leave fewer cases than are reserved or on hand."""


def apply_movement(balance: Balance, kind: str, cases: int) -> Balance:
    on_hand_sign, reserved_sign = MOVEMENT_EFFECTS[kind]
    after = Balance(
        on_hand=balance.on_hand + on_hand_sign * cases,
        reserved=balance.reserved + reserved_sign * cases,
    )
    if after.on_hand < 0 or after.reserved < 0 or after.available < 0:
        raise WouldOversell(kind)
    return after


def replay(movements: list[tuple[str, int]]) -> Balance:
    balance = Balance()
    for kind, cases in movements:
        balance = apply_movement(balance, kind, cases)
    return balance
