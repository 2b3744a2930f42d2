"""A pupil's meetings: the list, one meeting, recording and editing, sharing and completing actions."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission, PupilAccess, PupilPermission, require_written_here
from graduated.access.previous import setting_on
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.documents import attachments
from graduated.families.views_services import acknowledgements_of
from graduated.lib import paging
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.meetings import selectors, services
from graduated.meetings.forms import (
    EditMeetingForm,
    MeetingForm,
    RowFormSet,
    SharedForm,
    action_formset,
    attendee_formset,
)
from graduated.meetings.models import Meeting, MeetingAction, academic_year
from graduated.organisations.models import Membership, Setting
from graduated.pupils.models import Pupil

P = PupilPermission


def _meeting_for(pupil_access: PupilAccess, meeting_id: int) -> Meeting:
    """The meeting, only if it belongs to this pupil: another pupil's meeting id is a 404."""
    meeting = Meeting.objects.filter(pk=meeting_id, pupil=pupil_access.pupil).first()
    if meeting is None:
        raise Http404("No such meeting.")
    meeting.pupil = pupil_access.pupil
    return meeting


def _base_context(pupil_access: PupilAccess) -> dict[str, Any]:
    return {
        "pupil": pupil_access.pupil,
        "access": pupil_access,
        "can_record": pupil_access.can(P.RECORD_MEETING),
    }


@require_GET
def meeting_list(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    pupil = pupil_access.pupil
    today = timezone.localdate()
    year_start, year_end = academic_year(today)
    parent_meetings = selectors.parent_meetings_this_year([pupil], today)[pupil.pk]
    # One pupil, already counted: the small query, not short_of_parent_meetings's annotated one.
    shortfall = selectors.shortfall_for_pupil(pupil, parent_meetings, today)
    record_pupil_view(pupil_access, "meetings")
    return render(
        request,
        "meetings/list.html",
        {
            **_base_context(pupil_access),
            "meetings": selectors.meetings_for_pupil(pupil),
            "year_start": year_start,
            "year_end": year_end,
            "parent_meetings": parent_meetings,
            "shortfall": shortfall,
            "today": today,
        },
    )


@require_GET
def meeting_detail(request: HttpRequest, pupil_id: int, meeting_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    meeting = _meeting_for(pupil_access, meeting_id)
    record_pupil_view(pupil_access, "meeting", str(meeting.pk))
    return _detail_page(request, pupil_access, meeting, SharedForm())


def _detail_page(
    request: HttpRequest, pupil_access: PupilAccess, meeting: Meeting, shared_form: SharedForm, status: int = 200
) -> HttpResponse:
    meeting = selectors.meetings_for_pupil(pupil_access.pupil).get(pk=meeting.pk)
    # A meeting the pupil's previous setting held is read here, not changed (access.previous).
    written_elsewhere = setting_on(pupil_access, meeting.held_on)
    base = _base_context(pupil_access)
    context = {
        **base,
        "can_record": base["can_record"] and written_elsewhere is None,
        "written_elsewhere": written_elsewhere,
        "read_by_family": acknowledgements_of(meeting),
        "meeting": meeting,
        "shared_form": shared_form,
        "today": timezone.localdate(),
        "attached_documents": attachments.attached(pupil_access, "meeting", meeting.pk),
        "attach_key": attachments.key_for("meeting", meeting.pk),
        "can_attach": pupil_access.can(P.PLAN_SUPPORT),
        "can_see_documents": pupil_access.can(P.VIEW_RECORD),
    }
    return render(request, "meetings/detail.html", context, status=status)


def _forms_valid(form: MeetingForm, *formsets: RowFormSet) -> bool:
    valid = form.is_valid()
    for formset in formsets:
        valid = formset.is_valid() and valid
    return valid


def _check_action_dates(form: MeetingForm, actions: RowFormSet) -> bool:
    """Actions cannot be due before the meeting: say so on the row that is wrong."""
    held_on = form.cleaned_data["held_on"]
    ok = True
    for row in actions.filled():
        if row.cleaned_data["due_on"] < held_on:
            row.add_error("due_on", f"Action {row.number} must be due on or after the meeting ({held_on:%-d %B %Y})")
            ok = False
    return ok


def _form_page(request: HttpRequest, pupil_access: PupilAccess, template: str, **context: Any) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**_base_context(pupil_access), **context}, status=status)


@require_http_methods(["GET", "POST"])
def record_meeting(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.RECORD_MEETING)
    setting = pupil_access.setting
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, setting=setting)
    attendees = attendee_formset(data)
    actions = action_formset(setting, data)
    if request.method == "POST" and _forms_valid(form, attendees, actions) and _check_action_dates(form, actions):
        try:
            meeting = services.record_meeting(
                actor=pupil_access.actor,
                pupil=pupil_access.pupil,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
                discussed=form.cleaned_data["discussed"],
                attendees=[*form.staff_attendees(), *(row.as_data() for row in attendees.filled())],
                actions=[row.as_data() for row in actions.filled()],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.DuplicateMeetingError as duplicate:
            messages.info(request, "This meeting was already recorded: it has not been recorded twice.")
            return redirect("meetings:detail", pupil_id=pupil_access.pupil.pk, meeting_id=duplicate.meeting.pk)
        else:
            messages.success(request, "Meeting recorded.")
            return redirect("meetings:detail", pupil_id=pupil_access.pupil.pk, meeting_id=meeting.pk)
    if request.method == "GET":
        record_pupil_view(pupil_access, "record a meeting")
    return _form_page(request, pupil_access, "meetings/record.html", form=form, attendees=attendees, actions=actions)


def _edit_initial(meeting: Meeting, setting: Setting) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    people = list(meeting.attendees.all())
    staff_users = [a.user_id for a in people if a.user_id is not None]
    initial = {
        "kind": meeting.kind,
        "held_on": meeting.held_on,
        "discussed": meeting.discussed,
        "version": meeting.version,
        "staff": list(Membership.objects.filter(setting=setting, user_id__in=staff_users).values_list("pk", flat=True)),
    }
    rows = [
        {"kind": a.kind, "name": a.name, "role_or_relationship": a.role_or_relationship}
        for a in people
        if a.user_id is None
    ]
    return initial, rows


def _already_saved(meeting: Meeting, changes: dict[str, Any], people: list[services.AttendeeData]) -> bool:
    same_fields = all(getattr(meeting, name) == value for name, value in changes.items())
    return same_fields and services.attendee_keys(people) == services.attendee_keys(list(meeting.attendees.all()))


@require_http_methods(["GET", "POST"])
def edit_meeting(request: HttpRequest, pupil_id: int, meeting_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.RECORD_MEETING)
    meeting = _meeting_for(pupil_access, meeting_id)
    require_written_here(pupil_access, "This meeting's record", day=meeting.held_on)
    setting = pupil_access.setting
    initial, rows = _edit_initial(meeting, setting)
    data = request.POST if request.method == "POST" else None
    form = EditMeetingForm(data, initial=initial, setting=setting)
    attendees = attendee_formset(data, initial=rows)
    if request.method == "POST" and _forms_valid(form, attendees):
        changes = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        people = [*form.staff_attendees(), *(row.as_data() for row in attendees.filled())]
        try:
            services.update_meeting(
                actor=pupil_access.actor,
                meeting=meeting,
                changes=changes,
                expected_version=form.cleaned_data["version"],
                attendees=people,
            )
        except StaleEditError as error:
            if _already_saved(meeting, changes, people):  # the same form sent twice
                messages.info(request, "These changes were already saved.")
                return redirect("meetings:detail", pupil_id=pupil_access.pupil.pk, meeting_id=meeting.pk)
            # Keep what this person typed, against the newer version, beside what is saved now.
            show_refusal(form, error)
            saved = selectors.meetings_for_pupil(pupil_access.pupil).get(pk=meeting.pk)
            return _form_page(
                request, pupil_access, "meetings/edit.html", form=form, attendees=attendees, meeting=saved, stale=True
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting record saved.")
            return redirect("meetings:detail", pupil_id=pupil_access.pupil.pk, meeting_id=meeting.pk)
    if request.method == "GET":
        record_pupil_view(pupil_access, "edit a meeting", str(meeting.pk))
    return _form_page(request, pupil_access, "meetings/edit.html", form=form, attendees=attendees, meeting=meeting)


@require_POST
def mark_shared(request: HttpRequest, pupil_id: int, meeting_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.RECORD_MEETING)
    meeting = _meeting_for(pupil_access, meeting_id)
    require_written_here(pupil_access, "This meeting's record", day=meeting.held_on)
    form = SharedForm(request.POST)
    if form.is_valid():
        try:
            shared = services.mark_shared_with_parents(
                actor=pupil_access.actor, meeting=meeting, shared_on=form.cleaned_data["shared_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if shared:
                messages.success(request, "Noted that the record was shared with the parents.")
            else:
                messages.info(request, "This record was already noted as shared with the parents.")
            return redirect("meetings:detail", pupil_id=pupil_access.pupil.pk, meeting_id=meeting.pk)
    return _detail_page(request, pupil_access, meeting, form, status=400)


@require_POST
def complete_action(request: HttpRequest, pupil_id: int, meeting_id: int, action_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.RECORD_MEETING)
    meeting = _meeting_for(pupil_access, meeting_id)
    action = MeetingAction.objects.filter(pk=action_id, meeting=meeting).first()
    if action is None:
        raise Http404("No such action.")
    action.meeting = meeting
    if services.complete_action(actor=pupil_access.actor, action=action):
        messages.success(request, f"Action done: {action.description}")
    else:
        messages.info(request, "That action was already marked as done.")
    return redirect("meetings:detail", pupil_id=pupil_access.pupil.pk, meeting_id=meeting.pk)


@require_GET
def setting_overview(request: HttpRequest, setting_id: int) -> HttpResponse:
    """For the SENCO: who is short of parent meetings this year, and which actions are overdue."""
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    today = timezone.localdate()
    year_start, _ = academic_year(today)
    pupils = Pupil.objects.enrolled_in(setting, today)
    context = {
        "setting": setting,
        "today": today,
        "year_start": year_start,
        # Each list a page at a time (``?shortfalls=`` and ``?overdue=``): a school's run to hundreds.
        "shortfalls": paging.section(
            request,
            selectors.short_of_parent_meetings(pupils, today),
            param="shortfalls",
            label="pupils short of meetings",
            anchor="shortfalls",
        ),
        "overdue": paging.section(
            request,
            list(selectors.overdue_actions_in_setting(setting, today)),
            param="overdue",
            label="overdue actions",
            anchor="overdue",
        ),
        "reason": selectors.CODE_OF_PRACTICE_REASON,
    }
    record(
        setting_access.actor,
        AuditAction.VIEW,
        object_type="meetings overview",
        object_id=str(setting.pk),
        description="Parent meetings and overdue actions",
    )
    return render(request, "meetings/setting_overview.html", context)
