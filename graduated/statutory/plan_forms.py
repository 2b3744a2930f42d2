"""Forms for a PCP meeting and for a My Support Plan version.

The PCP meeting form is the meetings app's form with the type fixed and the person-centred
headings added; attendee and action rows are the meetings app's too.
"""

from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.meetings.forms import MeetingForm, RowForm, RowFormSet
from graduated.meetings.models import Meeting
from graduated.pupils.models import Pupil
from graduated.statutory.models import (
    PLAN_PARTS,
    REQUIRED_TEXT,
    TEXT_FIELDS,
    TEXT_LABELS,
    LookedAfter,
    OutcomeData,
    PlanContent,
    PlanVersion,
)
from graduated.statutory.plan_services import PcpHeadings

TEXT_MAX = 10000
OUTCOME_ROWS = 3  # blank rows offered beyond the outcomes already in the plan
MAX_OUTCOMES = 20
STALE_FORM = "This form is out of date. Open the My Support Plan again and make your changes there"


def _today() -> date:
    return timezone.localdate()


def _clean_text(value: Any) -> str:
    # Browsers send line breaks as CRLF; store LF, so that an unchanged save compares equal.
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _textarea(label: str, *, required: bool = True, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PcpMeetingForm(MeetingForm):
    whats_working = _textarea("What is working", help_text="At home, at school and elsewhere, from everyone’s view.")
    whats_not_working = _textarea("What is not working")
    important_to = _textarea("What is important to the pupil", help_text="In the pupil’s own words where you can.")
    important_for = _textarea(
        "What is important for the pupil", help_text="What others agree the pupil needs to be healthy, safe and learn."
    )
    views_sent_by = forms.CharField(
        label="Who sent their views but could not come",
        required=False,
        max_length=1000,
        help_text="Names and roles, for example Dr Shah (educational psychologist), written report.",
    )

    field_order = [
        "held_on", "whats_working", "whats_not_working", "important_to", "important_for", "discussed", "staff",
        "views_sent_by",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]  # always a person-centred planning meeting
        discussed = self.fields["discussed"]
        discussed.label = "What was agreed"
        discussed.help_text = "The outcomes and next steps agreed. Write it so that it can be shared with the family."
        discussed.error_messages["required"] = "Enter what was agreed"
        for name in ("whats_working", "whats_not_working", "important_to", "important_for"):
            label = str(self.fields[name].label)
            self.fields[name].error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"

    def headings(self) -> PcpHeadings:
        data = self.cleaned_data
        return PcpHeadings(
            whats_working=_clean_text(data["whats_working"]),
            whats_not_working=_clean_text(data["whats_not_working"]),
            important_to=_clean_text(data["important_to"]),
            important_for=_clean_text(data["important_for"]),
            views_sent_by=data["views_sent_by"].strip(),
        )


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Meeting)
        return f"Person-centred planning meeting on {obj.held_on:%-d %B %Y}"


class PlanForm(forms.Form):
    looked_after = forms.ChoiceField(
        label="Looked-after status",
        choices=LookedAfter.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the pupil’s looked-after status"},
    )
    meeting = _MeetingChoice(
        label="The meeting that agreed this plan",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not agreed at a recorded meeting",
        error_messages={"invalid_choice": "Choose one of the pupil’s person-centred planning meetings"},
    )
    agreed_on = GovukDateField(label="Date agreed", max_date=_today, help_text="For example, 14 10 2026")
    next_review_on = GovukDateField(
        label="Date of the next review",
        required=False,
        help_text="Leave blank for the local authority’s review cycle after the date agreed (usually 4 months)",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={message: STALE_FORM for message in ("required", "invalid", "min_value")},
    )

    def __init__(self, *args: Any, pupil: Pupil, current: PlanVersion | None, meetings: Any, **kwargs: Any) -> None:
        self.pupil = pupil
        self.current = current
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            self.fields[name] = _textarea(TEXT_LABELS[name], required=name in REQUIRED_TEXT)
        self.fields["views"].help_text = f"In {pupil.first_name}’s own words where you can."
        self.fields["views"].error_messages["required"] = f"Enter {pupil.first_name}’s views"
        self.fields["needs"].error_messages["required"] = f"Enter {pupil.first_name}’s needs"
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = meetings

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = _clean_text(cleaned[name])
        agreed_on, review = cleaned.get("agreed_on"), cleaned.get("next_review_on")
        if agreed_on and self.current is not None and agreed_on < self.current.agreed_on:
            self.add_error(
                "agreed_on",
                f"Date agreed must be the same as or after {self.current.agreed_on:%-d %B %Y}, "
                "when the current version was agreed",
            )
        if agreed_on and review and review <= agreed_on:
            self.add_error("next_review_on", "Date of the next review must be after the date agreed")
        meeting = cleaned.get("meeting")
        if agreed_on and meeting is not None and meeting.held_on > agreed_on:
            self.add_error("meeting", f"The meeting was held on {meeting.held_on:%-d %B %Y}, after the date agreed")
        return cleaned

    def parts(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(heading, fields) for each part of the plan, for the template to lay out in order."""
        return [(heading, [self[name] for name, _ in part]) for heading, part in PLAN_PARTS]

    def content(self, outcomes: list[OutcomeData]) -> PlanContent:
        data = self.cleaned_data
        meeting = data.get("meeting")
        return PlanContent.build(
            looked_after=data["looked_after"],
            outcomes=tuple(outcomes),
            meeting_id=meeting.pk if meeting is not None else None,
            **{name: data[name] for name in TEXT_FIELDS},
        )

    @staticmethod
    def initial_from(
        current: PlanVersion | None, version_number: int, prefill: dict[str, str], meeting: Meeting | None
    ) -> dict[str, Any]:
        """A new version starts from the current one; a first version from what the record says."""
        initial: dict[str, Any] = {"agreed_on": _today(), "version": version_number}
        if current is None:
            initial.update(prefill)
        else:
            initial.update({name: getattr(current, name) for name in TEXT_FIELDS}, looked_after=current.looked_after)
        # A plan (or its review) is usually agreed at the latest PCP meeting.
        initial["meeting"] = meeting.pk if meeting is not None else (current.meeting_id if current else None)
        return initial


class OutcomeForm(RowForm):
    required_messages = {
        "description": "Enter what will be achieved for outcome {n}",
        "who": "Enter who will help with outcome {n}",
        "by_when": "Enter the date outcome {n} is due",
    }
    description = forms.CharField(label="What will be achieved", max_length=2000, widget=forms.Textarea({"rows": 2}))
    who = forms.CharField(label="Who will help", max_length=300, help_text="For example, class teacher and mum")
    by_when = GovukDateField(label="By when", help_text="For example, 20 3 2027")

    def as_data(self) -> OutcomeData:
        data = self.cleaned_data
        return OutcomeData(
            description=_clean_text(data["description"]), who=data["who"].strip(), by_when=data["by_when"]
        )


def outcome_formset(data: Any = None, current: PlanVersion | None = None) -> RowFormSet:
    initial = (
        [{"description": o.description, "who": o.who, "by_when": o.by_when} for o in current.outcomes.all()]
        if current is not None
        else []
    )
    cls = formset_factory(
        OutcomeForm, formset=RowFormSet, extra=OUTCOME_ROWS, max_num=MAX_OUTCOMES, absolute_max=MAX_OUTCOMES,
        validate_max=True,
    )  # fmt: skip
    formset = cls(data, initial=initial, prefix="outcomes")
    assert isinstance(formset, RowFormSet)
    return formset


def check_outcome_dates(outcomes: RowFormSet, agreed_on: date) -> bool:
    """Outcomes cannot be due before the plan was agreed: say so on the row that is wrong."""
    ok = True
    for row in outcomes.filled():
        if row.cleaned_data["by_when"] < agreed_on:
            row.add_error("by_when", f"Outcome {row.number} must be due on or after the date agreed")
            ok = False
    return ok
