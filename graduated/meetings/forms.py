"""Forms for recording a meeting. Attendees and actions are fixed sets of rows, so no JavaScript is needed."""

from datetime import date
from typing import Any

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.forms.utils import ErrorDict
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.meetings.models import AttendeeKind, MeetingKind
from graduated.meetings.services import ActionData, AttendeeData
from graduated.organisations.models import SETTING_ROLES, Membership, Setting

ATTENDEE_ROWS = 6
ACTION_ROWS = 4
MAX_ROWS = 30


def _today() -> date:
    return timezone.localdate()


def staff_of(setting: Setting) -> Any:
    return (
        Membership.objects.filter(setting=setting, role__in=SETTING_ROLES)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def _staff_label(membership: Membership) -> str:
    return f"{membership.user.full_name} ({membership.get_role_display()})"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Type of meeting", choices=MeetingKind.choices, widget=forms.RadioSelect)
    held_on = GovukDateField(label="Date of the meeting", max_date=_today, help_text="For example, 14 10 2026")
    discussed = forms.CharField(
        label="What was discussed and agreed", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Write it so that it can be shared with the parents.",
    )  # fmt: skip
    staff = forms.ModelMultipleChoiceField(
        label="Staff at the meeting",
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose staff from the list",
            "invalid_pk_value": "Choose staff from the list",
        },
    )

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = staff_of(setting)
        field.label_from_instance = _staff_label  # type: ignore[method-assign,assignment]

    def staff_attendees(self) -> list[AttendeeData]:
        return [
            AttendeeData(
                kind=AttendeeKind.STAFF, name=m.user.full_name, role_or_relationship=m.get_role_display(), user=m.user
            )
            for m in self.cleaned_data.get("staff", [])
        ]


class EditMeetingForm(MeetingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RowForm(forms.Form):
    """One optional row: left wholly blank it is ignored; partly filled it must be complete."""

    blank = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django skips a formset row that matches its initial values; here blank means blank, so an
        # unchanged attendee on the edit page is kept, not dropped.
        self.empty_permitted = False
        self.number = int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1
        for name, message in self.required_messages.items():
            field = self.fields[name]
            field.error_messages["required"] = message.format(n=self.number)
            if isinstance(field, GovukDateField):
                field.custom_required_message = True

    required_messages: dict[str, str] = {}

    def _row_is_blank(self) -> bool:
        for name, field in self.fields.items():
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            values = value if isinstance(value, list | tuple) else [value]
            if any(str(v).strip() for v in values if v is not None):
                return False
        return True

    def full_clean(self) -> None:
        if self.is_bound and self._row_is_blank():
            self.blank = True
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class AttendeeForm(RowForm):
    required_messages = {
        "kind": "Choose who person {n} is: staff, parent or carer, the pupil or a professional",
        "name": "Enter a name for person {n}",
    }
    kind = forms.ChoiceField(label="Who they are", choices=[("", "Choose"), *AttendeeKind.choices])
    name = forms.CharField(label="Name", max_length=200)
    role_or_relationship = forms.CharField(
        label="Role or relationship to the pupil", max_length=200, required=False,
        help_text="For example, mother, educational psychologist",
    )  # fmt: skip

    def as_data(self) -> AttendeeData:
        data = self.cleaned_data
        return AttendeeData(kind=data["kind"], name=data["name"], role_or_relationship=data["role_or_relationship"])


class ActionForm(RowForm):
    required_messages = {
        "description": "Enter what needs doing for action {n}",
        "due_on": "Enter the date action {n} is due",
    }
    description = forms.CharField(label="What needs doing", max_length=500)
    owner_staff = forms.ModelChoiceField(
        label="Who will do it: a member of staff",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Not a member of staff",
        error_messages={"invalid_choice": "Choose a member of staff from the list"},
    )
    owner_name = forms.CharField(label="Or someone else's name", max_length=200, required=False)
    due_on = GovukDateField(label="Date it is due", help_text="For example, 27 11 2026")

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_staff"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_of(setting)
        field.label_from_instance = _staff_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        staff, name = cleaned.get("owner_staff"), cleaned.get("owner_name", "").strip()
        if staff is not None and name:
            self.add_error(
                "owner_name", f"For action {self.number}, choose a member of staff or enter a name, not both."
            )
        elif staff is None and not name and not self.has_error("owner_staff"):
            self.add_error(
                "owner_name", f"For action {self.number}, choose a member of staff or enter the name of who will do it."
            )
        return cleaned

    def as_data(self) -> ActionData:
        data = self.cleaned_data
        staff = data.get("owner_staff")
        return ActionData(
            description=data["description"],
            owner_name=staff.user.full_name if staff is not None else data["owner_name"].strip(),
            owner_user=staff.user if staff is not None else None,
            due_on=data["due_on"],
        )


class RowFormSet(BaseFormSet[Any]):
    def filled(self) -> list[Any]:
        return [form for form in self.forms if not getattr(form, "blank", False)]


def attendee_formset(data: Any = None, initial: list[dict[str, Any]] | None = None) -> RowFormSet:
    initial = initial or []
    cls = formset_factory(
        AttendeeForm, formset=RowFormSet, extra=max(ATTENDEE_ROWS - len(initial), 2), max_num=MAX_ROWS,
        absolute_max=MAX_ROWS, validate_max=True,
    )  # fmt: skip
    formset = cls(data, initial=initial, prefix="attendees")
    assert isinstance(formset, RowFormSet)
    return formset


def action_formset(setting: Setting, data: Any = None) -> RowFormSet:
    cls = formset_factory(
        ActionForm, formset=RowFormSet, extra=ACTION_ROWS, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
    )
    formset = cls(data, prefix="actions", form_kwargs={"setting": setting})
    assert isinstance(formset, RowFormSet)
    return formset


class SharedForm(forms.Form):
    shared_on = GovukDateField(
        label="Date the record was shared with the parents", max_date=_today, required=False,
        help_text="Leave blank for today.",
    )  # fmt: skip
