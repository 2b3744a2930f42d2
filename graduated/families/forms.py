from typing import Any

from django import forms

from graduated.pupils.models import Contact, Pupil

YOUNG_PERSON = "young_person"


class InviteForm(forms.Form):
    """Who to give access: a contact with parental responsibility, or (16 and over) the pupil."""

    who = forms.ChoiceField(label="Who to invite", widget=forms.RadioSelect,
                            error_messages={"required": "Choose who to invite"})  # fmt: skip
    email = forms.EmailField(
        label="Their e-mail address (only for the young person)", required=False, max_length=254,
        help_text="A parent's or carer's is taken from their contact details.",
    )  # fmt: skip

    def __init__(self, *args: Any, pupil: Pupil, contacts: list[Contact], young_person: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.contacts = {str(contact.pk): contact for contact in contacts}
        choices = [
            (str(contact.pk), f"{contact.first_name} {contact.last_name}"
             + (f" ({contact.relationship})" if contact.relationship else "") + f", {contact.email}")
            for contact in contacts
        ]  # fmt: skip
        if young_person:
            choices.append((YOUNG_PERSON, f"{pupil.display_name} (aged 16 or over), for their own record"))
        else:
            del self.fields["email"]
        field = self.fields["who"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("who") == YOUNG_PERSON and not cleaned.get("email"):
            self.add_error("email", "Enter the young person's e-mail address")
        return cleaned

    def contact(self) -> Contact | None:
        return self.contacts.get(self.cleaned_data["who"])
