from datetime import date, timedelta

from django import forms
from django.utils import timezone

from graduated.documents.forms import DocumentForm
from graduated.lib.forms import GovukDateField
from graduated.professionals.models import MAX_GRANT_DAYS
from graduated.professionals.services import Invitee

SCOPE_CHOICES = [
    ("can_read_plan", "Read the plan: the one-page profile, and the current outcomes and provision"),
    ("can_advise", "Contribute advice"),
    ("can_upload_report", "Upload a report"),
]


def _today() -> date:
    return timezone.localdate()


def _latest_end() -> date:
    return timezone.localdate() + timedelta(days=MAX_GRANT_DAYS)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={
            "required": "Enter the professional's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the professional's full name"},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="For example, Northshire Educational Psychology Service",
        error_messages={"required": "Enter the professional's organisation"},
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=120,
        help_text="For example, Educational psychologist",
        error_messages={"required": "Enter the professional's job title"},
    )
    scopes = forms.MultipleChoiceField(
        label="What may they do?",
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing the professional may do"},
    )
    expires_on = GovukDateField(
        label="Access ends on",
        min_date=_today,
        max_date=_latest_end,
        help_text="At most a year from today. For example, 31 7 2027",
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter the professional's full name")
        return name

    def invitee(self) -> Invitee:
        data = self.cleaned_data
        scopes = set(data["scopes"])
        return Invitee(
            email=data["email"],
            full_name=data["full_name"],
            organisation=data["organisation"].strip(),
            job_title=data["job_title"].strip(),
            can_read_plan="can_read_plan" in scopes,
            can_advise="can_advise" in scopes,
            can_upload_report="can_upload_report" in scopes,
            expires_on=data["expires_on"],
        )


class AdviceForm(forms.Form):
    given_on = GovukDateField(label="Date of the advice", max_date=_today, help_text="For example, 14 10 2026")
    advice = forms.CharField(
        label="Your advice",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you found, and what it means for the pupil's learning.",
        error_messages={"required": "Enter your advice"},
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Strategies or provision you recommend, one a line.",
    )

    def clean_advice(self) -> str:
        text = self.cleaned_data["advice"].strip()
        if not text:
            raise forms.ValidationError("Enter your advice")
        return text


class ReportForm(DocumentForm):
    """The documents app's upload form (size, extension and content checks), always a report."""

    kind = None  # type: ignore[assignment]
