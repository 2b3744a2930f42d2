"""The forms of a record transfer: asking for a pupil's record, and deciding on a request."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.organisations.models import Setting
from graduated.pupils.identifiers import normalise_upn, validate_upn
from graduated.records.models import Declaration
from graduated.records.transfers import REASON_MAX, takes_declarations

NOTES_MAX = 2000


def _today() -> date:
    return timezone.localdate()


def _a_year_on() -> date:
    return timezone.localdate() + timedelta(days=366)


class RequestForm(forms.Form):
    upn = forms.CharField(
        label="UPN (unique pupil number)", max_length=20,
        help_text="13 characters, as their last school gave it, for example A860200124001.",
        error_messages={"required": "Enter the pupil's UPN"},
    )  # fmt: skip
    date_of_birth = GovukDateField(
        label="Date of birth", max_date=_today, help_text="For example, 27 3 2016",
        error_messages={"required": "Enter the pupil's date of birth"},
    )  # fmt: skip
    starts_on = GovukDateField(
        label="Date the pupil starts here", max_date=_a_year_on, help_text="For example, 1 9 2026",
        error_messages={"required": "Enter the date the pupil starts here"},
    )  # fmt: skip
    declared = forms.MultipleChoiceField(
        label="What the student declared when they joined", choices=Declaration.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if they declared nothing. Asking for their record is how you find out what "
        "support they had at school.",
    )  # fmt: skip
    declaration_notes = forms.CharField(
        label="In the student's words", required=False, max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not takes_declarations(setting):
            del self.fields["declared"]
            del self.fields["declaration_notes"]

    def clean_upn(self) -> str:
        upn = normalise_upn(self.cleaned_data.get("upn", ""))
        validate_upn(upn)
        return upn

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born, starts = cleaned.get("date_of_birth"), cleaned.get("starts_on")
        if born and starts and starts <= born:
            self.add_error("starts_on", "The date the pupil starts here must be after their date of birth")
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you release this pupil's SEN record?", widget=forms.RadioSelect,
        choices=[
            ("approve", "Yes: the pupil leaves this setting and their record goes with them"),
            ("refuse", "No: this is not our pupil, or they are not leaving"),
        ],
        error_messages={"required": "Select whether you release the record"},
    )  # fmt: skip
    reason = forms.CharField(
        label="Why not (the other setting sees this)", required=False, max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "refuse" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you are refusing: the other setting needs to know what to do next")
        return cleaned
