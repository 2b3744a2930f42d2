"""Forms for the LA's case work. Each checks what the officer typed and says exactly what to fix; the
services check the order of the steps again, whatever the caller."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from graduated.ehc.models import OPEN_STAGES, PLAN_SECTIONS, AdviserKind, RequestSource, ReviewDecision, WithdrawnBy
from graduated.ehc.officers import la_officers
from graduated.ehc.sen2_codes import CeaseReason
from graduated.lib.forms import GovukDateField
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import Enrolment, Pupil
from graduated.statutory import clock

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"


def _today() -> date:
    return timezone.localdate()


def _date(label: str, *, required: bool = True, help_text: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required, max_date=_today, help_text=help_text)


def _text(label: str, missing: str, *, required: bool = True, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": missing},
    )  # fmt: skip


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )


def pupils_of(la: LocalAuthority) -> Any:
    """The children the LA may log a request for: living in it, or at one of its settings now. Looking
    a child up among these only means an officer never learns of another LA's child."""
    enrolled = Enrolment.objects.current().filter(setting__local_authority=la).values("pupil_id")
    return Pupil.objects.filter(Q(home_local_authority=la) | Q(pk__in=enrolled))


class NewRequestForm(forms.Form):
    """Finds the child by UPN, or (a young child or a new arrival may have none) by last name and date
    of birth."""

    upn = forms.CharField(
        label="The child's unique pupil number (UPN)", max_length=13, required=False,
        help_text="13 characters, starting with a letter, as on the school's records. If the child has no UPN, "
        "leave it empty and give their last name and date of birth.",
    )  # fmt: skip
    last_name = forms.CharField(label="The child's last name", max_length=100, required=False)
    date_of_birth = GovukDateField(
        label="The child's date of birth", required=False, max_date=_today, help_text="For example, 14 3 2021"
    )
    received_on = _date("Date the request was received", help_text="The 6-week clock starts from this day.")
    source = forms.TypedChoiceField(
        label="Who made the request", coerce=int, widget=forms.RadioSelect, choices=RequestSource.choices,
        error_messages={"required": "Choose who made the request", "invalid_choice": "Choose from the list"},
    )  # fmt: skip
    requested_by = forms.CharField(
        label="Name of the person or organisation", max_length=200,
        help_text="For example: Sam Jones (mother), or the school's SENCO.",
        error_messages={"required": "Enter who made the request"},
    )  # fmt: skip
    requesting_setting = forms.ModelChoiceField(
        label="School or setting that made the request (if any)", queryset=Setting.objects.none(), required=False,
        empty_label="None", error_messages={"invalid_choice": "Choose a school or setting from the list"},
    )  # fmt: skip

    def __init__(self, *args: Any, la: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.la = la
        field = self.fields["requesting_setting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Setting.objects.filter(local_authority=la).order_by("name")
        self.pupil: Pupil | None = None

    def clean_upn(self) -> str:
        upn = self.cleaned_data["upn"].strip().upper()
        if upn:
            self.pupil = pupils_of(self.la).filter(upn=upn).first()
            if self.pupil is None:
                raise forms.ValidationError(
                    f"No child with that UPN is recorded in {self.la.name}: check it with the school"
                )
        return upn

    def _find_by_name(self, last_name: str, born: date) -> None:
        named = Q(legal_last_name__iexact=last_name) | Q(preferred_last_name__iexact=last_name)
        found = list(pupils_of(self.la).filter(named, date_of_birth=born)[:2])
        if not found:
            self.add_error("last_name", f"No child with that last name and date of birth is recorded in {self.la.name}")
        elif len(found) > 1:
            self.add_error("upn", "More than one child has that last name and date of birth: enter the UPN")
        else:
            self.pupil = found[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("upn") and "upn" not in self.errors and "date_of_birth" not in self.errors:
            last_name, born = (data.get("last_name") or "").strip(), data.get("date_of_birth")
            if last_name and born:
                self._find_by_name(last_name, born)
            else:
                self.add_error("upn", "Enter the child's UPN, or their last name and date of birth")
        if data.get("source") == RequestSource.EDUCATION_SETTING and not data.get("requesting_setting"):
            self.add_error("requesting_setting", "Choose the school or setting that made the request")
        return data


UNASSIGNED = "none"
RAGS = [("red", "Red"), ("amber", "Amber"), ("green", "Green"), ("exception", "An exception applies")]


class InboxFilterForm(forms.Form):
    """The inbox's filters. Any value not offered is a clear error, never a 500 or an empty list."""

    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Every open stage"), *[(s.value, s.label) for s in OPEN_STAGES]],
        error_messages={"invalid_choice": "Choose a stage from the list"},
    )  # fmt: skip
    setting = forms.ModelChoiceField(
        label="Requested by", queryset=Setting.objects.none(), required=False, empty_label="Any setting or person",
        error_messages={"invalid_choice": "Choose a setting from the list"},
    )  # fmt: skip
    officer = forms.ChoiceField(label="Officer", required=False, error_messages={
        "invalid_choice": "Choose an officer from the list"})  # fmt: skip
    rag = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *RAGS],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )  # fmt: skip

    def __init__(self, *args: Any, la: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setting = self.fields["setting"]
        assert isinstance(setting, forms.ModelChoiceField)
        setting.queryset = Setting.objects.filter(local_authority=la).order_by("name")
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ChoiceField)
        officer.choices = [
            ("", "Any officer"), (UNASSIGNED, "Not assigned"),
            *[(str(user.pk), str(user)) for user in la_officers(la)],
        ]  # fmt: skip


class AssignForm(forms.Form):
    officer = forms.TypedChoiceField(
        label="Officer", coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "Choose an officer from the list"},
    )  # fmt: skip
    version = _version()

    def __init__(self, *args: Any, la: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", "Nobody (take it out of every caseload)"),
            *[(user.pk, str(user)) for user in la_officers(la)],
        ]  # fmt: skip


class AssessmentDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect,
        choices=[("assess", "To assess"), ("not_assess", "Not to assess")],
        error_messages={"required": "Choose the decision", "invalid_choice": "Choose the decision"},
    )  # fmt: skip
    decided_on = _date("Date of the decision")
    reasons = _text("Reasons", "Enter the reasons for the decision", help_text="A refusal's reasons go in the letter.")
    version = _version()


class AdviceForm(forms.Form):
    adviser_kind = forms.ChoiceField(
        label="Advice from", choices=[("", "Choose"), *AdviserKind.choices],
        error_messages={"required": "Choose whom the advice is from", "invalid_choice": "Choose from the list"},
    )  # fmt: skip
    adviser = forms.CharField(
        label="Who was asked", max_length=200, help_text="The service or the person, for example: Northshire EPS.",
        error_messages={"required": "Enter who was asked"},
    )  # fmt: skip
    asked_on = _date("Date asked", help_text="The advice is due 6 weeks from this day.")


class AdviceReceivedForm(forms.Form):
    received_on = _date("Date the advice was received")


class ExceptionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened", widget=forms.RadioSelect,
        choices=[(kind.value, label[0].upper() + label[1:]) for kind, label in clock.EXCEPTION_LABELS.items()],
        error_messages={"required": "Choose what happened", "invalid_choice": "Choose from the list"},
    )  # fmt: skip
    first_day = GovukDateField(label="First day")
    last_day = GovukDateField(label="Last day", help_text="For a missed appointment: the day before the new one.")
    reason = _text("Details", "Enter the details", rows=3)
    impractical_because = _text(
        "Why it made the time limit impractical to meet (if you can confirm it now)", "", required=False, rows=3,
        help_text="An exception applies only once an officer confirms that it made meeting the time limit "
        "impractical. If you cannot say yet, leave this empty and confirm it from the case later.",
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day must be the same as or after the first day")
        return data


class ConfirmExceptionForm(forms.Form):
    impractical_because = _text(
        "Why it made the time limit impractical to meet", "Enter why it made the time limit impractical to meet",
        rows=3,
    )  # fmt: skip
    confirmed_on = _date("Date confirmed")


class WithdrawalForm(forms.Form):
    withdrawn_by = forms.ChoiceField(
        label="Who withdrew the request", widget=forms.RadioSelect, choices=WithdrawnBy.choices,
        error_messages={"required": "Choose who withdrew the request", "invalid_choice": "Choose from the list"},
    )  # fmt: skip
    withdrawn_on = _date("Date the request was withdrawn")
    reason = _text("Why it was withdrawn", "Enter why the request was withdrawn", rows=3)
    version = _version()


class NotToIssueForm(forms.Form):
    decided_on = _date("Date of the decision")
    reasons = _text("Reasons", "Enter the reasons for not issuing a plan")
    version = _version()


class PlanSectionsForm(forms.Form):
    """Sections A–K of the plan; every one may be left to fill in later."""

    version = _version()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, heading in PLAN_SECTIONS:
            self.fields[name] = forms.CharField(label=heading, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name, _ in PLAN_SECTIONS}


class DraftPlanForm(PlanSectionsForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"draft_issued_on": _date("Date the draft was served"), **self.fields}
        for name, _ in PLAN_SECTIONS:  # room to read and edit what the request filled in
            if self.initial.get(name):
                self.fields[name].widget.attrs["rows"] = 10


class FinalPlanForm(forms.Form):
    final_issued_on = _date(
        "Date the final plan was issued", help_text="The pupil's SEN status becomes E from this day."
    )
    version = _version()


class ReviewForm(forms.Form):
    meeting_on = GovukDateField(label="Date of the review meeting")
    papers_sent_on = GovukDateField(label="Date the advice and information went out (if sent)", required=False)
    report_received_on = _date("Date the review report reached the LA (if received)", required=False)
    decision = forms.ChoiceField(
        label="The LA's decision (if made)", required=False, widget=forms.RadioSelect, choices=ReviewDecision.choices,
        help_text="A plan the LA decides to cease stays in place until the time to appeal has passed (2 months "
        "after the decision letter, or 1 month after a mediation certificate if later) or an appeal is decided.",
        error_messages={"invalid_choice": "Choose from the list"},
    )  # fmt: skip
    decided_on = _date("Date of the LA's decision (if made)", required=False)
    ceased_on = _date(
        "Date the plan ceased (if it has)", required=False,
        help_text="After a decision to cease, once the time to appeal has passed or an appeal has been decided. The "
        "pupil's SEN status changes from EHC plan (E) to SEN support (K) from this day, and the plan is no longer "
        "reviewed.",
    )  # fmt: skip
    cease_reason = forms.TypedChoiceField(
        label="Why the plan ceased (once it has)", required=False, widget=forms.RadioSelect, coerce=int,
        empty_value=None, choices=CeaseReason.choices, help_text="As the SEN2 return records it.",
        error_messages={"invalid_choice": "Choose from the list"},
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ceased_on") and not data.get("cease_reason"):
            self.add_error("cease_reason", "Choose why the plan ceased")
        if data.get("cease_reason") and not data.get("ceased_on"):
            self.add_error("cease_reason", "Give a reason only once the plan has ceased")
        if data.get("decision") and not data.get("decided_on"):
            self.add_error("decided_on", "Enter the date of the LA's decision")
        if data.get("decided_on") and not data.get("decision"):
            self.add_error("decision", "Choose the LA's decision")
        if data.get("ceased_on") and data.get("decision") != ReviewDecision.CEASE:
            self.add_error("ceased_on", "Enter the date the plan ceased only after a decision to cease it")
        return data
