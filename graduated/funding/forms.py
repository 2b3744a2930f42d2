"""Forms for funding records. Each checks what the person typed and says exactly what to fix."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from graduated.funding.models import AwardKind, academic_year_label
from graduated.lib.forms import GovukDateField


def _today() -> date:
    return timezone.localdate()


class MoneyField(forms.DecimalField):
    """Pounds and pence, as people write them: "4500", "4,500.50" or "£4,500"."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        subject = label[0].upper() + label[1:]
        super().__init__(
            label=label, min_value=Decimal(0), max_digits=10, decimal_places=2,
            error_messages={
                "required": f"Enter the {label.lower()}",
                "invalid": f"{subject} must be an amount in pounds, like 4500 or 4500.50",
                "min_value": f"{subject} must be £0 or more",
                "max_digits": f"{subject} must be less than £100,000,000",
                "max_whole_digits": f"{subject} must be less than £100,000,000",
                "max_decimal_places": f"{subject} must be in pounds and pence, with no more than 2 decimal places",
            },
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
            **kwargs,
        )  # fmt: skip

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


class PeriodForm(forms.Form):
    """A period from one date to another, the second not before the first."""

    period_from = GovukDateField(label="Start of the period", help_text="For example, 1 9 2026")
    period_to = GovukDateField(label="End of the period", help_text="For example, 31 8 2027")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "The end of the period must be the same as or after its start")
        return cleaned


class ApplicationForm(PeriodForm):
    amount_requested = MoneyField("Amount requested", help_text="In pounds, for the whole period")
    case_for_funding = forms.CharField(
        label="Why the pupil needs more than the setting can provide",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the costed provision map does not show: the pupil's needs, what has been tried, the impact.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


INCOMPLETE = {"required": "The form was incomplete: open the application again and resubmit it"}


class SubmitForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages=INCOMPLETE | {"invalid": INCOMPLETE["required"]}
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did the local authority decide?",
        choices=[("approved", "Approved"), ("declined", "Declined")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the local authority approved or declined the application"},
    )
    decided_on = GovukDateField(label="Date of the decision", max_date=_today, help_text="For example, 14 10 2026")
    amount_approved = MoneyField("Amount approved", required=False, help_text="Only if approved, in pounds")
    note = forms.CharField(
        label="Note of the decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The local authority's reasons or conditions. Needed if the application was declined.",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages=INCOMPLETE | {"invalid": INCOMPLETE["required"]}
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome == "approved" and cleaned.get("amount_approved") is None and "amount_approved" not in self.errors:
            self.add_error("amount_approved", "Enter the amount approved")
        if outcome == "declined" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter the reason the local authority gave for declining")
        return cleaned


class AwardForm(PeriodForm):
    kind = forms.ChoiceField(
        label="Which fund?",
        choices=AwardKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which fund the award is from"},
    )
    amount = MoneyField("Amount", help_text="In pounds. The Disability Access Fund is £938 a year from April 2025.")
    awarded_on = GovukDateField(label="Date awarded", max_date=_today, help_text="For example, 3 10 2026")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["kind", "amount", "period_from", "period_to", "awarded_on", "note"]

    def details(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class YearFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Academic year", coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "Select an academic year from the list"},
    )  # fmt: skip

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Every year"), *((str(year), academic_year_label(year)) for year in years)]
