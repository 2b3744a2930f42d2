"""The forms of a Common Transfer File download: which school it is from and to, and which leavers.

Both are sent with GET (a download changes nothing), so a bookmarked or shared address is checked
like any form: whatever is in it gets a message, never an error page.
"""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.organisations.models import Setting
from graduated.pupils.forms import YEAR_GROUP_CHOICES
from graduated.records.ctf import School

# A DfE number as people write it: 860/2001, 860-2001, 860 2001 or 8602001.
_DFE_NUMBER = re.compile(r"([0-9]{3})\s*[/-]?\s*([0-9]{4})")


def _today() -> date:
    return timezone.localdate()


def _text(value: str) -> str:
    return " ".join(value.split())


class SchoolsForm(forms.Form):
    """Where the file is from (this setting, by its DfE number) and, when known, where it goes."""

    source_estab = forms.CharField(
        label="Your setting's DfE establishment number", max_length=12,
        error_messages={"required": "Enter your setting's DfE establishment number"},
    )  # fmt: skip
    to_dfe_number = forms.CharField(
        label="DfE number", max_length=12, required=False,
        help_text="The local authority code and establishment number, for example 931/2004.",
    )  # fmt: skip
    to_urn = forms.CharField(label="URN", max_length=12, required=False, help_text="6 digits.")
    to_name = forms.CharField(label="Name", max_length=100, required=False)

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.la_code = setting.local_authority.code
        self.setting = setting
        self.fields["source_estab"].help_text = (
            f"The 4 digits after your local authority's code, {self.la_code}, in your DfE number: for "
            f"{self.la_code}/2001 enter 2001. A Common Transfer File names the school it comes from by it."
        )
        self.fields["source_estab"].widget.attrs.update({"class": "govuk-input--width-5", "inputmode": "numeric"})
        self.fields["to_dfe_number"].widget.attrs.update({"class": "govuk-input--width-10"})
        self.fields["to_urn"].widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "numeric"})

    def clean_source_estab(self) -> str:
        value = self.cleaned_data["source_estab"].strip()
        if re.fullmatch(r"[0-9]{4}", value):
            return value
        whole = _DFE_NUMBER.fullmatch(value)
        if whole and whole.group(1) == self.la_code:
            return whole.group(2)
        if whole:
            raise forms.ValidationError(
                f"That DfE number is in another local authority ({whole.group(1)}): {self.setting.name} is in "
                f"{self.la_code}. Enter the 4 digits of your establishment number"
            )
        raise forms.ValidationError("Enter your establishment number as 4 digits, like 2001")

    def clean_to_dfe_number(self) -> tuple[str, str] | None:
        value = self.cleaned_data["to_dfe_number"].strip()
        if not value:
            return None
        whole = _DFE_NUMBER.fullmatch(value)
        if whole is None:
            raise forms.ValidationError(
                "Enter the DfE number as a 3-digit local authority code and 4 digits, like 931/2004"
            )
        return whole.group(1), whole.group(2)

    def clean_to_urn(self) -> str:
        value = self.cleaned_data["to_urn"].strip()
        if value and not re.fullmatch(r"[0-9]{6}", value):
            raise forms.ValidationError("Enter the URN as 6 digits, like 100123")
        return value

    def clean_to_name(self) -> str:
        return _text(self.cleaned_data["to_name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("to_dfe_number")
            and (data.get("to_urn") or data.get("to_name"))
            and not self.has_error("to_dfe_number")
        ):
            self.add_error(
                "to_dfe_number",
                "Enter the new school's DfE number too: a Common Transfer File names a school by it, or leave the "
                "new school out",
            )
        return data

    def source(self) -> School:
        return School(
            lea=self.la_code,
            estab=self.cleaned_data["source_estab"],
            urn=self.setting.urn if self.setting.urn and len(self.setting.urn) == 6 else "",
            name=self.setting.name,
        )

    def destination(self) -> School | None:
        number = self.cleaned_data.get("to_dfe_number")
        if not number:
            return None
        data = self.cleaned_data
        return School(lea=number[0], estab=number[1], urn=data["to_urn"], name=data["to_name"])

    def destination_words(self) -> str:
        """The destination for the audit trail: its numbers, never more than the file says."""
        school = self.destination()
        return f"to {school.lea}/{school.estab}" if school else "to a school not yet known"


class LeaversForm(SchoolsForm):
    """Which of the setting's pupils are in the file: a year group, an enrolment end date range, or both."""

    year = forms.TypedChoiceField(
        label="Year group", choices=[("", "Any year group"), *YEAR_GROUP_CHOICES], coerce=int, empty_value=None,
        required=False, error_messages={"invalid_choice": "Choose a year group from the list"},
    )  # fmt: skip
    ends_from = GovukDateField(
        label="Enrolment ends on or after", required=False, help_text="For example, 1 7 2026",
    )  # fmt: skip
    ends_to = GovukDateField(
        label="Enrolment ends on or before", required=False, min_date=_today,
        help_text="For example, 31 8 2026. Only pupils still on roll are included: export leavers before they leave.",
    )  # fmt: skip

    field_order = ["year", "ends_from", "ends_to", "source_estab", "to_dfe_number", "to_urn", "to_name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, ends_from, ends_to = data.get("year"), data.get("ends_from"), data.get("ends_to")
        chose = year is not None or ends_from or ends_to
        if not chose and not any(self.has_error(name) for name in ("year", "ends_from", "ends_to")):
            self.add_error("year", "Choose a year group, or the dates the pupils' enrolment ends between, or both")
        if ends_from and ends_to and ends_from > ends_to:
            self.add_error("ends_to", "Enrolment ends on or before must be the same as or after the first date")
        return data

    def choice_words(self) -> str:
        """What was chosen, in words, for the page and the audit trail."""
        data = self.cleaned_data
        parts = []
        if data.get("year") is not None:
            parts.append(dict(YEAR_GROUP_CHOICES)[str(data["year"])])
        if data.get("ends_from") and data.get("ends_to"):
            parts.append(f"enrolment ending {data['ends_from']:%-d %B %Y} to {data['ends_to']:%-d %B %Y}")
        elif data.get("ends_from"):
            parts.append(f"enrolment ending on or after {data['ends_from']:%-d %B %Y}")
        elif data.get("ends_to"):
            parts.append(f"enrolment ending by {data['ends_to']:%-d %B %Y}")
        return ", ".join(parts)
