"""The dashboard's filters: a phase and an area, each optional. Anything else is refused with a
message (a 400), never guessed at."""

from collections.abc import Sequence
from typing import Any

from django import forms

from graduated.organisations.models import Phase
from graduated.oversight.selectors import Filters


class FilterForm(forms.Form):
    phase = forms.ChoiceField(
        label="Phase", required=False, choices=[("", "All phases"), *Phase.choices],
        error_messages={"invalid_choice": "Choose a phase from the list"},
    )  # fmt: skip
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Choose an area from the list"}
    )

    def __init__(self, data: Any, areas: Sequence[str]) -> None:
        super().__init__(data)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", "All areas"), *((name, name) for name in areas)]
        self.areas = list(areas)

    def filters(self) -> Filters:
        """The filters chosen; none when the form is not bound. Call after ``is_valid``."""
        if not self.is_bound:
            return Filters()
        return Filters(phase=self.cleaned_data["phase"], area=self.cleaned_data["area"])
