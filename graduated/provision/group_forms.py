"""Forms for groups, places, registers and scores. Each says exactly what to fix."""

from datetime import date, time
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from graduated.lib.forms import GovukDateField
from graduated.organisations.models import Membership, Setting
from graduated.provision.group_services import ScoreEntry, SlotTimes
from graduated.provision.models import CatalogueItem, DeliveryRole, GroupScore, InterventionGroup, Weekday
from graduated.pupils.models import Pupil

SLOT_ROWS = 5  # weekly times offered on the form; rows left blank are ignored
SCHOOL_DAYS = [(str(day.value), day.label) for day in Weekday if day <= Weekday.FRIDAY]
WEEKEND = [(str(day.value), day.label) for day in Weekday if day > Weekday.FRIDAY]


def _today() -> date:
    return timezone.localdate()


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=False, input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={"invalid": f"{label} must be a time like 09:15, on the 24-hour clock"},
    )  # fmt: skip


def _staff_label(membership: Membership) -> str:
    return f"{membership.user.full_name} ({membership.get_role_display().lower()})"


class GroupForm(forms.Form):
    """A group's details and up to ``SLOT_ROWS`` weekly times. ``item`` is chosen only when adding."""

    catalogue_item = forms.ModelChoiceField(
        label="Intervention", queryset=CatalogueItem.objects.none(), empty_label="Choose an intervention",
        error_messages={"required": "Choose the intervention the group runs"},
    )  # fmt: skip
    name = forms.CharField(
        label="Name of the group", max_length=120, help_text="For example, Year 3 Monday and Thursday",
        error_messages={"required": "Enter a name for the group"},
    )  # fmt: skip
    deliverer = forms.ModelChoiceField(
        label="Who delivers it", queryset=Membership.objects.none(), required=False, empty_label="Nobody named yet"
    )
    deliverer_role = forms.ChoiceField(
        label="Their role, for costs", choices=[("", "As the catalogue says"), *DeliveryRole.choices], required=False,
        help_text="Costs use this role's hourly cost, whoever stands in on the day",
    )  # fmt: skip
    location = forms.CharField(label="Where", max_length=100, required=False)
    starts_on = GovukDateField(label="First day of the group", help_text="For example, 7 9 2026")
    ends_on = GovukDateField(label="Last day of the group", help_text="For example, 11 12 2026")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, setting: Setting, group: InterventionGroup | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group
        if group is not None:
            del self.fields["catalogue_item"]
        else:
            items = self.fields["catalogue_item"]
            assert isinstance(items, forms.ModelChoiceField)
            items.queryset = CatalogueItem.objects.filter(setting=setting, is_active=True).order_by("name")
        staff = self.fields["deliverer"]
        assert isinstance(staff, forms.ModelChoiceField)
        staff.queryset = Membership.objects.filter(setting=setting).select_related("user").order_by("user__full_name")
        staff.label_from_instance = _staff_label  # type: ignore[method-assign,assignment]
        for n in range(1, SLOT_ROWS + 1):
            self.fields[f"slot_{n}_weekday"] = forms.ChoiceField(
                label="Day", choices=[("", "No day"), *SCHOOL_DAYS, *WEEKEND], required=False
            )
            self.fields[f"slot_{n}_starts_at"] = _time_field("Start time")
            self.fields[f"slot_{n}_ends_at"] = _time_field("End time")

    @classmethod
    def initial_for(cls, group: InterventionGroup) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": group.name, "deliverer_role": group.deliverer_role, "location": group.location,
            "starts_on": group.starts_on, "ends_on": group.ends_on, "version": group.version,
        }  # fmt: skip
        if group.deliverer_id is not None:
            initial["deliverer"] = Membership.objects.filter(
                setting_id=group.setting_id, user=group.deliverer_id
            ).first()
        for n, slot in enumerate(group.slots.all(), start=1):
            initial.update({f"slot_{n}_weekday": str(slot.weekday), f"slot_{n}_starts_at": slot.starts_at,
                            f"slot_{n}_ends_at": slot.ends_at})  # fmt: skip
        return initial

    def slot_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [(n, [self[f"slot_{n}_{part}"] for part in ("weekday", "starts_at", "ends_at")])
                for n in range(1, SLOT_ROWS + 1)]  # fmt: skip

    def detail_fields(self) -> list[forms.BoundField]:
        names = ["catalogue_item", "name", "deliverer", "deliverer_role", "location", "starts_on", "ends_on"]
        return [self[name] for name in names if name in self.fields]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day must be the same as or after the first day")
        slots: list[SlotTimes] = []
        for n in range(1, SLOT_ROWS + 1):
            slot = self._clean_slot(n, cleaned)
            if slot is not None:
                slots.append(slot)
        for i, one in enumerate(slots):
            for other in slots[i + 1 :]:
                if one.weekday == other.weekday and one.starts_at < other.ends_at and other.starts_at < one.ends_at:
                    self.add_error(None, f"Two of the times on {Weekday(one.weekday).label} overlap")
        slot_errors = any(name.startswith("slot_") for name in self.errors)
        if not slots and not slot_errors:
            self.add_error("slot_1_weekday", "Add at least one day and time the group meets")
        cleaned["slots"] = slots
        return cleaned

    def _clean_slot(self, n: int, cleaned: dict[str, Any]) -> SlotTimes | None:
        weekday: str = cleaned.get(f"slot_{n}_weekday") or ""
        starts: time | None = cleaned.get(f"slot_{n}_starts_at")
        ends: time | None = cleaned.get(f"slot_{n}_ends_at")
        if self.has_error(f"slot_{n}_starts_at") or self.has_error(f"slot_{n}_ends_at"):
            return None
        if not weekday and starts is None and ends is None:
            return None
        if not weekday:
            self.add_error(f"slot_{n}_weekday", f"Time {n}: choose the day")
        if starts is None:
            self.add_error(f"slot_{n}_starts_at", f"Time {n}: enter the start time, like 09:15")
        if ends is None:
            self.add_error(f"slot_{n}_ends_at", f"Time {n}: enter the end time, like 09:45")
        if not weekday or starts is None or ends is None:
            return None
        if ends <= starts:
            self.add_error(f"slot_{n}_ends_at", f"Time {n}: the end time must be after the start time")
            return None
        return SlotTimes(weekday=int(weekday), starts_at=starts, ends_at=ends)

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        item: CatalogueItem | None = data.get("catalogue_item") or (self.group.catalogue_item if self.group else None)
        membership = data["deliverer"]
        return {
            "name": data["name"], "deliverer": membership.user if membership else None,
            "deliverer_role": data["deliverer_role"] or (item.delivered_by_role if item else ""),
            "location": data["location"], "starts_on": data["starts_on"], "ends_on": data["ends_on"],
        }  # fmt: skip


class LongSelect(forms.Select):
    """A select of a school's pupils (over a thousand options), written in one go: through Django's
    option templates it takes a large school's group page a few hundred milliseconds. Same markup."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>{options}</select>'
        )


class PlacePupilForm(forms.Form):
    pupil = forms.TypedChoiceField(
        label="Pupil",
        widget=LongSelect,
        coerce=int,
        error_messages={"required": "Choose a pupil", "invalid_choice": "Choose a pupil of this setting"},
    )
    joined_on = GovukDateField(label="Date they join", help_text="Their first session day")

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pupil = self.fields["pupil"]
        assert isinstance(pupil, forms.TypedChoiceField)
        pupil.choices = [("", "Choose a pupil"), *choices]


class EndPlaceForm(forms.Form):
    left_on = GovukDateField(label="Date they leave", help_text="Their last session day")


class RegisterDayForm(forms.Form):
    """Which day's register to show: today unless another day is asked for."""

    on = GovukDateField(label="Day of the session", max_date=_today, help_text="For example, 23 11 2026")


class RegisterForm(forms.Form):
    """One day's register: present or absent for each pupil (present unless changed), or the
    session cancelled with a reason."""

    on = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"],
                         error_messages={"invalid": "The day of the session must be a real date"})  # fmt: skip
    cancelled = forms.BooleanField(label="The session was cancelled", required=False)
    cancelled_reason = forms.CharField(
        label="Why was it cancelled?", max_length=200, required=False,
        help_text="For example, staff training or a school trip. Every pupil is marked as missed.",
    )  # fmt: skip

    def __init__(self, *args: Any, places: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        for place in places:
            self.fields[f"place_{place.provision.pk}"] = forms.ChoiceField(
                label=place.pupil.display_name, choices=[("present", "Present"), ("absent", "Absent")],
                widget=forms.RadioSelect, initial="present",
                error_messages={"required": f"Say whether {place.pupil.display_name} was present"},
            )  # fmt: skip

    def attendance_fields(self) -> list[forms.BoundField]:
        return [self[f"place_{place.provision.pk}"] for place in self.places]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("on")
        if day and day > _today():
            self.add_error(None, "A register can be taken for today or a day in the past")
        reason = (cleaned.get("cancelled_reason") or "").strip()
        if cleaned.get("cancelled") and not reason:
            self.add_error("cancelled_reason", "Enter why the session was cancelled")
        if reason and not cleaned.get("cancelled"):
            self.add_error("cancelled", "Tick the box if the session was cancelled, or clear the reason")
        return cleaned

    def present(self) -> dict[int, bool]:
        return {p.provision.pk: self.cleaned_data.get(f"place_{p.provision.pk}") == "present" for p in self.places}

    def reason(self) -> str:
        return str(self.cleaned_data["cancelled_reason"]).strip() if self.cleaned_data["cancelled"] else ""


def _score_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=8, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": f"{label} must be a number, like 85 or 12.5",
            "max_digits": f"{label} must be a number less than 1,000,000",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
            "max_whole_digits": f"{label} must be a number less than 1,000,000",
        },
    )  # fmt: skip


class ScoresForm(forms.Form):
    """Entry and exit scores for each pupil placed in the group. Field names carry the pupil's id."""

    def __init__(self, *args: Any, pupils: list[Pupil], scores: dict[int, GroupScore], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupils = pupils
        for pupil in pupils:
            name, row = pupil.display_name, scores.get(pupil.pk)
            prefix = f"p{pupil.pk}"
            self.fields[f"{prefix}_entry_score"] = _score_field(f"{name}: entry score")
            self.fields[f"{prefix}_entry_on"] = GovukDateField(
                label=f"{name}: date of the entry score", required=False, max_date=_today
            )
            self.fields[f"{prefix}_exit_score"] = _score_field(f"{name}: exit score")
            self.fields[f"{prefix}_exit_on"] = GovukDateField(
                label=f"{name}: date of the exit score", required=False, max_date=_today
            )
            self.fields[f"{prefix}_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
            self.initial.setdefault(f"{prefix}_version", row.version if row else 0)
            if row is not None:
                for part in ("entry_score", "entry_on", "exit_score", "exit_on"):
                    self.initial.setdefault(f"{prefix}_{part}", getattr(row, part))

    def pupil_groups(self) -> list[tuple[Pupil, list[forms.BoundField]]]:
        parts = ("entry_score", "entry_on", "exit_score", "exit_on")
        return [(p, [self[f"p{p.pk}_{part}"] for part in parts]) for p in self.pupils]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for pupil in self.pupils:
            prefix, name = f"p{pupil.pk}", pupil.display_name
            for stage in ("entry", "exit"):
                score_name, on_name = f"{prefix}_{stage}_score", f"{prefix}_{stage}_on"
                if self.has_error(score_name) or self.has_error(on_name):
                    continue
                score, on = cleaned.get(score_name), cleaned.get(on_name)
                if score is not None and on is None:
                    self.add_error(on_name, f"{name}: enter the date of the {stage} score")
                if score is None and on is not None:
                    self.add_error(score_name, f"{name}: enter the {stage} score, or clear its date")
            entry_on, exit_on = cleaned.get(f"{prefix}_entry_on"), cleaned.get(f"{prefix}_exit_on")
            if entry_on and exit_on and exit_on < entry_on:
                self.add_error(f"{prefix}_exit_on", f"{name}: the exit score must be taken on or after the entry score")
        return cleaned

    def entries(self) -> list[ScoreEntry]:
        data = self.cleaned_data
        entries = []
        for pupil in self.pupils:
            p = f"p{pupil.pk}"
            entry_score: Decimal | None = data.get(f"{p}_entry_score")
            exit_score: Decimal | None = data.get(f"{p}_exit_score")
            entries.append(ScoreEntry(
                pupil_id=pupil.pk, expected_version=data[f"{p}_version"], entry_score=entry_score,
                entry_on=data.get(f"{p}_entry_on"), exit_score=exit_score, exit_on=data.get(f"{p}_exit_on"),
            ))  # fmt: skip
        return entries


class GroupFilterForm(forms.Form):
    """The list's filter: which groups, by when they run, and by term."""

    show = forms.ChoiceField(
        label="Show", required=False,
        choices=[("current", "Running now"), ("upcoming", "Starting later"), ("past", "Finished"), ("all", "Any time")],
    )  # fmt: skip
    term = forms.ChoiceField(label="Term", required=False)

    def __init__(self, *args: Any, terms: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term = self.fields["term"]
        assert isinstance(term, forms.ChoiceField)
        term.choices = [("", "Any term"), *terms]


class TimetableDayForm(forms.Form):
    on = GovukDateField(label="Groups running on", help_text="For example, 23 11 2026")
