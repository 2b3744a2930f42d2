"""Forms for concerns, decisions and stages. Each checks what the person typed and says what to fix."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.pathway import services
from graduated.pathway.models import Concern, Decision, Stage
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Pupil


def _today() -> date:
    return timezone.localdate()


def _check(form: forms.Form, check: Any, *args: Any) -> None:
    """Run a service's rule check and put its messages on the fields they are about."""
    try:
        check(*args)
    except forms.ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error)


class ConcernForm(forms.Form):
    raised_on = GovukDateField(label="Date of the concern", max_date=_today, help_text="For example, 3 11 2026")
    areas = forms.MultipleChoiceField(
        label="Broad areas of need", choices=BroadArea.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one broad area of need."},
    )  # fmt: skip
    what_is_seen = forms.CharField(
        label="What have you seen?", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        help_text="How progress differs from what is expected for the pupil's age and starting point, with examples.",
        error_messages={"required": "Enter what you have seen."},
    )  # fmt: skip
    already_tried = forms.CharField(
        label="What have you already tried in class?", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text="The Quality First Teaching adjustments you have made, and how the pupil responded.",
        error_messages={"required": "Enter what you have already tried in class."},
    )  # fmt: skip
    parents_view = forms.CharField(
        label="What do the parents or carers think? (optional)", widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000, required=False,
    )  # fmt: skip


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=Decision.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )  # fmt: skip
    decided_on = GovukDateField(label="Date of the decision", max_date=_today)
    decision_note = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        error_messages={"required": "Enter the reasons for the decision."},
    )  # fmt: skip
    look_again_on = GovukDateField(
        label="Date to look again", required=False,
        help_text="Needed if you decide to monitor: when you will look at the pupil's progress again.",
    )  # fmt: skip
    parents_notified_on = GovukDateField(
        label="Date parents were told", required=False, max_date=_today,
        help_text="Needed if you decide to start SEN support: parents must be told that special educational "
        "provision is being made for their child.",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, concern: Concern, **kwargs: Any) -> None:
        self.concern = concern
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision, decided_on = cleaned.get("decision"), cleaned.get("decided_on")
        if decision and decided_on and not self.errors:
            _check(
                self,
                services.check_decision,
                self.concern,
                decision,
                decided_on,
                cleaned.get("look_again_on"),
                cleaned.get("parents_notified_on"),
            )
        return cleaned


class StageForm(forms.Form):
    stage_key = forms.ChoiceField(
        label="New stage", widget=forms.RadioSelect, error_messages={"required": "Choose a stage."}
    )
    start_date = GovukDateField(label="Date the new stage starts", help_text="For example, 8 1 2026")
    reason = forms.CharField(label="Reason (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             max_length=1000)  # fmt: skip

    def __init__(self, *args: Any, pupil: Pupil, stages: list[Stage], **kwargs: Any) -> None:
        self.pupil = pupil
        super().__init__(*args, **kwargs)
        field = self.fields["stage_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(stage.key, stage.name) for stage in stages]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("stage_key") and cleaned.get("start_date"):
            _check(self, services.check_stage_change, self.pupil, cleaned["stage_key"], cleaned["start_date"])
        return cleaned


class RemoveFromSENSupportForm(forms.Form):
    on = GovukDateField(label="Date SEN support ends", max_date=_today, help_text="From this date the status is N.")
    reason = forms.CharField(
        label="Why does the pupil no longer need SEN support?", widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000, error_messages={"required": "Enter why the pupil no longer needs SEN support."},
    )  # fmt: skip
