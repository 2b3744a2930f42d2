"""The unique pupil number (UPN) and its DfE check letter."""

import re

from django.core.exceptions import ValidationError

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def _character_value(character: str) -> int:
    """Digits count as themselves; a temporary UPN's final letter counts by its place in the list."""
    if character.isdigit():
        return int(character)
    return CHECK_LETTERS.index(character)


def check_letter(body: str) -> str:
    """The check letter for the 12 characters that follow it in a UPN."""
    total = sum(_character_value(char) * weight for weight, char in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def validate_upn(value: str) -> None:
    upn = normalise_upn(value)
    if len(upn) != 13:
        raise ValidationError(
            "A UPN is 13 characters: a letter, then 11 digits, then a digit or letter.",
            code="upn_length",
        )
    if not _UPN_SHAPE.match(upn) or (upn[-1].isalpha() and upn[-1] not in CHECK_LETTERS):
        raise ValidationError(
            "A UPN starts with a letter, then has 11 digits, and ends in a digit (or a letter for a temporary UPN).",
            code="upn_shape",
        )
    if upn[0] != check_letter(upn[1:]):
        raise ValidationError(
            "This UPN's check letter does not match the rest of the number. Check it for a typing mistake.",
            code="upn_check_letter",
        )
