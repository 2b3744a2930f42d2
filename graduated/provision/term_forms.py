"""The form on which an LA admin records its school term dates for one academic year."""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms

from graduated.lib.forms import GovukDateField
from graduated.provision.cost_forms import EARLIEST_YEAR, LATEST_YEAR, OUT_OF_DATE
from graduated.provision.models import HalfTerm, TermBlock
from graduated.provision.terms import weekdays, year_label

ISO_YEAR = re.compile(r"\d{4}")
# The usual dates, shown as examples: autumn 1 of 2026/27 starts on 3 September 2026.
EXAMPLES = {
    HalfTerm.AUTUMN_1: ("3 9", "23 10"),
    HalfTerm.AUTUMN_2: ("2 11", "18 12"),
    HalfTerm.SPRING_1: ("4 1", "12 2"),
    HalfTerm.SPRING_2: ("22 2", "25 3"),
    HalfTerm.SUMMER_1: ("12 4", "28 5"),
    HalfTerm.SUMMER_2: ("7 6", "22 7"),
}


class YearError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_year(text: str | None, default: int) -> int:
    """The academic year asked for by the year it starts in ("2026" is 2026/27); nothing: ``default``."""
    text = (text or "").strip()
    if not text:
        return default
    if not ISO_YEAR.fullmatch(text) or not EARLIEST_YEAR <= int(text) <= LATEST_YEAR:
        raise YearError(
            f"Enter the academic year as the year it starts, between {EARLIEST_YEAR} and {LATEST_YEAR}, like 2026"
        )
    return int(text)


def _names(half_term: HalfTerm) -> tuple[str, str]:
    return f"{half_term.value}_starts_on", f"{half_term.value}_ends_on"


def _in_words(half_term: HalfTerm) -> str:
    return str(half_term.label).lower()  # "autumn 1"


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


class TermDatesForm(forms.Form):
    """The first and last day of each half term of ``year_starting``'s academic year, and the
    version of the term dates it was read at (0: none were recorded)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, required=False,
        error_messages={"invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
    )  # fmt: skip

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, year_starting: int, stored: list[TermBlock], version: int
    ) -> None:
        initial: dict[str, Any] = {"version": version}
        for block in stored:
            first, last = _names(HalfTerm(block.half_term))
            initial |= {first: block.starts_on, last: block.ends_on}
        super().__init__(data, initial=initial)
        self.year_starting = year_starting
        earliest, latest = date(year_starting, 9, 1), date(year_starting + 1, 8, 31)
        for half_term in HalfTerm:
            first, last = _names(half_term)
            examples = EXAMPLES[half_term]
            for name, which, example in ((first, "First", examples[0]), (last, "Last", examples[1])):
                year = year_starting if int(example.split()[1]) >= 9 else year_starting + 1
                self.fields[name] = GovukDateField(
                    label=f"{which} day of {_in_words(half_term)}", min_date=earliest, max_date=latest,
                    help_text=f"For example, {example} {year}",
                )  # fmt: skip

    def half_terms(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(name, first day, last day) for each half term, in order, as the template lays them out."""
        rows = []
        for half_term in HalfTerm:
            first, last = _names(half_term)
            rows.append((str(half_term.label), self[first], self[last]))
        return rows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        previous: tuple[HalfTerm, date] | None = None  # the last half term with good dates, and its end
        for half_term in HalfTerm:
            first_name, last_name = _names(half_term)
            first, last = cleaned.get(first_name), cleaned.get(last_name)
            if first is None or last is None:  # its own message says what to fix
                continue
            words = _in_words(half_term)
            if last < first:
                self.add_error(last_name, f"The last day of {words} must be the same as or after its first day")
                continue
            if not weekdays(first, last):
                self.add_error(first_name, f"{words.capitalize()} must include at least one weekday")
            if previous is not None and first <= previous[1]:
                before, ended = previous
                self.add_error(
                    first_name,
                    f"{words.capitalize()} must start after {_in_words(before)} ends on {_long(ended)}: "
                    "half terms cannot overlap",
                )
            previous = (half_term, last)
        return cleaned

    def blocks(self) -> dict[str, tuple[date, date]]:
        """Half term -> (first day, last day), once the form is valid."""
        found: dict[str, tuple[date, date]] = {}
        for half_term in HalfTerm:
            first, last = _names(half_term)
            found[half_term.value] = (self.cleaned_data[first], self.cleaned_data[last])
        return found

    @property
    def label(self) -> str:
        return year_label(self.year_starting)
