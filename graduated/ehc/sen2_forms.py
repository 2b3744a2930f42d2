"""Forms for what the SEN2 return needs beyond the case's steps: a plan's placements, and the
mediation, Tribunal and plan arrangements items."""

from typing import Any

from django import forms
from django.db import models

from graduated.ehc.forms import INCOMPLETE, _version
from graduated.ehc.models import EHCPlan
from graduated.ehc.sen2_codes import SENSetting
from graduated.lib.forms import GovukDateField
from graduated.organisations.models import LocalAuthority, Setting

WHERE = "Give one of: the setting, its URN or UKPRN, or the kind of arrangement"


class PlacementForm(forms.Form):
    setting = forms.ModelChoiceField(
        label="Setting (if it is one of the LA's)", queryset=Setting.objects.none(), required=False,
        empty_label="Not one of the LA's settings", error_messages={"invalid_choice": "Choose a setting from the list"},
    )  # fmt: skip
    urn = forms.RegexField(
        label="URN (a setting elsewhere)", regex=r"^\d{6,8}$", required=False, max_length=8,
        error_messages={"invalid": "Enter the URN as 6 to 8 digits"},
    )  # fmt: skip
    ukprn = forms.RegexField(
        label="UKPRN (a post-16 provider with no URN)", regex=r"^1\d{7}$", required=False, max_length=8,
        error_messages={"invalid": "Enter the UKPRN as 8 digits starting with 1"},
    )  # fmt: skip
    sen_setting = forms.ChoiceField(
        label="Or the kind of arrangement, when there is no setting", required=False, widget=forms.RadioSelect,
        choices=SENSetting.choices, error_messages={"invalid_choice": "Choose from the list"},
    )  # fmt: skip
    sen_setting_other = forms.CharField(label="What the arrangement is (if other)", required=False, max_length=200)
    rank = forms.TypedChoiceField(
        label="Placement", coerce=int, widget=forms.RadioSelect,
        choices=[(1, "Main placement"), (2, "Second placement")],
        error_messages={"required": "Choose main or second placement", "invalid_choice": "Choose from the list"},
    )  # fmt: skip
    entry_date = GovukDateField(label="Start date")
    leaving_date = GovukDateField(label="Leaving date (if it has ended)", required=False)
    sen_unit = forms.BooleanField(label="In a SEN unit", required=False)
    resourced_provision = forms.BooleanField(label="In resourced provision", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, la: LocalAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["setting"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Setting.objects.filter(local_authority=la).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("setting", "urn", "ukprn", "sen_setting") if data.get(name)]
        if not given and not any(name in self.errors for name in ("urn", "ukprn")):
            self.add_error("setting", WHERE)
        elif len(given) > 1:
            self.add_error(given[1], WHERE + ", not more than one")
        entry, leaving = data.get("entry_date"), data.get("leaving_date")
        if entry and leaving and leaving < entry:
            self.add_error("leaving_date", "The leaving date must be the same as or after the start date")
        return data


class Sen2DetailsForm(forms.Form):
    request_mediation = forms.BooleanField(label="Mediation over a decision not to assess", required=False)
    request_tribunal = forms.BooleanField(label="Appeal to the Tribunal over a decision not to assess", required=False)
    assessment_mediation = forms.BooleanField(label="Mediation over a decision not to issue a plan", required=False)
    assessment_tribunal = forms.BooleanField(
        label="Appeal to the Tribunal over a decision not to issue", required=False
    )
    other_mediation = forms.BooleanField(label="Mediation for any other reason", required=False)
    other_tribunal = forms.BooleanField(label="Appeal to the Tribunal for any other reason", required=False)
    version = _version()

    PLAN_FIELDS = (
        "residential", "work_based_learning", "personal_budget", "budget_organised_arrangements",
        "budget_direct_payments", "transferred_in_from",
    )  # fmt: skip

    def __init__(self, *args: Any, plan: EHCPlan | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is None:
            return
        for name in self.PLAN_FIELDS[:-1]:
            model_field = EHCPlan._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            label = str(model_field.verbose_name)
            self.fields[name] = forms.BooleanField(label=label[:1].upper() + label[1:], required=False)
        self.fields["transferred_in_from"] = forms.RegexField(
            label="If the plan was transferred in from another LA this year, that LA's code", regex=r"^\d{3}$",
            required=False, error_messages={"invalid": "Enter the LA code as three digits, like 860"},
        )  # fmt: skip
        self.fields["plan_version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
        )
