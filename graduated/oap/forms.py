"""Forms for the OAP, the strategies offered on a concern, and the self-review. Each says exactly
what to fix."""

from typing import Any

from django import forms

from graduated.lib.forms import GovukDateField
from graduated.oap.models import Expectation, Level, Rating, Strategy
from graduated.pupils.codes import BroadArea

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"
NOTE_LIMIT = 2000


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=0,
        error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE, "min_value": INCOMPLETE},
    )  # fmt: skip


def _text(label: str, max_length: int, required_message: str = "", **kwargs: Any) -> forms.CharField:
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=bool(required_message), error_messages=messages, **kwargs
    )


class VersionedForm(forms.Form):
    version = _version_field()

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ExpectationForm(VersionedForm):
    theme = _text(
        "Theme", 120, "Enter the theme this expectation is grouped under",
        help_text="For example, Knowing the pupils; Working with families",
    )  # fmt: skip
    title = _text(
        "Expectation", 200, "Enter the expectation",
        help_text="Short, as settings will read it: “Staff know which pupils are on the SEN register and their needs”",
    )  # fmt: skip
    description = _text("What it looks like in practice", 2000, widget=forms.Textarea(attrs={"rows": 4}))


class StrategyForm(VersionedForm):
    area = forms.ChoiceField(
        label="Broad area of need", choices=BroadArea.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the broad area of need",
                        "invalid_choice": "Select one of the four broad areas of need"},
    )  # fmt: skip
    level = forms.ChoiceField(
        label="Level", choices=Level.choices, widget=forms.RadioSelect,
        help_text="Quality First Teaching is for every pupil; SEN support is additional to or different from it.",
        error_messages={"required": "Select the level",
                        "invalid_choice": "Select Quality First Teaching or SEN support"},
    )  # fmt: skip
    title = _text("Strategy", 120, "Enter the strategy's short title", help_text="For example, Visual timetable")
    description = _text(
        "What staff do", 1000, "Enter what staff do", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One or two sentences. It becomes the provision's description when added to a plan.",
    )  # fmt: skip


ITEM_FORMS: dict[str, type[VersionedForm]] = {"expectations": ExpectationForm, "strategies": StrategyForm}


class PublishForm(VersionedForm):
    effective_from = GovukDateField(label="In force from", help_text="For example, 1 9 2026")
    change_note = _text("What changed in this version", 2000, widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    """The filters of the reading pages (GET): unknown values are a message, not a 500."""

    area = forms.MultipleChoiceField(
        label="Broad area of need", choices=BroadArea.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose broad areas of need from the list"},
    )  # fmt: skip
    level = forms.MultipleChoiceField(
        label="Level", choices=Level.choices, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose levels from the list"},
    )  # fmt: skip


class StrategyChoiceForm(forms.Form):
    """The strategies offered on a concern, ticked as already tried (``oap_strategy``)."""

    oap_strategy = forms.MultipleChoiceField(
        label="Strategies from the ordinarily available provision you have tried", required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose strategies from those listed for the areas of need you selected"},
    )  # fmt: skip

    def __init__(self, *args: Any, strategies: list[Strategy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategies = strategies
        field = self.fields["oap_strategy"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(s.pk), s.title) for s in strategies]

    def chosen(self) -> list[Strategy]:
        ids = set(self.cleaned_data.get("oap_strategy") or [])
        return [s for s in self.strategies if str(s.pk) in ids]

    def is_ticked(self, strategy: Strategy) -> bool:
        return str(strategy.pk) in (self.data.getlist("oap_strategy") if hasattr(self.data, "getlist") else [])


class AddToPlanForm(forms.Form):
    strategy = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )
    version = _version_field()


class SelfReviewForm(forms.Form):
    """A rating and a note for each expectation; ``complete`` says which button was pressed."""

    version = _version_field()
    action = forms.ChoiceField(
        choices=[("save", "Save as a draft"), ("complete", "Mark complete")], required=False,
        error_messages={"invalid_choice": INCOMPLETE},
    )  # fmt: skip

    def __init__(self, *args: Any, expectations: list[Expectation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expectations = expectations
        for expectation in expectations:
            self.fields[f"rating_{expectation.pk}"] = forms.ChoiceField(
                label=expectation.title, choices=Rating.choices, required=False, widget=forms.RadioSelect,
                help_text=expectation.description,
                error_messages={"invalid_choice": f"Choose met, partly met or not yet for “{expectation.title}”"},
            )  # fmt: skip
            self.fields[f"note_{expectation.pk}"] = forms.CharField(
                label=f"Note on “{expectation.title}”", required=False, max_length=NOTE_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"The note on “{expectation.title}” must be {NOTE_LIMIT} characters "
                                              "or fewer"},
            )  # fmt: skip

    @property
    def complete(self) -> bool:
        return self.cleaned_data.get("action") == "complete"

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            e.pk: (self.cleaned_data.get(f"rating_{e.pk}") or "", (self.cleaned_data.get(f"note_{e.pk}") or "").strip())
            for e in self.expectations
        }

    def rows(self) -> list[tuple[Expectation, forms.BoundField, forms.BoundField]]:
        return [(e, self[f"rating_{e.pk}"], self[f"note_{e.pk}"]) for e in self.expectations]


class ResultsFilterForm(forms.Form):
    phase = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a phase from the list"})
    year = forms.IntegerField(
        required=False, min_value=2000, max_value=2100,
        error_messages={"invalid": "Enter the academic year as the year it starts, like 2026",
                        "min_value": "Enter a year from 2000", "max_value": "Enter a year up to 2100"},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from graduated.organisations.models import Phase

        super().__init__(*args, **kwargs)
        field = self.fields["phase"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All phases"), *Phase.choices]
