from typing import Any

from django import forms
from django.conf import settings

from graduated.api.models import TokenScope
from graduated.organisations.models import LocalAuthority, Setting

PERSONAL = "me"


def organisation_key(organisation: Setting | LocalAuthority) -> str:
    return f"{'setting' if isinstance(organisation, Setting) else 'la'}:{organisation.pk}"


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="What will use it, so that you know it later, for example: MIS sync."
    )
    acts_for = forms.ChoiceField(label="Who it acts as", widget=forms.RadioSelect, initial=PERSONAL)
    scope = forms.ChoiceField(
        label="What it may do", choices=TokenScope.choices, widget=forms.RadioSelect, initial=TokenScope.READ
    )
    days = forms.IntegerField(
        label="Days until it stops working", min_value=1, initial=90,
        help_text="A token stops working after this many days; make a new one before then.",
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: list[Setting | LocalAuthority], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {organisation_key(o): o for o in organisations}
        field = self.fields["acts_for"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (PERSONAL, "Me: it reaches what my roles reach at each call, and stops working if I leave"),
            *(
                (key, f"{o.name}, as a service (for a system such as the MIS sync): it keeps working if I leave")
                for key, o in self.organisations.items()
            ),
        ]

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        if days > settings.API_TOKEN_MAX_DAYS:
            raise forms.ValidationError(f"A token may last at most {settings.API_TOKEN_MAX_DAYS} days.")
        return days

    def organisation(self) -> Setting | LocalAuthority | None:
        """The setting or LA a service token is for; None for a personal token."""
        return self.organisations.get(self.cleaned_data["acts_for"])
