"""Forms for the LA's guidance. Each says exactly what to fix."""

from typing import Any

from django import forms
from django.utils.text import slugify

from graduated.guidance.models import (
    MAX_BODY_CHARACTERS,
    RESERVED_PAGE_SLUGS,
    RESERVED_SITE_SLUGS,
    Audience,
    Topic,
)
from graduated.lib.forms import GovukDateField

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"
BODY_HELP = (
    "Write “## ” at the start of a line for a heading (“### ” for a smaller one), “- ” for a bulleted list and "
    "“1. ” for a numbered one, and leave a blank line between paragraphs. **Bold**, *italic* and "
    "[links](https://www.example.org) work too."
)
SLUG_MESSAGE = "Use only lower-case letters, numbers and hyphens in the web address, like send-support"


def _version_field() -> forms.IntegerField:
    messages = {"required": INCOMPLETE, "invalid": INCOMPLETE, "min_value": INCOMPLETE}
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages=messages)


def _title_field() -> forms.CharField:
    return forms.CharField(label="Title", max_length=150,
                           error_messages={"required": "Enter the page's title",
                                           "max_length": "The title must be 150 characters or fewer"})  # fmt: skip


def _body_field() -> forms.CharField:
    return forms.CharField(
        label="Text of the page", required=False, max_length=MAX_BODY_CHARACTERS, strip=False, help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 20}),
        error_messages={"max_length": f"The text must be {MAX_BODY_CHARACTERS:,} characters or fewer "
                        "(it has %(show_value)s): split it into two pages"},
    )  # fmt: skip


def _slug(value: str, reserved: frozenset[str], what: str) -> str:
    slug = value.strip().lower()
    if slug != slugify(slug) or not slug:
        raise forms.ValidationError(SLUG_MESSAGE)
    if slug in reserved:
        raise forms.ValidationError(f"The web address “{slug}” is kept for {what}: choose another")
    return slug


class SiteForm(forms.Form):
    slug = forms.CharField(
        label="Web address", max_length=60,
        help_text="Your guidance is read at /guidance/ and this, for example northshire",
        error_messages={"required": "Enter the web address",
                        "max_length": "The web address must be 60 characters or fewer"},
    )  # fmt: skip
    title = forms.CharField(
        label="Title of the public pages", max_length=120, help_text="For example, Northshire SEND guidance",
        error_messages={"required": "Enter the title", "max_length": "The title must be 120 characters or fewer"},
    )  # fmt: skip
    intro = forms.CharField(
        label="Introduction", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown at the top of the index, in plain words.",
        error_messages={"max_length": "The introduction must be 2,000 characters or fewer"},
    )  # fmt: skip
    version = _version_field()

    def clean_slug(self) -> str:
        return _slug(self.cleaned_data["slug"], RESERVED_SITE_SLUGS, "the service's own pages")


class NewPageForm(forms.Form):
    topic = forms.ChoiceField(
        label="What the page is about", choices=Topic.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what the page is about", "invalid_choice": "Select what the page is about"},
    )  # fmt: skip
    audience = forms.ChoiceField(
        label="Who the page is for", choices=Audience.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select who the page is for", "invalid_choice": "Select who the page is for"},
    )  # fmt: skip
    title = _title_field()
    slug = forms.CharField(
        label="Web address of the page", required=False, max_length=80,
        help_text="Lower-case letters, numbers and hyphens. Leave it empty to make one from the title.",
        error_messages={"max_length": "The web address must be 80 characters or fewer"},
    )  # fmt: skip
    body = _body_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.has_error("slug") or "title" not in cleaned:
            return cleaned
        typed = cleaned.get("slug", "")
        try:
            cleaned["slug"] = _slug(typed or slugify(cleaned["title"])[:80].strip("-"), RESERVED_PAGE_SLUGS, "search")
        except forms.ValidationError as error:
            self.add_error(
                "slug", error if typed else "Enter a web address: the title has no letters or numbers to make one"
            )
        return cleaned


class DraftForm(forms.Form):
    title = _title_field()
    body = _body_field()
    change_note = forms.CharField(
        label="What changed in this version", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the history of the page.",
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )  # fmt: skip
    version = _version_field()


class VersionForm(forms.Form):
    version = _version_field()


class PublishForm(forms.Form):
    effective_from = GovukDateField(label="In force from", help_text="For example, 1 9 2026")
    change_note = forms.CharField(
        label="What changed in this version", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )  # fmt: skip
    version = _version_field()


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the guidance", required=False, max_length=200,
        error_messages={"max_length": "Search for 200 characters or fewer"},
    )  # fmt: skip
