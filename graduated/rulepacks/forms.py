"""Forms for the rule pack and the pathway stages. Each says exactly what to fix."""

from typing import Any

from django import forms

from graduated.lib.forms import GovukDateField
from graduated.pathway.models import Stage
from graduated.rulepacks.models import KINDS_WITH_PARAMETER, WORDS, RuleKind, RulePack, Step

INCOMPLETE = "The form was incomplete: open the draft again and resubmit it"


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE})


def _words_field(name: str) -> forms.CharField:
    label, default = WORDS[name]
    return forms.CharField(
        label=label, max_length=80, help_text=f"For example, {default}",
        error_messages={"required": f"Enter the {label[0].lower()}{label[1:]}",
                        "max_length": f"{label} must be 80 characters or fewer"},
    )  # fmt: skip


class WordsForm(forms.Form):
    response_name = _words_field("response_name")
    person_centred_plan_name = _words_field("person_centred_plan_name")
    sen_support_plan_name = _words_field("sen_support_plan_name")
    one_page_profile_name = _words_field("one_page_profile_name")
    enhanced_step_name = _words_field("enhanced_step_name")
    plan_review_months = forms.IntegerField(
        label="Months between reviews of the person-centred plan", min_value=1, max_value=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        help_text="From 1 to 12. Three reviews a year is every 4 months.",
        error_messages={"required": "Enter the months between reviews, from 1 to 12",
                        "invalid": "Enter the months between reviews as a whole number, like 4",
                        "min_value": "The months between reviews must be 1 or more",
                        "max_value": "The months between reviews must be 12 or fewer"},
    )  # fmt: skip
    under_five_review_months = forms.IntegerField(
        label="Months between reviews of an EHC plan for a child under 5", min_value=1, max_value=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        help_text="From 1 to 12. The law's limit is 12; the SEND Code of Practice advises every 3 to 6 months "
        "for a child under 5.",
        error_messages={"required": "Enter the months between reviews for a child under 5, from 1 to 12",
                        "invalid": "Enter the months between reviews for a child under 5 as a whole number, like 6",
                        "min_value": "The months between reviews for a child under 5 must be 1 or more",
                        "max_value": "The months between reviews for a child under 5 must be 12 or fewer"},
    )  # fmt: skip
    change_note = forms.CharField(
        label="What changed in this version", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Settings see this note in the history of the rules.",
    )  # fmt: skip
    version = _version_field()

    @classmethod
    def for_pack(cls, pack: RulePack, data: Any = None) -> "WordsForm":
        names = [*WORDS, "plan_review_months", "under_five_review_months", "change_note", "version"]
        initial = {name: getattr(pack, name) for name in names}
        return cls(data, initial=initial)

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class RuleForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the rule asks for", choices=RuleKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what the rule asks for", "invalid_choice": "Select what the rule asks for"},
    )  # fmt: skip
    parameter = forms.IntegerField(
        label="At least how many", required=False, min_value=1, max_value=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        help_text="For cycles, meetings, terms and reviewed plans: the number the rule asks for, from 1 to 20.",
        error_messages={"invalid": "Enter the number as a whole number, like 2",
                        "min_value": "The number must be 1 or more", "max_value": "The number must be 20 or fewer"},
    )  # fmt: skip
    step = forms.ChoiceField(
        label="Checked before", choices=Step.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the step the rule is checked before",
                        "invalid_choice": "Select the step the rule is checked before"},
    )  # fmt: skip
    explanation = forms.CharField(
        label="Why the local authority asks for this", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In plain words: settings and families read it beside the rule.",
        error_messages={"required": "Enter why the local authority asks for this"},
    )  # fmt: skip
    source_name = forms.CharField(
        label="Source document", max_length=200, help_text="For example, Northshire Graduated Approach guidance 2025",
        error_messages={"required": "Enter the document the rule comes from",
                        "max_length": "The source document must be 200 characters or fewer"},
    )  # fmt: skip
    source_reference = forms.CharField(
        label="Link or paragraph", max_length=300, required=False, help_text="A web address, or a paragraph number",
        error_messages={"max_length": "The link or paragraph must be 300 characters or fewer"},
    )  # fmt: skip
    version = _version_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needs_number = cleaned.get("kind") in KINDS_WITH_PARAMETER
        if needs_number and not cleaned.get("parameter") and not self.has_error("parameter"):
            self.add_error("parameter", "Enter the number this rule asks for, from 1 to 20")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class VersionForm(forms.Form):
    version = _version_field()


class PublishForm(forms.Form):
    effective_from = GovukDateField(label="In force from", help_text="For example, 1 9 2026")
    change_note = forms.CharField(
        label="What changed in this version", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = _version_field()


class StagesForm(forms.Form):
    """A name and a place in the order for each of the LA's stages."""

    seen = forms.CharField(widget=forms.HiddenInput, error_messages={"required": INCOMPLETE})

    def __init__(self, *args: Any, stages: list[Stage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = stages
        places = [(str(n), str(n)) for n in range(1, len(stages) + 1)]
        for stage in stages:
            default = stage.get_key_display()
            self.fields[f"name_{stage.key}"] = forms.CharField(
                label=f"Name of the stage “{default}”", max_length=120, initial=stage.name,
                error_messages={"required": f"Enter a name for the stage “{default}”",
                                "max_length": "A stage's name must be 120 characters or fewer"},
            )  # fmt: skip
            self.fields[f"order_{stage.key}"] = forms.ChoiceField(
                label=f"Place of “{default}” in the order", choices=places, initial=str(stage.order),
                error_messages={"required": f"Select a place for “{default}”",
                                "invalid_choice": f"Choose a place for “{default}” from the list"},
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        places = [cleaned.get(f"order_{stage.key}") for stage in self.stages]
        if None not in places and len(set(places)) != len(places):
            raise forms.ValidationError("Give each stage a different place in the order")
        return cleaned

    def names(self) -> dict[str, str]:
        return {stage.key: self.cleaned_data[f"name_{stage.key}"] for stage in self.stages}

    def order(self) -> list[str]:
        return [s.key for s in sorted(self.stages, key=lambda s: int(self.cleaned_data[f"order_{s.key}"]))]


class StepForm(forms.Form):
    step = forms.ChoiceField(
        choices=Step.choices, required=False,
        error_messages={"invalid_choice": "Choose one of the steps listed: a request, the enhanced step or a meeting"},
    )  # fmt: skip
