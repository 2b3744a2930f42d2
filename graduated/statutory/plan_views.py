"""PCP meetings and My Support Plans: the plan and its versions, writing a version, exports,
recording a PCP meeting, and the setting's list of plan reviews due.

The plan holds family, health and social care information, so reading it needs the whole record
(VIEW_RECORD: SENCOs, senior leaders) and writing it PLAN_SUPPORT (SENCOs). Linked teachers and
teaching assistants reach the pupil but not the plan: 403.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission, PupilAccess, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.lib.exports import DOCX_TYPE, PDF_TYPE, ExportUnavailableError, attachment, render_docx, render_pdf
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.meetings import services as meeting_services
from graduated.meetings.forms import RowFormSet, action_formset, attendee_formset
from graduated.statutory import plan_selectors as selectors
from graduated.statutory import plan_services as services
from graduated.statutory.models import REVIEW_DUE_SOON_DAYS, PlanVersion
from graduated.statutory.plan_exports import plan_outline
from graduated.statutory.plan_forms import PcpMeetingForm, PlanForm, check_outcome_dates, outcome_formset

P = PupilPermission
RECENT_MEETINGS = 10


def _viewed(pupil_access: PupilAccess, what: str, version: PlanVersion | None = None) -> None:
    """Every look at a plan leaves one audit event, naming the version seen when there is one."""
    if version is not None:
        record(pupil_access.actor, AuditAction.VIEW, obj=version, pupil_id=pupil_access.pupil.pk, description=what)
    else:
        record_pupil_view(pupil_access, what)


def _page(
    request: HttpRequest, pupil_access: PupilAccess, template: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "pupil": pupil_access.pupil,
        "access": pupil_access,
        "can_edit": pupil_access.can(P.PLAN_SUPPORT),
        **extra,
    }
    return render(request, template, context, status=status)


def _plan_page(request: HttpRequest, pupil_access: PupilAccess, version: PlanVersion | None, **extra: Any) -> Any:
    meetings = list(selectors.pcp_meetings(pupil_access.pupil)[:RECENT_MEETINGS])
    return _page(request, pupil_access, "statutory/plan_detail.html", version=version, meetings=meetings, **extra)


@require_GET
def plan(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    version = selectors.current_version(pupil_access.pupil)
    _viewed(pupil_access, "My Support Plan", version)
    return _plan_page(request, pupil_access, version, is_current=True, today=timezone.localdate())


@require_GET
def plan_version(request: HttpRequest, pupil_id: int, number: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    found = selectors.version_numbered(pupil_access.pupil, number)
    if found is None:
        raise Http404("No such version.")
    _viewed(pupil_access, "My Support Plan version", found)
    return _plan_page(request, pupil_access, found, is_current=found.number == found.plan.version)


@require_GET
def plan_history(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    page = Paginator(selectors.history(pupil_access.pupil), 50).get_page(request.GET.get("page"))
    _viewed(pupil_access, "My Support Plan history")
    return _page(request, pupil_access, "statutory/plan_history.html", page=page)


def _apply_errors(form: PlanForm, error: ValidationError) -> None:
    """A service's date errors, on the field they concern where the form has it."""
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    pupil = pupil_access.pupil
    current = selectors.current_version(pupil)
    meetings = selectors.pcp_meetings(pupil)
    prefill = selectors.prefill_from_record(pupil) if current is None else {}
    initial = PlanForm.initial_from(current, current.number if current else 0, prefill, meetings.first())
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, initial=initial, pupil=pupil, current=current, meetings=meetings)
    outcomes = outcome_formset(data, current)
    context: dict[str, Any] = {"current": current, "outcomes": outcomes, "prefilled": bool(prefill)}
    valid = form.is_valid()
    valid = outcomes.is_valid() and valid
    if valid and check_outcome_dates(outcomes, form.cleaned_data["agreed_on"]):
        try:
            result = services.save_plan(
                actor=pupil_access.actor,
                pupil=pupil,
                setting=pupil_access.setting,
                expected_version=form.cleaned_data["version"],
                content=form.content([row.as_data() for row in outcomes.filled()]),
                agreed_on=form.cleaned_data["agreed_on"],
                next_review_on=form.cleaned_data["next_review_on"],
            )
        except StaleEditError as error:
            if error.current is None:  # no newer version to show yet: the message asks them to save again
                show_refusal(form, error)
            else:
                # Keep this person's typing, now on top of the newer version, beside what is saved.
                form = PlanForm(form.data, initial=initial, pupil=pupil, current=error.current, meetings=meetings)
                show_refusal(form, error)
                stale = selectors.current_version(pupil)
                _viewed(pupil_access, "My Support Plan saved by someone else", stale)
                return _page(request, pupil_access, "statutory/plan_edit.html", 400, form=form, **context, stale=stale)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if result.created:
                messages.success(request, f"My Support Plan saved (version {result.version.number}).")
            else:
                messages.info(request, "Nothing was changed, so no new version was saved.")
            return redirect("statutory:plan", pupil_id=pupil.pk)
    if request.method == "GET":
        _viewed(pupil_access, "My Support Plan form", current)
    status = 400 if request.method == "POST" else 200
    return _page(request, pupil_access, "statutory/plan_edit.html", status, form=form, **context)


@require_GET
def plan_export(request: HttpRequest, pupil_id: int, file_format: str, number: int | None = None) -> HttpResponse:
    """The current (or a numbered) version as a tagged PDF or an editable Word file, always a download."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    pupil = pupil_access.pupil
    version = selectors.current_version(pupil) if number is None else selectors.version_numbered(pupil, number)
    if version is None or file_format not in ("pdf", "docx"):
        raise Http404("No plan to export.")
    outline = plan_outline(pupil, version)
    try:
        content = render_pdf(outline) if file_format == "pdf" else render_docx(outline)
    except ExportUnavailableError as error:
        return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)
    record(
        pupil_access.actor,
        AuditAction.EXPORT,
        obj=version,
        pupil_id=pupil.pk,
        description=f"My Support Plan version {version.number} as {file_format.upper()}",
    )
    return attachment(content, PDF_TYPE if file_format == "pdf" else DOCX_TYPE, outline.filename(file_format))


def _pcp_forms_valid(form: PcpMeetingForm, attendees: RowFormSet, actions: RowFormSet) -> bool:
    valid = form.is_valid()
    valid = attendees.is_valid() and valid
    valid = actions.is_valid() and valid
    if not valid:
        return False
    held_on = form.cleaned_data["held_on"]
    for row in actions.filled():
        if row.cleaned_data["due_on"] < held_on:
            row.add_error("due_on", f"Action {row.number} must be due on or after the meeting ({held_on:%-d %B %Y})")
            valid = False
    return valid


@require_http_methods(["GET", "POST"])
def pcp_record(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    setting = pupil_access.setting
    data = request.POST if request.method == "POST" else None
    form = PcpMeetingForm(data, setting=setting)
    attendees = attendee_formset(data)
    actions = action_formset(setting, data)
    if request.method == "POST" and _pcp_forms_valid(form, attendees, actions):
        try:
            meeting = services.record_pcp_meeting(
                actor=pupil_access.actor,
                pupil=pupil_access.pupil,
                held_on=form.cleaned_data["held_on"],
                agreed=form.cleaned_data["discussed"],
                headings=form.headings(),
                attendees=[*form.staff_attendees(), *(row.as_data() for row in attendees.filled())],
                actions=[row.as_data() for row in actions.filled()],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except meeting_services.DuplicateMeetingError as duplicate:
            messages.info(request, "This meeting was already recorded: it has not been recorded twice.")
            return redirect("statutory:pcp_detail", pupil_id=pupil_access.pupil.pk, meeting_id=duplicate.meeting.pk)
        else:
            messages.success(request, "Person-centred planning meeting recorded.")
            return redirect("statutory:pcp_detail", pupil_id=pupil_access.pupil.pk, meeting_id=meeting.pk)
    if request.method == "GET":
        record_pupil_view(pupil_access, "record a person-centred planning meeting")
    status = 400 if request.method == "POST" else 200
    return _page(
        request, pupil_access, "statutory/pcp_record.html", status, form=form, attendees=attendees, actions=actions
    )


@require_GET
def pcp_detail(request: HttpRequest, pupil_id: int, meeting_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    meeting = selectors.pcp_meeting(pupil_access.pupil, meeting_id)
    if meeting is None:
        raise Http404("No such meeting.")
    record_pupil_view(pupil_access, "person-centred planning meeting", str(meeting.pk))
    headings = getattr(meeting, "person_centred_record", None)
    return _page(request, pupil_access, "statutory/pcp_detail.html", meeting=meeting, pcp=headings)


@require_GET
def reviews_due(request: HttpRequest, setting_id: int) -> HttpResponse:
    """For the SENCO and senior leaders: plans whose review is due within two weeks, or overdue."""
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    today = timezone.localdate()
    due = selectors.reviews_due(setting, today)
    record(
        setting_access.actor,
        AuditAction.VIEW,
        object_type="my support plan reviews",
        object_id=str(setting.pk),
        description="My Support Plan reviews due",
    )
    context = {
        "setting": setting,
        "today": today,
        "due": due,
        "soon_days": REVIEW_DUE_SOON_DAYS,
        "due_by": today + timedelta(days=REVIEW_DUE_SOON_DAYS),
    }
    return render(request, "statutory/plan_reviews_due.html", context)
