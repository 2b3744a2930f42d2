"""The details a school types on a request: only what the pupil's record does not already hold.

Every field may be left empty while the request is prepared (the SENCO fills it in over days); what
must be there before it is sent is checked on submission (``services.missing_for_submission``)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from graduated.assessment_requests.models import ConsentBy
from graduated.lib.forms import GovukDateField
from graduated.pupils.models import Pupil
from graduated.specialists.models import age_on

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"


def _today() -> date:
    return timezone.localdate()


def _text(label: str, *, rows: int = 5, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class PercentField(forms.DecimalField):
    """A percentage from 0 to 100 with one decimal place, and one message for every way to miss it."""

    def clean(self, value: Any) -> Decimal | None:
        try:
            return super().clean(value)
        except forms.ValidationError as error:
            # 100.05 breaks two rules (too large, too precise): the person needs to read one sentence.
            # Raised without parameters, the message is never %-formatted.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def _percent(subject: str) -> PercentField:
    # No "%" in the message, even so: Django %-formats messages raised with parameters.
    message = f"Enter the {subject.lower()} as a percentage from 0 to 100, like 92.5"
    return PercentField(
        label=f"{subject} (%)", required=False, min_value=Decimal(0), max_value=Decimal(100), max_digits=4,
        decimal_places=1, help_text="A percentage of possible sessions, like 92.5",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4", "spellcheck": "false"}),
        error_messages={"invalid": message},
    )  # fmt: skip


class DetailsForm(forms.Form):
    parental_responsibility = _text(
        "People with parental responsibility",
        help_text="For each person: name, relationship to the child, address, telephone and e-mail.",
    )
    attendance_this_year = _percent("Attendance this school year")
    attendance_last_year = _percent("Attendance last school year")
    child_views = _text(
        "The child's or young person's views",
        rows=6,
        help_text="Copied from the latest My Support Plan or SEN support review when the request was started: "
        "check them with the child.",
    )
    parent_views = _text(
        "The parents' views", rows=6, help_text="Copied from the record when the request was started: check them."
    )
    beyond_ordinarily_available = _text(
        "Support needed beyond ordinarily available provision",
        rows=8,
        help_text="What the child needs that the school cannot provide from its own resources, and why. The costed "
        "provision map and the cycles are added from the record.",
    )
    consent_by = forms.ChoiceField(
        label="Who consented to the request?", required=False, choices=ConsentBy.choices, widget=forms.RadioSelect,
        help_text="A young person of 16 or over consents for themselves.",
        error_messages={"invalid_choice": "Select who consented from the list"},
    )  # fmt: skip
    consent_name = forms.CharField(label="Name of the person who consented", required=False, max_length=200)
    consent_on = GovukDateField(
        label="Date consent was given", required=False, max_date=_today, help_text="For example, 14 10 2026"
    )
    consent_to_share = forms.BooleanField(
        label="They agreed that the local authority may share this information with the professionals it asks for "
        "advice",
        required=False,
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )

    def __init__(self, *args: Any, pupil: Pupil, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupil = pupil

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        consent_by, consent_on = cleaned.get("consent_by"), cleaned.get("consent_on")
        if consent_by == ConsentBy.YOUNG_PERSON and consent_on and age_on(self.pupil.date_of_birth, consent_on) < 16:
            self.add_error(
                "consent_by",
                f"{self.pupil.first_name} was under 16 on that date: select a parent or carer with parental "
                "responsibility",
            )
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
