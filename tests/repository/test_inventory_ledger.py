import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.repository.inventory.ledger import (
    MOVEMENT_EFFECTS,
    Balance,
    WouldOversell,
    apply_movement,
    replay,
)

movements = st.lists(
    st.tuples(st.sampled_from(sorted(MOVEMENT_EFFECTS)), st.integers(min_value=1, max_value=50)),
    max_size=60,
)


@given(movements)
def test_balance_never_goes_negative_and_matches_the_ledger(requested):
    balance, accepted = Balance(), []
    for kind, cases in requested:
        try:
            balance = apply_movement(balance, kind, cases)
        except WouldOversell:
            continue
        accepted.append((kind, cases))
        assert balance.available >= 0 and balance.reserved >= 0
    assert replay(accepted) == balance


def test_reserving_the_last_cases_then_one_more_is_refused():
    balance = replay([("receipt", 10), ("reservation", 10)])
    assert balance.available == 0
    with pytest.raises(WouldOversell):
        apply_movement(balance, "reservation", 1)
