"""Check digits of credit codes, organisation codes and identity card numbers (pure rules)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.suppliers.identifiers import (
    ID_CHECK,
    USCC_ALPHABET,
    credit_code_problems,
    id_check_char,
    id_number_problems,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_org_code,
    mask_id_number,
    org_code_check_char,
    uscc_check_char,
)

USCC_CHARS = st.sampled_from(USCC_ALPHABET)


def test_published_codes_are_valid():
    # A credit code printed on a real business licence, and the GB 11643 example number.
    assert is_valid_credit_code("91350100M000100Y43")
    assert is_valid_org_code("M000100Y4")
    assert is_valid_id_number("11010519491231002X")


def test_a_wrong_check_character_is_named():
    assert credit_code_problems("91350100M000100Y44") == [
        "the check character (18th) does not match"
    ]
    assert "organisation code" in credit_code_problems("91350100M000100Y53")[0]
    assert credit_code_problems("91350100M000100Y4") == ["must be 18 characters"]
    assert "characters" in credit_code_problems("91350100M000I00Y43")[0]
    assert id_number_problems("110105194912310021") == ["the check character (18th) does not match"]
    assert id_number_problems("110105194913310028")[0] == "characters 7-14 are not a birth date"


@given(
    st.text(USCC_ALPHABET.replace("Y", ""), min_size=8, max_size=8),
    st.text("0123456789", min_size=6, max_size=6),
)
def test_any_code_with_computed_check_characters_is_valid(org8, division):
    body = "91" + division + org8 + org_code_check_char(org8)
    assert is_valid_credit_code(body + uscc_check_char(body))


@given(
    st.text(USCC_ALPHABET, min_size=17, max_size=17),
    st.integers(0, 16),
    st.integers(1, 30),
)
def test_the_credit_code_check_catches_any_single_substitution(body, position, shift):
    check = uscc_check_char(body)
    changed = USCC_ALPHABET[(USCC_ALPHABET.index(body[position]) + shift) % 31]
    altered = body[:position] + changed + body[position + 1 :]
    assert uscc_check_char(altered) != check


@given(st.text("0123456789", min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 9))
def test_the_id_number_check_catches_any_single_digit_error(body, position, shift):
    altered = body[:position] + str((int(body[position]) + shift) % 10) + body[position + 1 :]
    assert id_check_char(body) in ID_CHECK
    assert id_check_char(altered) != id_check_char(body)


def test_id_numbers_are_masked_to_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
