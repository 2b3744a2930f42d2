from typing import Any

from django import forms

from graduated.family_notices.models import Frequency


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often should we e-mail you?", widget=forms.RadioSelect, choices=Frequency.choices,
        error_messages={
            "required": "Choose how often we should e-mail you",
            "invalid_choice": "Choose one of the answers: each time, once a week, or no e-mails",
        },
    )  # fmt: skip
    short = forms.BooleanField(
        label="Send short e-mails. They only say there is news, and you sign in to read it", required=False,
        help_text="Good if other people can see your e-mails. A short e-mail does not say what changed.",
    )  # fmt: skip
    # The child page the person came from, to go back to: only a child their links reach.
    child = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That child is not one you can see, so nothing was changed"},
    )  # fmt: skip

    def __init__(self, *args: Any, children: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", ""), *((str(pk), str(pk)) for pk in children)]
