"""Forms of the cost pages: the hourly costs and budgets a SENCO sets, and the period a map covers."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from graduated.provision.cost_services import academic_year_label, budget_key, role_key
from graduated.provision.models import DeliveryRole, SenBudget, StaffCost
from graduated.pupils.year_groups import academic_year_start


class MoneyField(forms.DecimalField):
    """Pounds and pence; forgives the £ sign and thousands commas people type."""

    def __init__(self, *, max_digits: int, **kwargs: Any) -> None:
        largest = f"£{10 ** (max_digits - 2):,}"
        super().__init__(
            # A text box, not type="number": GOV.UK advises it, and people may type "£1,250".
            widget=forms.TextInput, required=False, min_value=Decimal(0), max_digits=max_digits, decimal_places=2,
            error_messages={
                "invalid": "Enter an amount in pounds, like 18.50",
                "min_value": "Enter an amount of £0 or more",
                "max_digits": f"Enter an amount less than {largest}",
                "max_whole_digits": f"Enter an amount less than {largest}",
                "max_decimal_places": "Enter pounds and pence only, like 18.50",
            },
            **kwargs,
        )  # fmt: skip
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: IntegerField's
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


OUT_OF_DATE = "The page was out of date: open it again"


class StaffCostsForm(forms.Form):
    """One optional hourly cost per staff role and one optional budget per year, each with the
    version of the row it was read from (0: there was none)."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        costs: Mapping[str, StaffCost],
        budgets: Mapping[int, SenBudget],
        years: list[int],
    ) -> None:
        super().__init__(data)
        self.years = years
        for role in DeliveryRole:
            stored = costs.get(role.value)
            self.fields[role_key(role.value)] = MoneyField(
                max_digits=7, label=str(role.label), initial=stored.hourly_cost if stored else None,
            )  # fmt: skip
            self._version_field(role_key(role.value), stored)
        for year in years:
            budget = budgets.get(year)
            self.fields[budget_key(year)] = MoneyField(
                max_digits=10, label=f"Budget for {academic_year_label(year)}",
                initial=budget.amount if budget else None,
            )  # fmt: skip
            self._version_field(budget_key(year), budget)
        for name, field in self.fields.items():
            if not name.startswith("version_"):
                field.widget.attrs["class"] = "govuk-input--width-10"

    def _version_field(self, key: str, stored: StaffCost | SenBudget | None) -> None:
        self.fields[f"version_{key}"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, required=False, initial=stored.version if stored else 0,
            error_messages={"invalid": OUT_OF_DATE, "min_value": OUT_OF_DATE},
        )  # fmt: skip

    def role_fields(self) -> list[forms.BoundField]:
        return [self[role_key(role.value)] for role in DeliveryRole]

    def budget_fields(self) -> list[forms.BoundField]:
        return [self[budget_key(year)] for year in self.years]

    def hourly(self) -> dict[str, Decimal | None]:
        return {role.value: self.cleaned_data[role_key(role.value)] for role in DeliveryRole}

    def budget_amounts(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data[budget_key(year)] for year in self.years}

    def versions(self) -> dict[str, int]:
        """Row key -> the version the page read (0 for a row that did not exist, or a version not sent)."""
        return {
            name.removeprefix("version_"): value or 0
            for name, value in self.cleaned_data.items()
            if name.startswith("version_")
        }


# -- The period a provision map covers -------------------------------------------------------------------

EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Period:
    """The days a map covers, both counted: an academic year (1 September to 31 August) or any range."""

    starts_on: date
    ends_on: date
    year_starting: int | None = None  # set when the period is an academic year

    @classmethod
    def academic_year(cls, year_starting: int) -> "Period":
        return cls(date(year_starting, 9, 1), date(year_starting + 1, 8, 31), year_starting)

    @property
    def bounds(self) -> tuple[date, date]:
        return self.starts_on, self.ends_on

    @property
    def label(self) -> str:
        dates = f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"
        if self.year_starting is not None:
            return f"academic year {academic_year_label(self.year_starting)} ({dates})"
        return dates

    def query(self) -> str:
        """The query string that asks for this period again (for download links)."""
        if self.year_starting is not None:
            return f"year={self.year_starting}"
        return f"from={self.starts_on.isoformat()}&to={self.ends_on.isoformat()}"


class PeriodError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_period(query: QueryDict, today: date) -> Period:
    """``?year=2026`` (2026/27), ``?from=2026-09-01&to=2026-12-31``, or nothing: the current year.
    Anything else is refused with a message, never guessed at."""
    year = query.get("year", "").strip()
    start = query.get("from", "").strip() or _from_parts(query, "from", "start")
    end = query.get("to", "").strip() or _from_parts(query, "to", "end")
    if start or end:
        if year:
            raise PeriodError("Choose an academic year or a date range, not both")
        if not (start and end):
            raise PeriodError("Enter both a start date and an end date")
        starts_on, ends_on = _iso_date(start, "start"), _iso_date(end, "end")
        if ends_on < starts_on:
            raise PeriodError("The end date must be the same as or after the start date")
        return Period(starts_on, ends_on)
    if not year:
        return Period.academic_year(academic_year_start(today))
    if not ISO_YEAR.fullmatch(year) or not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        raise PeriodError(
            f"Enter the academic year as the year it starts, between {EARLIEST_YEAR} and {LATEST_YEAR}, like 2026"
        )
    return Period.academic_year(int(year))


DATE_PARTS = ("day", "month", "year")


def date_parts(query: QueryDict, name: str) -> dict[str, str]:
    """What was typed in the page's date input ``name`` (``from_day``, ``from_month``, ``from_year``)."""
    return {part: query.get(f"{name}_{part}", "").strip() for part in DATE_PARTS}


def _from_parts(query: QueryDict, name: str, which: str) -> str:
    """The page's GOV.UK date input as an ISO date for ``_iso_date`` to check; "" if nothing was typed.
    (The API and download links give ``from=2026-09-01`` whole.)"""
    typed = date_parts(query, name)
    if not any(typed.values()):
        return ""
    missing = [part for part in DATE_PARTS if not typed[part]]
    if missing:
        raise PeriodError(f"The {which} date must include a {missing[0]}")
    if not all(value.isdigit() and len(value) <= 4 for value in typed.values()):
        raise PeriodError(f"Enter the {which} date as a real date, like 1 9 2026")
    day, month, year = (int(typed[part]) for part in DATE_PARTS)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PeriodError(f"The {which} date must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    try:
        return date(year, month, day).isoformat()
    except ValueError as error:
        raise PeriodError(f"Enter the {which} date as a real date, like 1 9 2026") from error


def _iso_date(text: str, which: str) -> date:
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        value = date.fromisoformat(text)
    except ValueError as error:
        raise PeriodError(f"Enter the {which} date as a real date, like 2026-09-01") from error
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise PeriodError(f"The {which} date must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def year_choices(today: date) -> list[tuple[int, str]]:
    """The academic years offered in the year picker: the last three, this one and the next."""
    current = academic_year_start(today)
    return [(year, academic_year_label(year)) for year in range(current + 1, current - 4, -1)]
