from typing import Any

from django import forms

from graduated.provision.models import CatalogueItem
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
