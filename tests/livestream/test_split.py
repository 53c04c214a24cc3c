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


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    paid=st.integers(0, 10**11),
    refunded=st.integers(0, 10**11),
    quantity=st.integers(1, 1000),
    supply_price=st.integers(0, 10**8),
    rate=st.integers(0, 10_000),
    fee=st.integers(0, 10_000),
    share=st.integers(0, 10_000),
)
def test_a_lines_split_of_what_was_kept_sums_exactly_for_any_amount_and_rates(
    paid, refunded, quantity, supply_price, rate, fee, share
):
    from services.livestream.settlement.commission import split_kept

    refunded = min(refunded, paid)
    s = split_kept(
        paid_fen=paid,
        refunded_fen=refunded,
        quantity=quantity,
        supply_price_fen=supply_price,
        rate_bps=rate,
        agency_fee_bps=fee,
        agency_share_bps=share,
    )
    assert s.total_fen == paid - refunded
    assert min(s.supplier_fen, s.agency_fen, s.streamer_fen, s.base_fen) >= 0
    assert s.streamer_fen + s.agency_fen >= (paid - refunded) * rate // 10_000
    assert s.supplier_fen <= supply_price * quantity


def test_the_agency_share_of_the_commission_rounds_down_and_the_streamer_keeps_the_rest():
    s = split_line(3990, 2000, 1500, agency_share_bps=1000)
    assert (s.streamer_fen, s.agency_fen, s.supplier_fen, s.base_fen) == (539, 59, 2000, 1392)
