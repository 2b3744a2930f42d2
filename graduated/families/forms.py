from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from graduated.documents.content_types import sniff
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


class ViewsForm(forms.Form):
    """A family's views before a review: short, plain, on a phone. Every answer is optional."""

    going_well = forms.CharField(label=_("What is going well?"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    hard = forms.CharField(label=_("What is hard?"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    would_help = forms.CharField(label=_("What would help?"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    child_feeling = forms.ChoiceField(
        label=_("How do you feel about school?"), required=False, widget=forms.RadioSelect,
        choices=[("happy", _("😀 Happy")), ("ok", _("😐 OK")), ("unhappy", _("🙁 Not happy"))],
    )  # fmt: skip
    child_going_well = forms.CharField(label=_("What is good?"), required=False, max_length=1000,
                                       widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    child_hard = forms.CharField(label=_("What is hard?"), required=False, max_length=1000,
                                 widget=forms.Textarea(attrs={"rows": 2}), )  # fmt: skip
    child_would_help = forms.CharField(label=_("What would help you?"), required=False, max_length=1000,
                                       widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, outcomes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        for outcome in outcomes:
            self.fields[f"outcome_{outcome.pk}"] = forms.ChoiceField(
                label=outcome.description, required=False, widget=forms.RadioSelect,
                choices=[("good", _("Going well")), ("some", _("A bit better")), ("not_yet", _("Not better yet"))],
            )  # fmt: skip

    def outcome_fields(self) -> list[Any]:
        return [self[f"outcome_{outcome.pk}"] for outcome in self.outcomes]

    def child_fields(self) -> list[Any]:
        return [self[name] for name in ("child_feeling", "child_going_well", "child_hard", "child_would_help")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(value for value in cleaned.values()):
            raise forms.ValidationError(_("Write or choose at least one answer"))
        return cleaned

    def answers(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        feelings = {str(o.pk): data.pop(f"outcome_{o.pk}") for o in self.outcomes if data.get(f"outcome_{o.pk}")}
        for outcome in self.outcomes:
            data.pop(f"outcome_{outcome.pk}", None)
        return {**data, "outcome_feelings": feelings}


class PlanResponseForm(forms.Form):
    agrees = forms.ChoiceField(
        label=_("Do you agree with these aims?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, I agree")), ("no", _("No, not with all of them"))],
        error_messages={"required": _("Choose whether you agree")},
    )  # fmt: skip
    comment = forms.CharField(label=_("What do you not agree with, or would you change?"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("agrees") == "no" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Say what you do not agree with, so that the school can talk to you about it"))
        return cleaned


class ConsentForm(forms.Form):
    """Yes or no to one thing the school asks; prefixed with the question's id, several to a page."""

    given = forms.ChoiceField(
        label=_("Do you agree?"), widget=forms.RadioSelect,
        choices=[("yes", _("Yes, I agree")), ("no", _("No, I do not agree"))],
        error_messages={"required": _("Choose yes or no")},
    )  # fmt: skip
    share = forms.BooleanField(
        label=_("The council may share this with the people it asks for advice (such as a doctor or a teacher)"),
        required=False,
    )
    note = forms.CharField(label=_("Anything you want the school to know"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


PHOTO_TYPES = ("PNG image", "JPEG image")


class EvidenceForm(forms.Form):
    """A photo or a short note, to show the school how one of the aims is going."""

    outcome = forms.TypedChoiceField(label=_("Which aim is it about?"), coerce=int, empty_value=None, required=False,
                                     widget=forms.RadioSelect)  # fmt: skip
    photo = forms.FileField(label=_("A photo"), required=False, help_text=_("A JPEG or PNG photo, up to 10 MB."))
    note = forms.CharField(label=_("A short note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, outcomes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            *((outcome.pk, outcome.description) for outcome in outcomes), ("", _("Not about one aim")),
        ]  # fmt: skip
        self.file_type: Any = None

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo is None:
            return None
        if photo.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The photo must be smaller than 10 MB"))
        self.file_type = sniff(photo)
        if self.file_type is None or self.file_type.label not in PHOTO_TYPES:
            raise forms.ValidationError(_("The photo must be a JPEG or PNG file"))
        return photo

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and cleaned.get("photo") is None and not cleaned.get("note", "").strip():
            raise forms.ValidationError(_("Add a photo or write a note"))
        return cleaned


SMILEYS = [("happy", _("😀 Happy")), ("ok", _("😐 OK")), ("unhappy", _("🙁 Not happy"))]


class ChildForm(forms.Form):
    """The pupil's own form: smiley faces and three short questions, every answer optional."""

    feeling = forms.ChoiceField(label=_("How do you feel about school?"), required=False, widget=forms.RadioSelect,
                                choices=SMILEYS)  # fmt: skip
    going_well = forms.CharField(label=_("What is good?"), required=False, max_length=1000,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    hard = forms.CharField(label=_("What is hard?"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    would_help = forms.CharField(label=_("What would help you?"), required=False, max_length=1000,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, outcomes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        for outcome in outcomes:
            self.fields[f"outcome_{outcome.pk}"] = forms.ChoiceField(
                label=outcome.description, required=False, widget=forms.RadioSelect, choices=SMILEYS
            )

    def outcome_fields(self) -> list[Any]:
        return [self[f"outcome_{outcome.pk}"] for outcome in self.outcomes]

    def text_fields(self) -> list[Any]:
        return [self["going_well"], self["hard"], self["would_help"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(value for value in cleaned.values()):
            raise forms.ValidationError(_("Choose a face or write something"))
        return cleaned

    def answers(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name, "") for name in ("feeling", "going_well", "hard", "would_help")}
        feelings = {str(o.pk): self.cleaned_data[f"outcome_{o.pk}"] for o in self.outcomes
                    if self.cleaned_data.get(f"outcome_{o.pk}")}  # fmt: skip
        return {**data, "outcome_feelings": feelings}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your message"),
                        "max_length": _("Your message must be 2,000 characters or fewer")},
    )  # fmt: skip
    wants_meeting = forms.BooleanField(label=_("I would like a meeting"), required=False)
