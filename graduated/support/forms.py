"""Forms for cycles. Each checks what the person typed and says exactly what to fix."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.organisations.models import Membership, Setting
from graduated.provision.models import CatalogueItem, DeliveryRole, InterventionGroup
from graduated.pupils.codes import BroadArea
from graduated.support.models import (
    Cycle,
    DeliveryStatus,
    EvidenceKind,
    MissedReason,
    NotificationMethod,
    Outcome,
    OutcomeRating,
    ProvisionJudgement,
    ProvisionKind,
    ReviewDecision,
)


def _today() -> date:
    return timezone.localdate()


def _text(label: str, *, required: bool = False, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class VersionedForm(forms.Form):
    """Carries the cycle's version the form was built from, so a stale save is noticed."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class StartCycleForm(forms.Form):
    started_on = GovukDateField(label="Date the cycle starts", max_date=_today, help_text="For example, 8 9 2026")


class AssessmentForm(VersionedForm):
    parents_views = _text("Parents' views", help_text="What the parents think and want, in their words.")
    pupil_views = _text("Pupil's views", help_text="What the pupil says about their learning and support.")
    advice_received = _text("Advice from outside services")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in BroadArea:
            self.fields[f"analysis_{area.value}"] = _text(
                f"Analysis: {area.label}", help_text="Strengths and needs in this area, and what the evidence shows."
            )
        # Broad areas first: the analysis is the heart of Assess.
        self.order_fields([f"analysis_{area.value}" for area in BroadArea])

    @classmethod
    def initial_for(cls, cycle: Cycle) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": cycle.version, "parents_views": cycle.parents_views, "pupil_views": cycle.pupil_views,
            "advice_received": cycle.advice_received,
        }  # fmt: skip
        for area in BroadArea:
            initial[f"analysis_{area.value}"] = cycle.analysis_by_area.get(area.value, "")
        return initial

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        analysis = {area.value: data[f"analysis_{area.value}"].strip() for area in BroadArea}
        return {
            "analysis_by_area": {code: text for code, text in analysis.items() if text},
            "parents_views": data["parents_views"], "pupil_views": data["pupil_views"],
            "advice_received": data["advice_received"],
        }  # fmt: skip


class EvidenceForm(VersionedForm):
    taken_on = GovukDateField(label="Date", max_date=_today)
    kind = forms.ChoiceField(label="Kind of evidence", choices=EvidenceKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="Name", max_length=200, help_text="For example, York Assessment of Reading (YARC)")
    score = forms.DecimalField(label="Score", max_digits=8, decimal_places=2, required=False)
    unit = forms.CharField(label="Unit", max_length=40, required=False, help_text="For example, standard score")
    expected_for_age = forms.CharField(label="Expected for age", max_length=100, required=False)
    note = _text("Note", rows=3)


class OutcomeForm(VersionedForm):
    description = _text("What will be achieved", required=True, rows=3, help_text="Specific, in words parents use.")
    # Measure, baseline and target may be left for later: the plan checks (support/quality.py) say
    # what is missing and why, rather than refusing the save.
    measure = _text("How it will be measured", rows=3)
    baseline = forms.CharField(label="Starting point (baseline)", max_length=200, required=False)
    target = forms.CharField(label="Target", max_length=200, required=False)
    by_when = GovukDateField(label="By when")
    area = forms.ChoiceField(label="Area of need", choices=BroadArea.choices, widget=forms.RadioSelect)


def _staff_label(membership: Membership) -> str:
    return f"{membership.user.full_name} ({membership.get_role_display().lower()})"


class ProvisionForm(VersionedForm):
    catalogue_item = forms.ModelChoiceField(
        label="From the setting's catalogue",
        queryset=CatalogueItem.objects.none(),
        required=False,
        empty_label="Not from the catalogue",
        help_text="Sessions, minutes and group size left blank are taken from the catalogue",
    )
    group = forms.ModelChoiceField(
        label="A place in a group",
        queryset=InterventionGroup.objects.none(),
        required=False,
        empty_label="Not in a group",
        help_text="One of the setting's intervention groups running now",
    )
    kind = forms.ChoiceField(label="Kind of provision", choices=ProvisionKind.choices, widget=forms.RadioSelect)
    description = _text("What will be done", required=True, rows=3)
    delivered_by = forms.ModelChoiceField(
        label="Delivered by", queryset=Membership.objects.none(), required=False, empty_label="Nobody named"
    )
    delivered_by_role = forms.CharField(
        label="Delivered by (role)", max_length=100, required=False, help_text="For example, class teacher"
    )
    location = forms.CharField(label="Where", max_length=100, required=False)
    sessions_per_week = forms.IntegerField(label="Sessions a week", min_value=1, max_value=50, required=False)
    minutes_per_session = forms.IntegerField(label="Minutes a session", min_value=1, max_value=600, required=False)
    group_size = forms.IntegerField(
        label="Group size", min_value=1, max_value=60, required=False, help_text="1 for one to one"
    )
    staff_role = forms.ChoiceField(
        label="Staff role (for costs)",
        choices=[("", "As the catalogue item or group says"), *DeliveryRole.choices],
        required=False,
        help_text="Whose hourly cost prices this provision",
    )
    starts_on = GovukDateField(label="Start date", required=False)
    ends_on = GovukDateField(label="End date", required=False)
    expected_impact = _text("Expected impact", rows=3)

    def __init__(
        self, *args: Any, setting: Setting, cycle: Cycle | None = None, provision: Any = None, **kwargs: Any
    ) -> None:
        """``cycle`` offers its outcomes to link; ``provision`` (when changing one) ticks its own."""
        super().__init__(*args, **kwargs)
        self._link_groups_and_outcomes(setting, cycle, provision)
        field = self.fields["delivered_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(setting=setting).select_related("user").order_by("user__full_name")
        field.label_from_instance = _staff_label  # type: ignore[method-assign,assignment]
        catalogue = self.fields["catalogue_item"]
        assert isinstance(catalogue, forms.ModelChoiceField)
        catalogue.queryset = CatalogueItem.objects.filter(setting=setting, is_active=True).order_by("name")

    def _link_groups_and_outcomes(self, setting: Setting, cycle: Cycle | None, provision: Any) -> None:
        today = _today()
        group = self.fields["group"]
        assert isinstance(group, forms.ModelChoiceField)
        current = self.initial.get("group")
        running = Q(starts_on__lte=today, ends_on__gte=today)
        if current is not None:  # a place in a group that has since ended stays choosable
            running |= Q(pk=getattr(current, "pk", current))
        group.queryset = InterventionGroup.objects.filter(running, setting=setting).order_by("name")
        outcomes = list(cycle.outcomes.all()) if cycle is not None else []
        if outcomes:
            self.fields["outcomes"] = forms.ModelMultipleChoiceField(
                label="Which outcomes does this work towards?",
                queryset=Outcome.objects.filter(cycle=cycle),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields["outcomes"].label_from_instance = _outcome_label  # type: ignore[attr-defined]
            if provision is not None and provision.pk:
                self.initial.setdefault("outcomes", [o.pk for o in provision.outcomes.all()])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date.")
        group = cleaned.get("group")
        if group is not None and cleaned.get("catalogue_item") is None:
            cleaned["catalogue_item"] = group.catalogue_item
        item = cleaned.get("catalogue_item")
        if item is not None and group is None:  # a group's own slots time its places
            for name in ("sessions_per_week", "minutes_per_session", "group_size"):
                if cleaned.get(name) is None:
                    cleaned[name] = getattr(item, name)
        return cleaned

    def changes(self) -> dict[str, Any]:
        data = super().changes()
        membership = data.pop("delivered_by")
        data["delivered_by"] = membership.user if membership else None
        if "outcomes" in data:
            data["outcomes"] = list(data["outcomes"])
        return data


def _outcome_label(outcome: Outcome) -> str:
    return f"Outcome {outcome.position}: {outcome.description[:100]}"


class AgreePlanForm(VersionedForm):
    plan_agreed_on = GovukDateField(label="Date the plan was agreed with the parents", max_date=_today)
    review_date = GovukDateField(label="Review date", help_text="Usually 6 to 12 weeks away.")
    parents_notified_on = GovukDateField(label="Date the parents were told", max_date=_today)
    parents_notified_how = forms.ChoiceField(
        label="How the parents were told", choices=NotificationMethod.choices, widget=forms.RadioSelect
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agreed, review = cleaned.get("plan_agreed_on"), cleaned.get("review_date")
        if agreed and review and review < agreed:
            self.add_error("review_date", "The review date cannot be before the date the plan was agreed.")
        return cleaned


class DeliveryForm(forms.Form):
    on = GovukDateField(label="Date of the session", max_date=_today)
    status = forms.ChoiceField(
        label="Did the session happen?", choices=DeliveryStatus.choices, widget=forms.RadioSelect
    )
    missed_reason = forms.ChoiceField(
        label="If missed, why?", choices=MissedReason.choices, widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(label="Note", max_length=200, required=False, help_text="A few words, if useful.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == DeliveryStatus.MISSED and not cleaned.get("missed_reason"):
            self.add_error("missed_reason", "Select why the session was missed.")
        if cleaned.get("status") == DeliveryStatus.DELIVERED:
            cleaned["missed_reason"] = ""
        return cleaned


class ReviewForm(VersionedForm):
    """The whole review on one form: the meeting, then a rating for each outcome and a judgement
    for each provision. Field names carry the outcome's or provision's id."""

    held_on = GovukDateField(label="Date of the review", max_date=_today)
    early_reason = _text(
        "Why the review is held before the agreed date", rows=2,
        help_text="Only if it is held before the agreed review date: for example a change in the pupil's needs, or "
        "the parents asked for it.",
    )  # fmt: skip
    parents_views_on_progress = _text("Parents' views on progress")
    pupil_views_on_progress = _text("Pupil's views on progress")
    decision = forms.ChoiceField(label="What happens next", choices=ReviewDecision.choices, widget=forms.RadioSelect)
    notes = _text("Notes")

    def __init__(self, *args: Any, outcomes: list[Any], provisions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes, self.provisions = outcomes, provisions
        for outcome in outcomes:
            self.fields[f"outcome_{outcome.pk}_rating"] = forms.ChoiceField(
                label=f"Outcome {outcome.position}: rating", choices=OutcomeRating.choices, widget=forms.RadioSelect,
                error_messages={"required": f"Rate outcome {outcome.position}."},
            )  # fmt: skip
            self.fields[f"outcome_{outcome.pk}_measure_now"] = forms.CharField(
                label=f"Outcome {outcome.position}: where the pupil is now", max_length=200, required=False,
                help_text=f"Baseline was: {outcome.baseline}. Target: {outcome.target}.",
            )  # fmt: skip
            self.fields[f"outcome_{outcome.pk}_evidence"] = _text(f"Outcome {outcome.position}: evidence", rows=2)
        for number, provision in enumerate(provisions, start=1):
            self.fields[f"provision_{provision.pk}_judgement"] = forms.ChoiceField(
                label=f"Provision {number}: continue, adapt or stop?", choices=ProvisionJudgement.choices,
                widget=forms.RadioSelect, error_messages={"required": f"Say whether provision {number} continues."},
            )  # fmt: skip
            self.fields[f"provision_{provision.pk}_note"] = _text(f"Provision {number}: note", rows=2)

    def outcome_groups(self) -> list[tuple[Any, list[Any]]]:
        names = ("rating", "measure_now", "evidence")
        return [(o, [self[f"outcome_{o.pk}_{name}"] for name in names]) for o in self.outcomes]

    def provision_groups(self) -> list[tuple[Any, list[Any]]]:
        return [(p, [self[f"provision_{p.pk}_judgement"], self[f"provision_{p.pk}_note"]]) for p in self.provisions]

    def meeting_fields(self) -> list[Any]:
        return [
            self[name] for name in ("held_on", "early_reason", "parents_views_on_progress", "pupil_views_on_progress")
        ]

    def review_values(self) -> dict[str, Any]:
        names = ("held_on", "early_reason", "parents_views_on_progress", "pupil_views_on_progress", "decision", "notes")
        return {name: self.cleaned_data[name] for name in names}

    def outcome_values(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            o.pk: {name: data[f"outcome_{o.pk}_{name}"] for name in ("rating", "measure_now", "evidence")}
            for o in self.outcomes
        }

    def provision_values(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            p.pk: {"judgement": data[f"provision_{p.pk}_judgement"], "note": data[f"provision_{p.pk}_note"]}
            for p in self.provisions
        }
