"""Forms for a pupil's record. Each checks what the person typed and gives a specific message."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from graduated.lib.forms import GovukDateField
from graduated.organisations.models import LocalAuthority, Membership, Role, Setting
from graduated.pupils import services
from graduated.pupils.codes import BroadArea, SENProvision, SENType, Sex
from graduated.pupils.identifiers import normalise_upn, validate_upn
from graduated.pupils.models import Pupil, StaffRelationship
from graduated.pupils.year_groups import year_group_label

YEAR_GROUP_CHOICES = [(str(y), year_group_label(y)) for y in range(-3, 15)]


def _today() -> date:
    return timezone.localdate()


class PupilDetailsForm(forms.Form):
    legal_first_name = forms.CharField(label="Legal first name", max_length=100)
    legal_last_name = forms.CharField(label="Legal last name", max_length=100)
    preferred_first_name = forms.CharField(
        label="Preferred first name", max_length=100, required=False,
        help_text="Only if the pupil is known by a different name.",
    )  # fmt: skip
    preferred_last_name = forms.CharField(label="Preferred last name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", max_date=_today, help_text="For example, 27 3 2016")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)
    upn = forms.CharField(
        label="UPN (unique pupil number)", max_length=20, required=False,
        help_text="13 characters, for example A860200124001. Leave blank if the child has none yet.",
    )  # fmt: skip
    home_local_authority = forms.ModelChoiceField(
        label="Home local authority", queryset=LocalAuthority.objects.all(), required=False,
        empty_label="Not known",
    )  # fmt: skip
    year_group_override = forms.TypedChoiceField(
        label="Taught out of year group", choices=[("", "No: taught with their age group"), *YEAR_GROUP_CHOICES],
        coerce=int, empty_value=None, required=False,
        help_text="Only for a pupil taught in a different year group from their age.",
    )  # fmt: skip

    def __init__(self, *args: Any, pupil: Pupil | None = None, **kwargs: Any) -> None:
        self.pupil = pupil
        super().__init__(*args, **kwargs)

    def clean_upn(self) -> str | None:
        upn = normalise_upn(self.cleaned_data.get("upn", ""))
        if not upn:
            return None
        validate_upn(upn)
        duplicates = Pupil.objects.filter(upn=upn)
        if self.pupil is not None:
            duplicates = duplicates.exclude(pk=self.pupil.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                "Another pupil already has this UPN. Check the number. If the pupil has joined you from another "
                "setting, ask that setting for their record: Records from other settings, on the SEN register"
            )
        return upn


class NewPupilForm(PupilDetailsForm):
    start_date = GovukDateField(label="Date the pupil started at this setting", help_text="For example, 1 9 2026")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born, started = cleaned.get("date_of_birth"), cleaned.get("start_date")
        if born and started and started < born:
            self.add_error("start_date", "The start date must be after the date of birth.")
        return cleaned


class EditPupilForm(PupilDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="New SEN status",
        choices=[(c.value, c.label) for c in SENProvision.current_codes()],
        widget=forms.RadioSelect,
    )
    start_date = GovukDateField(label="Date the new status starts", help_text="For example, 8 1 2026")
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000,
        help_text="Required when a pupil comes off the SEN register.",
    )  # fmt: skip

    def __init__(self, *args: Any, pupil: Pupil, **kwargs: Any) -> None:
        self.pupil = pupil
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status, start = cleaned.get("status"), cleaned.get("start_date")
        if status == SENProvision.NO_SEN and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter why the pupil is coming off the SEN register.")
        if status and start:
            try:
                services.check_status_change(self.pupil, status, start)
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class NeedForm(forms.Form):
    sen_type = forms.ChoiceField(label="Type of need", choices=[("", "Choose a type of need"), *SENType.choices])
    rank = forms.TypedChoiceField(
        label="Rank", coerce=int, widget=forms.RadioSelect,
        choices=[(1, "1 – primary need"), (2, "2 – secondary need"), (3, "3"), (4, "4")],
    )  # fmt: skip
    start_date = GovukDateField(label="Date the need was identified", max_date=_today)

    def __init__(self, *args: Any, pupil: Pupil, **kwargs: Any) -> None:
        self.pupil = pupil
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("sen_type") and cleaned.get("rank"):
            try:
                services.check_need(self.pupil, cleaned["sen_type"], cleaned["rank"])
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class EndNeedForm(forms.Form):
    end_date = GovukDateField(label="Date the need ended")


class StaffLinkForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="Member of staff", queryset=Membership.objects.none(), empty_label="Choose a member of staff"
    )
    relationship = forms.ChoiceField(
        label="Works with the pupil as", choices=StaffRelationship.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, setting: Setting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Membership.objects.filter(setting=setting, role__in=[r.value for r in Role.setting_roles()])
            .select_related("user")
            .order_by("user__full_name")
        )
        field.label_from_instance = lambda m: f"{m.user.full_name} ({m.get_role_display()})"  # type: ignore[method-assign,assignment]


class RegisterFilterForm(forms.Form):
    """The register's filters; anything malformed is ignored rather than refused."""

    STATUS_CHOICES = [
        ("register", "On the SEN register (K or E)"),
        ("K", "SEN support (K)"),
        ("E", "EHC plan (E)"),
        ("all", "All pupils"),
    ]
    SORT_CHOICES = [
        ("name", "Name"),
        ("year", "Year group"),
        ("status", "SEN status"),
        ("need", "Primary need"),
    ]
    q = forms.CharField(label="Name or UPN", required=False, max_length=100)
    status = forms.ChoiceField(label="SEN status", choices=STATUS_CHOICES, required=False)
    need = forms.ChoiceField(label="Type of need", choices=[("", "Any"), *SENType.choices], required=False)
    area = forms.ChoiceField(label="Broad area of need", choices=[("", "Any"), *BroadArea.choices], required=False)
    year = forms.TypedChoiceField(
        label="Year group", choices=[("", "Any"), *YEAR_GROUP_CHOICES], coerce=int, empty_value=None, required=False
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)
    direction = forms.ChoiceField(choices=[("asc", "ascending"), ("desc", "descending")], required=False)
