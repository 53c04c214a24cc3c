"""The commission split: whole fen, never negative, summing exactly to the paid amount."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.livestream.settlement.split import split_line


def test_a_line_splits_with_the_rounding_fen_to_the_base():
    # 39.99 yuan at 20 % commission and a 10 % agency fee, supply price 20 yuan
    s = split_line(3999, 2000, 2000, 1000)
    assert (s.streamer_fen, s.agency_fen, s.supplier_fen, s.base_fen) == (799, 399, 2000, 801)
    assert s.total_fen == 3999


def test_the_supplier_never_takes_more_than_is_left():
    s = split_line(1000, 2000, 3000, 1000)
    assert (s.streamer_fen, s.agency_fen, s.supplier_fen, s.base_fen) == (300, 100, 600, 0)


def test_rates_beyond_the_amount_are_refused():
    with pytest.raises(ValueError):
        split_line(1000, 0, 6000, 5000)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 10**11),
    st.integers(0, 10**11),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
)
def test_shares_are_whole_non_negative_and_sum_exactly(paid, supply, commission, fee):
    if commission + fee > 10_000:
        fee = 10_000 - commission
    s = split_line(paid, supply, commission, fee)
    assert s.total_fen == paid
    assert min(s.supplier_fen, s.agency_fen, s.streamer_fen, s.base_fen) >= 0
    assert s.streamer_fen == paid * commission // 10_000
    assert s.supplier_fen <= supply
