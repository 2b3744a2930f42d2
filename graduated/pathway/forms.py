"""Forms for concerns, decisions and stages. Each checks what the person typed and says what to fix."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.pathway import services
from graduated.pathway.models import Concern, Decision, Stage
from graduated.pupils.codes import BroadArea, SENType, types_in_area
from graduated.pupils.models import Need, Pupil


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
        label="What do the parents or carers think?", widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000, required=False,
    )  # fmt: skip


# The type offered first in each broad area: the most common on SEN support nationally (DfE, SEN in
# England). A sensible start that the SENCO changes or unticks; it is never saved unseen.
LIKELY_TYPE_IN_AREA = {
    BroadArea.COMMUNICATION_INTERACTION: SENType.SLCN,
    BroadArea.COGNITION_LEARNING: SENType.MLD,
    BroadArea.SEMH: SENType.SEMH,
    BroadArea.SENSORY_PHYSICAL: SENType.PD,
}
RANK_CHOICES = [("1", "Primary need (rank 1)"), ("2", "Secondary need (rank 2)")]


class NeedChoice:
    """One broad area of the concern on the decision form: the type of need and its rank."""

    def __init__(self, form: forms.Form, area: str) -> None:
        self.area = BroadArea(area)
        self.sen_type = form[f"need_{area}"]
        self.rank = form[f"rank_{area}"]


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
        self.current_needs: list[Need] = list(concern.pupil.needs.current())
        if self.current_needs:
            self.fields["replace_needs"] = forms.BooleanField(
                label="Replace the needs recorded with the ones below", required=False,
                help_text="Leave this unticked to keep the needs already recorded.",
            )  # fmt: skip
        # Unbound, each area offers its likely type; the first two areas are ranked 1 and 2.
        for position, area in enumerate(concern.areas):
            label = BroadArea(area).label
            likely = LIKELY_TYPE_IN_AREA.get(BroadArea(area)) if position < len(services.NEED_RANKS) else None
            types = [(code, SENType(code).label) for code in types_in_area(area)]
            self.fields[f"need_{area}"] = forms.ChoiceField(
                label=f"Type of need: {label.lower()}", required=False, widget=forms.RadioSelect,
                choices=[*types, ("", "Do not record a need in this area")],
                initial="" if self.current_needs or likely is None else likely,
                error_messages={"invalid_choice": f"Choose a type of need in {label.lower()}, or do not record one."},
            )  # fmt: skip
            self.fields[f"rank_{area}"] = forms.ChoiceField(
                label=f"Rank of the need in {label.lower()}", required=False,
                choices=[("", "Not ranked"), *RANK_CHOICES],
                initial=str(position + 1) if position < len(services.NEED_RANKS) else "",
                error_messages={"invalid_choice": "Choose primary (rank 1) or secondary (rank 2)."},
            )  # fmt: skip
        self.need_choices = [NeedChoice(self, area) for area in concern.areas]

    @property
    def keeps_current_needs(self) -> bool:
        """Needs already recorded stay, and the choices below are not saved."""
        return bool(self.current_needs) and not (self.is_bound and self.cleaned_data.get("replace_needs"))

    def chosen_needs(self) -> list[tuple[str, int]]:
        """(census type, rank) for each area given a type; after ``is_valid``."""
        needs = []
        for area in self.concern.areas:
            sen_type, rank = self.cleaned_data.get(f"need_{area}"), self.cleaned_data.get(f"rank_{area}")
            if sen_type and rank:
                needs.append((sen_type, int(rank)))
        return needs

    def _clean_needs(self, cleaned: dict[str, Any]) -> None:
        for area in self.concern.areas:
            if cleaned.get(f"need_{area}") and not cleaned.get(f"rank_{area}"):
                self.add_error(f"rank_{area}", f"Choose whether the need in {BroadArea(area).label.lower()} is "
                                               "primary or secondary, or do not record it.")  # fmt: skip
        if not self.errors and not self.keeps_current_needs:
            try:
                services.check_needs(self.concern, self.chosen_needs())
            except forms.ValidationError as error:
                field = f"need_{self.concern.areas[0]}" if self.concern.areas else None
                self.add_error(field, error.message_dict["needs"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision, decided_on = cleaned.get("decision"), cleaned.get("decided_on")
        if decision == Decision.START_SEN_SUPPORT:
            self._clean_needs(cleaned)
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
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False,
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
