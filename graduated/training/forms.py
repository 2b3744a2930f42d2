"""Forms for the training offer, the training record and awareness of a pupil's needs. Each says
exactly what to fix."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.organisations.models import Membership
from graduated.pupils.codes import BroadArea
from graduated.training.models import Audience, Course, CourseFormat, TrainingRecord, WhatRead

INCOMPLETE = "The form was incomplete: open the page again and resubmit it"
LONG_TEXT = 2000


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE})


def _text(label: str, max_length: int, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    lower = label[0].lower() + label[1:]
    return forms.CharField(
        label=label, max_length=max_length, required=required,
        error_messages={"required": f"Enter the {lower}",
                        "max_length": f"The {lower} must be {max_length} characters or fewer"},
        **kwargs,
    )  # fmt: skip


def _areas_field(hint: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Areas of need", choices=BroadArea.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=hint, error_messages={"invalid_choice": "Choose areas of need from the list"},
    )  # fmt: skip


class CourseForm(forms.Form):
    title = _text("Title", 200)
    description = _text(
        "Short description", LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What staff will learn, in a sentence or two.",
    )  # fmt: skip
    provider = _text("Provider", 200, help_text="For example, Northshire Educational Psychology Service")
    format = forms.ChoiceField(
        label="Format", choices=CourseFormat.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the format", "invalid_choice": "Select the format"},
    )  # fmt: skip
    hours = forms.DecimalField(
        label="Length in hours", min_value=Decimal("0.5"), max_value=Decimal(100), max_digits=4, decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        help_text="For example, 1.5 for an hour and a half",
        error_messages={"required": "Enter the length in hours",
                        "invalid": "Enter the length in hours as a number, like 1.5",
                        "min_value": "The length must be at least half an hour",
                        "max_value": "The length must be 100 hours or fewer",
                        "max_digits": "Enter the length in hours as a number, like 1.5",
                        "max_decimal_places": "Enter the length to the nearest tenth of an hour, like 1.5",
                        "max_whole_digits": "The length must be 100 hours or fewer"},
    )  # fmt: skip
    areas = _areas_field("Select every area the course covers; none for a general course.")
    audiences = forms.MultipleChoiceField(
        label="Who it is for", choices=Audience.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who the course is for", "invalid_choice": "Select who the course is for"},
    )  # fmt: skip

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @classmethod
    def initial_for(cls, course: Course) -> dict[str, Any]:
        names = ["title", "description", "provider", "format", "hours", "areas", "audiences", "version"]
        return {name: getattr(course, name) for name in names}


class ChangeCourseForm(CourseForm):
    version = version_field()


class OfferedForm(forms.Form):
    offered = forms.TypedChoiceField(
        choices=[("0", "Withdraw"), ("1", "Offer again")], coerce=lambda v: v == "1",
        error_messages={"required": INCOMPLETE, "invalid_choice": INCOMPLETE},
    )  # fmt: skip
    version = version_field()


class _CourseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.title if obj.offered else f"{obj.title} (withdrawn)"


class TrainingForm(forms.Form):
    course = _CourseChoice(
        queryset=Course.objects.none(), required=False, label="Course from the local authority's offer",
        empty_label="None: the setting's own training (type its title below)",
        error_messages={"invalid_choice": "Choose a course from the list"},
    )  # fmt: skip
    own_title = _text(
        "Title of the setting's own training", 200, required=False,
        help_text="Only for training that is not in the local authority's offer",
    )  # fmt: skip
    own_areas = _areas_field("For the setting's own training: the areas of need it covered.")
    completed_on = GovukDateField(
        label="Date completed", max_date=timezone.localdate, help_text="For example, 27 3 2026"
    )
    expires_on = GovukDateField(
        label="Expiry or refresh date", required=False,
        help_text="Optional. When the training should be refreshed, for example 27 3 2028",
    )  # fmt: skip
    note = _text("Note", LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, courses: QuerySet[Course], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        course, title = cleaned.get("course"), (cleaned.get("own_title") or "").strip()
        if not self.has_error("course") and not self.has_error("own_title"):
            if course is None and not title:
                self.add_error(
                    "course", "Choose a course from the offer, or type the title of the setting's own training"
                )
            elif course is not None and title:
                self.add_error("own_title", "Leave the title empty when you choose a course from the offer")
        completed, expires = cleaned.get("completed_on"), cleaned.get("expires_on")
        if completed and expires and expires < completed:
            self.add_error("expires_on", "Expiry or refresh date must be the same as or after the date completed")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @staticmethod
    def initial_for(entry: TrainingRecord) -> dict[str, Any]:
        return {
            "course": entry.course_id, "own_title": entry.own_title, "own_areas": entry.own_areas,
            "completed_on": entry.completed_on, "expires_on": entry.expires_on, "note": entry.note,
            "version": entry.version,
        }  # fmt: skip


class ChangeTrainingForm(TrainingForm):
    version = version_field()


class VersionForm(forms.Form):
    version = version_field()


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name or obj.user.email} ({obj.get_role_display()})"


class AwarenessForm(forms.Form):
    what_read = forms.ChoiceField(
        label="What have you read?", choices=WhatRead.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what you have read", "invalid_choice": "Select what you have read"},
    )  # fmt: skip

    def __init__(self, *args: Any, staff: QuerySet[Membership] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:  # the SENCO may record it for a member of staff
            self.fields["membership"] = _MemberChoice(
                queryset=staff, required=False, label="Who has read it", empty_label="You",
                help_text="Choose a member of staff to record that they have read it, for example after a meeting.",
                error_messages={"invalid_choice": "Choose a member of staff of this setting from the list"},
            )  # fmt: skip
            self.fields["what_read"].label = "What has been read?"
            self.fields["what_read"].error_messages["required"] = "Select what has been read"
            self.order_fields(["membership", "what_read"])
