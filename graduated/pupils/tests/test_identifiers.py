import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from graduated.pupils.identifiers import CHECK_LETTERS, check_letter, validate_upn


def test_check_letter_worked_example() -> None:
    # Body 860200124001: weights 2..13 → 8·2 + 6·3 + 0·4 + 2·5 + 0·6 + 0·7 + 1·8 + 2·9 + 4·10
    # + 0·11 + 0·12 + 1·13 = 16 + 18 + 10 + 8 + 18 + 40 + 13 = 123; 123 mod 23 = 8 → "J".
    assert check_letter("860200124001") == "J"
    validate_upn("J860200124001")


def test_temporary_upn_counts_its_final_letter() -> None:
    # A temporary UPN ends in a letter, valued by its place in the check-letter alphabet (C = 2):
    # 123 - 1·13 + 2·13 = 136; 136 mod 23 = 21 → "Y".
    assert check_letter("86020012400C") == "Y"
    validate_upn("Y86020012400C")


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("A860200124001", "check letter"),
        ("J86020012400", "13 characters"),
        ("J8602001240011", "13 characters"),
        ("1860200124001", "starts with a letter"),
        ("J86020A124001", "starts with a letter"),
        ("J86020012400O", "starts with a letter"),  # O is not a check-alphabet letter
    ],
)
def test_invalid_upns_are_refused_with_a_specific_message(upn: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upn(upn)
    assert message in caught.value.messages[0]


def test_lower_case_and_spaces_are_accepted() -> None:
    validate_upn(" j860 2001 24001 ")


@given(st.from_regex(r"\A[0-9]{12}\Z"))
def test_every_body_has_exactly_one_valid_check_letter(body: str) -> None:
    valid = [letter for letter in CHECK_LETTERS if _is_valid(letter + body)]
    assert valid == [check_letter(body)]


def _is_valid(upn: str) -> bool:
    try:
        validate_upn(upn)
    except ValidationError:
        return False
    return True


@given(st.text(max_size=40))
def test_any_text_is_either_valid_or_a_validation_error(text: str) -> None:
    _is_valid(text)  # must never raise anything else
