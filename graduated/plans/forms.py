"""Forms for plan types and tiers of support, and a cycle's choice of them."""

from typing import Any

from django import forms

from graduated.plans.models import DESCRIPTION_LENGTH, NAME_LENGTH, PlanType, SupportTier

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE})


def _number(label: str, *, low: int, high: int, required: bool, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=low, max_value=high, required=required, help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={"required": f"Enter the {label.lower()}",
                        "invalid": f"Enter the {label.lower()} as a whole number",
                        "min_value": f"The {label.lower()} must be {low} or more",
                        "max_value": f"The {label.lower()} must be {high} or fewer"},
    )  # fmt: skip


class TierForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=NAME_LENGTH,
        error_messages={"required": "Enter a name",
                        "max_length": f"The name must be {NAME_LENGTH} characters or fewer"},
    )  # fmt: skip
    description = forms.CharField(
        label="Short description", max_length=DESCRIPTION_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The description must be {DESCRIPTION_LENGTH} characters or fewer"},
    )  # fmt: skip
    position = _number("Position in lists", low=1, high=999, required=True, help_text="Lower numbers come first")
    retired = forms.BooleanField(
        label="Retired: no longer offered to settings (cycles that use it keep it)", required=False
    )
    version = _version_field()

    def details(self) -> dict[str, Any]:
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        data["name"] = data["name"].strip()
        return data

    @classmethod
    def initial_for(cls, choice: PlanType | SupportTier | None) -> dict[str, Any]:
        if choice is None:
            return {"position": 100, "version": 0}
        return {name: getattr(choice, name) for name in cls.base_fields if name != "version"} | {
            "version": choice.version
        }


class PlanTypeForm(TierForm):
    reviews_per_year = _number(
        "Reviews a year", low=1, high=12, required=False,
        help_text="For example, 3 for a plan reviewed each term, 1 for a yearly plan. Leave empty for no set interval.",
    )  # fmt: skip
    person_centred = forms.BooleanField(
        label="Person-centred: agreed at a meeting with the family and the pupil", required=False
    )
    field_order = ["name", "description", "reviews_per_year", "person_centred", "position", "retired"]


class CyclePlanForm(forms.Form):
    plan_type = forms.ModelChoiceField(
        label="Plan type", queryset=PlanType.objects.none(), widget=forms.RadioSelect, empty_label=None,
        error_messages={"required": "Choose the plan type", "invalid_choice": "Choose one of the plan types shown"},
    )  # fmt: skip
    tier = forms.ModelChoiceField(
        label="Tier of support", queryset=SupportTier.objects.none(), widget=forms.RadioSelect, required=False,
        empty_label=None, error_messages={"invalid_choice": "Choose one of the tiers shown"},
    )  # fmt: skip
    version = _version_field()

    def __init__(self, *args: Any, plan_types: list[PlanType], tiers: list[SupportTier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("plan_type", plan_types), ("tier", tiers)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = (
                type(choices[0]).objects.filter(pk__in=[c.pk for c in choices]) if choices else field.queryset
            )
            field.label_from_instance = _label  # type: ignore[method-assign,assignment]


def _label(choice: PlanType | SupportTier) -> str:
    text = choice.name
    if isinstance(choice, PlanType) and choice.reviews_per_year:
        text += f" ({choice.review_interval.lower()})"
    return text + (" (retired)" if choice.retired else "")
