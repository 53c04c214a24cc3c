"""Sealed fields: AES-GCM under an HKDF-derived key, bound to their row."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st

from services.suppliers.crypto import open_sealed, seal


@given(st.text(min_size=1, max_size=64))
def test_what_is_sealed_opens_again_and_is_never_stored_in_clear(value):
    sealed = seal(value, purpose="test", bound_to="row-1")
    assert value.encode() not in sealed or len(value.encode()) < 6  # short ones may occur by chance
    assert open_sealed(sealed, purpose="test", bound_to="row-1") == value


def test_a_sealed_value_does_not_open_on_another_row_or_for_another_purpose():
    sealed = seal("6228480000012341234", purpose="payout", bound_to="row-1")
    with pytest.raises(InvalidTag):
        open_sealed(sealed, purpose="payout", bound_to="row-2")
    with pytest.raises(InvalidTag):
        open_sealed(sealed, purpose="id-number", bound_to="row-1")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(InvalidTag):
        open_sealed(tampered, purpose="payout", bound_to="row-1")


def test_two_seals_of_the_same_value_differ():
    assert seal("x", purpose="p", bound_to="r") != seal("x", purpose="p", bound_to="r")
