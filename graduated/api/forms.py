from django import forms
from django.conf import settings

from graduated.api.models import TokenScope


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="What will use it, so that you know it later, for example: MIS sync."
    )
    scope = forms.ChoiceField(
        label="What it may do", choices=TokenScope.choices, widget=forms.RadioSelect, initial=TokenScope.READ
    )
    days = forms.IntegerField(
        label="Days until it stops working", min_value=1, initial=90,
        help_text="A token stops working after this many days; make a new one before then.",
    )  # fmt: skip

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        if days > settings.API_TOKEN_MAX_DAYS:
            raise forms.ValidationError(f"A token may last at most {settings.API_TOKEN_MAX_DAYS} days.")
        return days
