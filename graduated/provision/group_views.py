"""Pages for intervention groups: the list, a group and its pupils, the register, scores and the
staff timetable. Every group is looked up through ``access.get_group_for_user``: SENCOs manage,
the group's deliverer takes its register, senior leaders read; anyone else gets 404."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.organisations.models import Setting
from graduated.provision import group_selectors as selectors
from graduated.provision import group_services as services
from graduated.provision.group_forms import (
    EndPlaceForm,
    GroupFilterForm,
    GroupForm,
    PlacePupilForm,
    RegisterDayForm,
    RegisterForm,
    ScoresForm,
    TimetableDayForm,
)
from graduated.provision.models import InterventionGroup
from graduated.pupils.models import Pupil
from graduated.support.models import DeliveryStatus, Provision


def _setting_for_staff(request: HttpRequest, setting_id: int) -> tuple[access.OrganisationAccess, bool]:
    """The setting's access, and whether the person sees all its groups (leaders) or only the ones
    they deliver (teachers and teaching assistants); 404 for anyone who is not a member."""
    setting_access = access.get_setting_for_user(request.user, setting_id, O.VIEW_GROUPS)
    return setting_access, setting_access.can(O.VIEW_REGISTER)


def _day_from(request: HttpRequest, form_class: type[Form]) -> tuple[Form, date | None]:
    """A day asked for in the query string (on_0, on_1, on_2), or today when none is."""
    if not any(f"on_{n}" in request.GET for n in range(3)):
        return form_class(initial={"on": timezone.localdate()}), timezone.localdate()
    form = form_class(request.GET)
    return form, form.cleaned_data["on"] if form.is_valid() else None


def _record_view(group_access: access.GroupAccess, what: str) -> None:
    """A page naming the group's pupils is a view of pupil data: one audit event."""
    group = group_access.group
    record(group_access.actor, AuditAction.VIEW, object_type=what, object_id=str(group.pk),
           description=f"{what.capitalize()} of {group.name}")  # fmt: skip


# -- The list and the timetable --------------------------------------------------------------------


@require_GET
def group_list(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access, sees_all = _setting_for_staff(request, setting_id)
    setting = setting_access.setting
    today = timezone.localdate()
    form = GroupFilterForm(request.GET or {"show": "current"}, terms=selectors.terms_around(today))
    if not form.is_valid():
        context = {"setting": setting, "form": form, "groups": [], "sees_all": sees_all}
        return render(request, "provision/group_list.html", context, status=400)
    show, term = form.cleaned_data["show"] or "all", form.cleaned_data["term"]
    between = selectors.term_dates(term) if term else None
    groups = selectors.groups_of(
        setting, deliverer_id=None if sees_all else request.user.pk, between=between, show=show, today=today
    )
    context = {
        "setting": setting, "form": form, "groups": groups, "sees_all": sees_all,
        "can_manage": setting_access.can(O.MANAGE_PROVISION_CATALOGUE), "today": today,
    }  # fmt: skip
    return render(request, "provision/group_list.html", context)


@require_GET
def timetable(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access, sees_all = _setting_for_staff(request, setting_id)
    setting = setting_access.setting
    form, day = _day_from(request, TimetableDayForm)
    days: list[selectors.TimetableDay] = []
    if day is not None:
        groups = selectors.groups_of(setting, deliverer_id=None if sees_all else request.user.pk, between=(day, day))
        days = selectors.timetable(groups)
    clashes = sum(1 for d in days for entry in d.entries if entry.clashes_with)
    context = {"setting": setting, "form": form, "day": day, "days": days, "sees_all": sees_all, "clashes": clashes}
    return render(request, "provision/timetable.html", context, status=200 if day is not None else 400)


# -- Making and changing a group -------------------------------------------------------------------


def _group_form_page(
    request: HttpRequest, setting: Setting, form: GroupForm, group: InterventionGroup | None, **extra: Any
) -> HttpResponse:
    status = 400 if form.is_bound else 200
    return render(request, "provision/group_form.html", {"setting": setting, "form": form, "group": group, **extra},
                  status=status)  # fmt: skip


@require_http_methods(["GET", "POST"])
def add_group(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.MANAGE_PROVISION_CATALOGUE)
    setting = setting_access.setting
    form = GroupForm(request.POST or None, setting=setting)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(
                actor=setting_access.actor, setting=setting, item=form.cleaned_data["catalogue_item"],
                details=form.details(), slots=form.cleaned_data["slots"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{group.name} has been set up. Now give pupils their places.")
            return redirect("provision:group", group_id=group.pk)
    return _group_form_page(request, setting, form, None)


@require_http_methods(["GET", "POST"])
def edit_group(request: HttpRequest, group_id: int) -> HttpResponse:
    group_access = access.get_group_for_user(request.user, group_id, "manage")
    group = group_access.group
    form = GroupForm(request.POST or None, initial=GroupForm.initial_for(group), setting=group.setting, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_group(
                actor=group_access.actor, group=group, details=form.details(),
                slots=form.cleaned_data["slots"], expected_version=form.cleaned_data["version"] or 0,
            )  # fmt: skip
        except StaleEditError as error:
            show_refusal(form, error)
            return _group_form_page(request, group.setting, form, group, saved_now=group, saved_slots=group.slots.all())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{group.name} has been saved.")
            return redirect("provision:group", group_id=group.pk)
    return _group_form_page(request, group.setting, form, group)


# -- A group, its places ---------------------------------------------------------------------------


def _group_page(
    request: HttpRequest, group_access: access.GroupAccess, *, status: int = 200, **forms: Any
) -> HttpResponse:
    group, granted = group_access.group, group_access.granted
    data = selectors.group_page(group)
    can_manage = "manage" in granted
    if can_manage:  # the forms to place a pupil and to end each current place, with a day in the group's dates
        day = max(group.starts_on, min(timezone.localdate(), group.ends_on))
        forms.setdefault(
            "place_form", PlacePupilForm(choices=selectors.pupil_choices(group), initial={"joined_on": day})
        )
        ending = forms.pop("ending", None)
        forms["endable"] = [
            (place, forms["end_form"] if ending is not None and ending.pk == place.provision.pk
             else EndPlaceForm(prefix=f"end{place.provision.pk}", initial={"left_on": day}))
            for place in data["places"] if place.left_on is None and place.provision.cycle.is_open
        ]  # fmt: skip
    if status == 200:
        _record_view(group_access, "intervention group")
    context = {
        "group": group, "item": group.catalogue_item, "can_manage": can_manage, "can_register": "register" in granted,
        "today": timezone.localdate(), "place_form": None, "end_form": None, **data, **forms,
    }  # fmt: skip
    return render(request, "provision/group_detail.html", context, status=status)


@require_GET
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group_access = access.get_group_for_user(request.user, group_id, "read")
    return _group_page(request, group_access)


@require_POST
def place_pupil(request: HttpRequest, group_id: int) -> HttpResponse:
    group_access = access.get_group_for_user(request.user, group_id, "manage")
    group = group_access.group
    form = PlacePupilForm(request.POST, choices=selectors.pupil_choices(group))
    if form.is_valid():
        pupil = Pupil.objects.get(pk=form.cleaned_data["pupil"])  # one of the setting's pupils: the choices say so
        try:
            services.place_pupil(
                actor=group_access.actor, group=group, pupil=pupil,
                joined_on=form.cleaned_data["joined_on"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{pupil.display_name} has a place in {group.name}.")
            return redirect("provision:group", group_id=group.pk)
    return _group_page(request, group_access, status=400, place_form=form)


@require_POST
def end_place(request: HttpRequest, group_id: int, place_id: int) -> HttpResponse:
    group_access = access.get_group_for_user(request.user, group_id, "manage")
    group = group_access.group
    place = Provision.objects.filter(pk=place_id, group=group).select_related("cycle__pupil", "group").first()
    if place is None:
        raise Http404("No such place.")
    form = EndPlaceForm(request.POST, prefix=f"end{place.pk}")
    if form.is_valid():
        try:
            services.end_place(actor=group_access.actor, place=place, left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{place.cycle.pupil.display_name}'s place ends on {form.cleaned_data['left_on']:%-d %B %Y}."
            )
            return redirect("provision:group", group_id=group.pk)
    return _group_page(request, group_access, status=400, end_form=form, ending=place)


# -- The register ----------------------------------------------------------------------------------


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _register_initial(day: date, data: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {"on": day.isoformat()}
    session, records = data["session"], data["records"]
    if session is not None and session.status == "cancelled":
        initial.update(cancelled=True, cancelled_reason=session.cancelled_reason)
    for place in data["places"]:
        previous = records.get(place.provision.pk)
        absent = (
            previous is not None
            and previous.status == DeliveryStatus.MISSED
            and previous.missed_reason == "pupil_absent"
        )
        initial[f"place_{place.provision.pk}"] = "absent" if absent else "present"
    return initial


def _register_page(
    request: HttpRequest, group_access: access.GroupAccess, day: date | None, form: Form, status: int
) -> HttpResponse:
    group = group_access.group
    context: dict[str, Any] = {"group": group, "day": day, "form": form, "today": timezone.localdate()}
    if isinstance(form, RegisterForm):
        context["day_form"] = RegisterDayForm(initial={"on": day})
    if day is not None and group.starts_on <= day <= group.ends_on:
        context.update(selectors.register_page(group, day))
    if status == 200:
        _record_view(group_access, "group register")
    return render(request, "provision/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, group_id: int) -> HttpResponse:
    group_access = access.get_group_for_user(request.user, group_id, "register")
    group = group_access.group
    if request.method == "POST":
        return _take_register(request, group_access)
    day_form, day = _day_from(request, RegisterDayForm)
    if day is None:
        return _register_page(request, group_access, None, day_form, 400)
    if not any(f"on_{n}" in request.GET for n in range(3)):  # no day asked for: today, or the group's last day
        day = max(min(day, group.ends_on), group.starts_on)
    if not group.starts_on <= day <= group.ends_on:
        day_form.add_error(
            "on", f"The group runs from {group.starts_on:%-d %B %Y} to {group.ends_on:%-d %B %Y}: choose a day then"
        )
        return _register_page(request, group_access, day, day_form, 400)
    if day > timezone.localdate():  # the group has not started yet
        return _register_page(request, group_access, None, day_form, 200)
    data = selectors.register_page(group, day)
    form = RegisterForm(initial=_register_initial(day, data), places=[p for p in data["places"] if p.recordable])
    return _register_page(request, group_access, day, form, 200)


def _take_register(request: HttpRequest, group_access: access.GroupAccess) -> HttpResponse:
    group = group_access.group
    day = _iso_day(request.POST.get("on"))
    places = [p for p in selectors.places_on(group, day) if p.recordable] if day else []
    form = RegisterForm(request.POST, places=places)
    if form.is_valid() and day is not None:
        try:
            result = services.take_register(
                actor=group_access.actor, group=group, on=day, present=form.present(),
                cancelled_reason=form.reason(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            present = sum(form.present().values())
            summary = "cancelled" if form.reason() else f"{present} present, {len(places) - present} absent"
            verb = "saved" if result.created else "updated"
            messages.success(request, f"Register for {day:%A %-d %B} {verb}: {summary}.")
            return redirect("provision:group", group_id=group.pk)
    return _register_page(request, group_access, day, form, 400)


# -- Scores ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def scores(request: HttpRequest, group_id: int) -> HttpResponse:
    group_access = access.get_group_for_user(request.user, group_id, "register")
    group = group_access.group
    pupils, rows = selectors.score_rows(group)
    form = ScoresForm(request.POST or None, pupils=pupils, scores=rows)
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_scores(actor=group_access.actor, group=group, entries=form.entries())
        except StaleEditError as error:
            # The typing is kept, against the version of each pupil's row saved now.
            pupils, rows = selectors.score_rows(group)
            data = request.POST.copy()
            for pupil in pupils:
                data[f"p{pupil.pk}_version"] = str(rows[pupil.pk].version if pupil.pk in rows else 0)
            form = ScoresForm(data, pupils=pupils, scores=rows)
            show_refusal(form, error, version_field=None)
            extra = {"stale": True, "saved_now": [(p.display_name, rows.get(p.pk)) for p in pupils]}
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Scores saved for {changed} pupil{'s' if changed != 1 else ''}." if changed else "No scores changed.",
            )
            return redirect("provision:group", group_id=group.pk)
    status = 400 if form.is_bound else 200
    if status == 200:
        _record_view(group_access, "group scores")
    context = {"group": group, "item": group.catalogue_item, "form": form, **extra}
    return render(request, "provision/group_scores.html", context, status=status)
