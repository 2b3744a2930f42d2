"""The one-page profile form: the three sections, who contributed, and the date it was written."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.profiles.models import SECTION_LABELS, ProfileContent, ProfileVersion
from graduated.pupils.models import Pupil

SECTION_MAX = 3000  # a profile fits on one page


def _today() -> date:
    return timezone.localdate()


def _section(name: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=SECTION_LABELS[name],
        help_text=hint,
        max_length=SECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class _ContributorsField(forms.MultipleChoiceField):
    """Ticks for the pupil and parents. Required with the named contributors below, not alone: the
    form checks that someone contributed, and the label should not say "(optional)"."""

    def validate(self, value: Any) -> None:
        if value:
            super().validate(value)


class ProfileForm(forms.Form):
    liked_and_admired = _section("liked_and_admired", "")  # hints name the pupil: see __init__
    important_to_me = _section("important_to_me", "")
    how_to_support = _section("how_to_support", "")
    contributed = _ContributorsField(
        label="Who contributed",
        choices=[("pupil", "The pupil"), ("parents", "Parents or carers")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, and name below the staff and anyone else who contributed.",
    )
    staff_contributors = forms.CharField(
        label="Staff who contributed",
        max_length=500,
        required=False,
        help_text="Names and roles, for example Mrs Patel (class teacher), Mr Jones (teaching assistant).",
    )
    other_contributors = forms.CharField(
        label="Anyone else who contributed",
        max_length=500,
        required=False,
        help_text="For example, a speech and language therapist or a grandparent.",
    )
    written_on = GovukDateField(label="Date written", max_date=_today)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            message: "This form is out of date. Open the one-page profile again and make your changes there"
            for message in ("required", "invalid", "min_value")
        },
    )

    def __init__(self, *args: Any, pupil: Pupil, current: ProfileVersion | None, **kwargs: Any) -> None:
        self.pupil = pupil
        self.current = current
        super().__init__(*args, **kwargs)
        name = pupil.first_name
        self.fields[
            "liked_and_admired"
        ].help_text = f"Write in {name}’s own words where you can, for example ‘People say I am kind and funny’."
        self.fields[
            "important_to_me"
        ].help_text = f"What matters to {name}: people, pets, interests, routines, for example ‘My dog, Biscuit’."
        self.fields[
            "how_to_support"
        ].help_text = f"What helps {name} learn and feel safe, for example ‘Give me a job to do when I am anxious’."
        contributed = self.fields["contributed"]
        assert isinstance(contributed, _ContributorsField)
        contributed.choices = [("pupil", f"{name} (the pupil)"), ("parents", "Parents or carers")]
        self.fields[
            "written_on"
        ].help_text = f"The day the profile was written or reviewed with {name}, for example 27 3 2026"
        self.fields["liked_and_admired"].error_messages["required"] = "Enter what people like and admire about " + name
        self.fields["important_to_me"].error_messages["required"] = f"Enter what is important to {name}"
        self.fields["how_to_support"].error_messages["required"] = f"Enter how best to support {name}"

    def _text(self, name: str) -> str:
        # Browsers send line breaks as CRLF; store LF, so that an unchanged save compares equal.
        return str(self.cleaned_data.get(name, "")).replace("\r\n", "\n").replace("\r", "\n")

    def clean_liked_and_admired(self) -> str:
        return self._text("liked_and_admired")

    def clean_important_to_me(self) -> str:
        return self._text("important_to_me")

    def clean_how_to_support(self) -> str:
        return self._text("how_to_support")

    def clean_written_on(self) -> date:
        written_on: date = self.cleaned_data["written_on"]
        if self.current is not None and written_on < self.current.written_on:
            raise forms.ValidationError(
                f"Date written must be the same as or after {self.current.written_on:%-d %B %Y}, "
                "when the current version was written"
            )
        if written_on < self.pupil.date_of_birth:
            raise forms.ValidationError(f"Date written must be after {self.pupil.first_name}’s date of birth")
        return written_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("staff_contributors") or cleaned.get("other_contributors")
        if not cleaned.get("contributed") and not named and "contributed" not in self.errors:
            self.add_error("contributed", "Say who contributed: tick the pupil or parents, or name the staff")
        return cleaned

    @property
    def content(self) -> ProfileContent:
        data = self.cleaned_data
        return ProfileContent(
            liked_and_admired=data["liked_and_admired"],
            important_to_me=data["important_to_me"],
            how_to_support=data["how_to_support"],
            pupil_contributed="pupil" in data["contributed"],
            parents_contributed="parents" in data["contributed"],
            staff_contributors=data["staff_contributors"],
            other_contributors=data["other_contributors"],
        )

    @staticmethod
    def initial_from(version: ProfileVersion | None, version_number: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"written_on": _today(), "version": version_number}
        if version is not None:
            initial.update(
                liked_and_admired=version.liked_and_admired,
                important_to_me=version.important_to_me,
                how_to_support=version.how_to_support,
                staff_contributors=version.staff_contributors,
                other_contributors=version.other_contributors,
                contributed=[
                    key
                    for key, ticked in (("pupil", version.pupil_contributed), ("parents", version.parents_contributed))
                    if ticked
                ],
            )
        return initial
