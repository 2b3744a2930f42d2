"""Forms for the services directory and referrals. Each checks what the person typed and says
exactly what to fix; the services check the same rules again whatever the caller."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.pupils.models import Pupil
from graduated.specialists import services
from graduated.specialists.models import ConsentBy, ServiceKind, ServicePhase
from graduated.support.models import Provision

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"


def _today() -> date:
    return timezone.localdate()


def _text(
    label: str, missing: str = "", *, required: bool = True, rows: int = 4, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing or f"Enter the {label.lower()}"},
    )  # fmt: skip


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )


# -- The directory ---------------------------------------------------------------------------------


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of service", choices=[("", "Choose a type"), *ServiceKind.choices],
        error_messages={"required": "Choose the type of service", "invalid_choice": "Choose a type from the list"},
    )  # fmt: skip
    name = forms.CharField(label="Name", max_length=160, error_messages={"required": "Enter the service's name"})
    offer = _text(
        "What the service offers",
        "Enter what the service offers",
        help_text="Assessment, advice, training, direct work with pupils.",
    )
    who_may_refer = _text(
        "Who may refer", "Enter who may refer", rows=3, help_text="For example: SENCOs, with the parent's consent."
    )
    criteria = _text(
        "Criteria for referral", required=False, rows=3, help_text="What the setting must have tried first."
    )
    phases = forms.MultipleChoiceField(
        label="Phases served", choices=ServicePhase.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one phase the service works with",
                        "invalid_choice": "Select phases from the list"},
    )  # fmt: skip
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        error_messages={"invalid": "Enter an e-mail address like name@example.org"},
    )
    phone = forms.CharField(label="Telephone", max_length=40, required=False)
    website = forms.URLField(
        label="Web page", required=False, error_messages={"invalid": "Enter a web address like https://example.org"}
    )
    address = _text("Address", required=False, rows=3)
    is_active = forms.BooleanField(
        label="List the service in the directory", required=False,
        help_text="Untick to take it out of settings' directories; referrals already made keep it.",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def details(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        phases = set(data.pop("phases"))
        data.pop("version", None)
        for phase in ServicePhase:
            data[f"serves_{phase.value}"] = phase.value in phases
        return data

    @staticmethod
    def initial_for(service: Any) -> dict[str, Any]:
        initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS if not name.startswith("serves_")}
        return {**initial, "phases": [phase.value for phase in service.phases], "version": service.version}


class DirectoryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of service", required=False, choices=[("", "Any type"), *ServiceKind.choices],
        error_messages={"invalid_choice": "Choose a type of service from the list"},
    )  # fmt: skip
    phase = forms.ChoiceField(
        label="Phase", required=False, choices=[("", "Any phase"), *ServicePhase.choices],
        error_messages={"invalid_choice": "Choose a phase from the list"},
    )  # fmt: skip


# -- Referrals -------------------------------------------------------------------------------------


def _date(label: str, hint: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=False, max_date=_today, help_text=hint or "For example, 14 10 2026")


class ReferralForm(forms.Form):
    """The referral's consent, dates and advice, filled in as they happen. With ``service_choices``
    it starts a new referral, and asks which service."""

    service = forms.TypedChoiceField(
        label="Service", coerce=int,
        error_messages={"required": "Choose the service", "invalid_choice": "Choose a service from the list"},
    )  # fmt: skip
    reason = _text(
        "Reason for the referral",
        "Enter the reason for the referral",
        help_text="What you want the service to help with, and what has been tried.",
    )
    consent_by = forms.ChoiceField(
        label="Who gave consent?", choices=ConsentBy.choices, widget=forms.RadioSelect,
        help_text="A young person of 16 or over gives consent for themselves.",
        error_messages={"required": "Select who gave consent, or that it has not been given yet",
                        "invalid_choice": "Select who gave consent from the list"},
    )  # fmt: skip
    consent_on = _date("Date consent was given")
    referred_on = _date("Date referred", "Leave empty until the referral is sent. For example, 14 10 2026")
    accepted_on = _date("Date accepted by the service")
    seen_on = _date("Date the pupil was seen")
    report_received_on = _date("Date the report was received")
    advice = _text("Advice given", required=False, rows=6, help_text="The service's advice, in summary.")
    version = _version()

    def __init__(self, *args: Any, pupil: Pupil, service_choices: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        if service_choices is None:
            del self.fields["service"]
            return
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.TypedChoiceField)
        service_field.choices = [("", "Choose a service"), *service_choices]
        for name in ("accepted_on", "seen_on", "report_received_on", "advice", "version"):
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        consent_by, consent_on = cleaned.get("consent_by"), cleaned.get("consent_on")
        if consent_by and "consent_on" not in self.errors:
            try:
                services.check_consent(self.pupil, consent_by, consent_on)
            except services.ReferralError as error:
                self.add_error("consent_on" if consent_by != ConsentBy.NOT_YET and not consent_on else "consent_by",
                               error.message)  # fmt: skip
                return cleaned
        date_names = ["referred_on", *services.LATER_DATES]
        if consent_by and not any(name in self.errors for name in ["consent_on", *date_names]):
            try:
                services.check_dates({name: cleaned.get(name) for name in ["consent_by", "consent_on", *date_names]})
            except services.ReferralError as error:
                self.add_error(None, error.message)
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in services.REFERRAL_FIELDS} | {
            "advice": self.cleaned_data.get("advice") or ""
        }


class RecommendationForm(forms.Form):
    text = _text("Recommendation", rows=3, help_text="One recommendation from the service's advice, in its own words.")


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the recommendation put in place?",
        choices=[("put_in_place", "Yes, put in place"), ("not_put_in_place", "No, not put in place")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the recommendation was put in place"},
    )
    provision = forms.TypedChoiceField(
        label="Provision in the plan that puts it in place", coerce=int, required=False, empty_value=None,
        help_text="If it was put in place: one of the pupil's provisions.",
        error_messages={"invalid_choice": "Choose one of the pupil's provisions from the list"},
    )  # fmt: skip
    reason = _text("Why it was not put in place", "", required=False, rows=3, help_text="If it was not put in place.")
    decided_on = GovukDateField(label="Date decided", max_date=_today, help_text="For example, 14 10 2026")
    version = _version()

    def __init__(self, *args: Any, provisions: list[Provision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.provisions = {provision.pk: provision for provision in provisions}
        field = self.fields["provision"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", "Choose a provision"),
            *((p.pk, f"Cycle {p.cycle.number}: {p.description[:90]}") for p in provisions),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        if outcome == "put_in_place" and cleaned.get("provision") is None and "provision" not in self.errors:
            self.add_error("provision", "Choose the provision that puts the recommendation in place")
        if outcome == "not_put_in_place" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why the recommendation was not put in place")
        return cleaned

    def chosen_provision(self) -> Provision | None:
        if self.cleaned_data["outcome"] != "put_in_place":
            return None
        return self.provisions.get(self.cleaned_data["provision"])
