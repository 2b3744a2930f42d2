from typing import Any

from django import forms

from graduated.provision.models import CatalogueItem, Tier
from graduated.pupils.codes import BroadArea


class CatalogueItemForm(forms.ModelForm[CatalogueItem]):
    areas = forms.MultipleChoiceField(
        label="Broad areas of need",
        choices=BroadArea.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one broad area of need"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CatalogueItem
        fields = [
            "name", "description", "areas", "tier", "delivered_by_role", "group_size", "sessions_per_week",
            "minutes_per_session", "typical_weeks", "resources_cost", "evidence_strength", "evidence_note",
            "evidence_link", "measure_name", "measure_unit", "measure_kind", "higher_is_better", "is_active",
        ]  # fmt: skip
        widgets = {
            "tier": forms.RadioSelect,
            "evidence_strength": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "group_size": "1 for one to one",
            "resources_cost": "Books, licences or materials for one run, in pounds",
            "measure_name": "For example, Sandwell Early Numeracy Test",
            "higher_is_better": "Untick if a lower score means progress (for example, errors made)",
        }

    def __init__(self, *args: Any, tier_names: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tier = self.fields["tier"]
        if tier_names and isinstance(tier, forms.ChoiceField):  # the LA's words for the tiers
            tier.choices = [(code.value, tier_names[code.value]) for code in Tier]
        self.fields["measure_kind"].required = False
        for name in ("group_size", "sessions_per_week", "minutes_per_session", "typical_weeks"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "govuk-input--width-3"})

    def clean_areas(self) -> list[str]:
        chosen = set(self.cleaned_data["areas"])
        return [area.value for area in BroadArea if area.value in chosen]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("measure_name") and not cleaned.get("measure_kind"):
            self.add_error("measure_kind", "Select what kind of score the measure gives")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TierNamesForm(forms.Form):
    """An LA's words for the three tiers. ``seen`` holds the names as the form was opened, so that
    two admins saving at once do not silently overwrite each other."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tier in Tier:
            self.fields[tier.value] = forms.CharField(
                label=f"Name for the {tier.label.lower()} tier", max_length=60, initial=current[tier.value],
                help_text=f"Leave as {tier.label} to use the usual word.",
                error_messages={"required": f"Enter a name for the {tier.label.lower()} tier"},
            )  # fmt: skip
        self.fields["seen"].initial = seen_token(current)

    def names(self) -> dict[str, str]:
        return {tier.value: self.cleaned_data[tier.value].strip() for tier in Tier}


def seen_token(names: dict[str, str]) -> str:
    return "|".join(names[tier.value] for tier in Tier)
