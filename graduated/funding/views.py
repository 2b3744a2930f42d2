"""Pages for funding records: a pupil's applications and awards, one application (its map, submit,
the LA's decision, a PDF for the LA), and a setting's totals per academic year.

Readers: whoever may see the pupil's whole record (SENCO, senior leaders). Writers: MANAGE_FUNDING
at the setting through which they reach the pupil. Another setting's application is read only.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission, PupilAccess, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.funding import selectors, services
from graduated.funding.exports import application_outline, map_lines
from graduated.funding.forms import ApplicationForm, AwardForm, DecisionForm, SubmitForm, YearFilterForm
from graduated.funding.models import ApplicationStatus, TopUpApplication, academic_year_label
from graduated.lib.errors import ServiceError
from graduated.lib.exports import PDF_TYPE, ExportUnavailableError, attachment, render_pdf
from graduated.lib.forms import show_refusal
from graduated.provision.costs import ELEMENT_2_THRESHOLD


def _reader(request: HttpRequest, pupil_id: int) -> PupilAccess:
    return access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)


def _can_manage(pupil_access: PupilAccess) -> bool:
    # Memberships are cached on the user for the request: this costs no query.
    return OrganisationPermission.MANAGE_FUNDING in access.setting_permissions(pupil_access.user, pupil_access.setting)


def _manager(request: HttpRequest, pupil_id: int) -> PupilAccess:
    """The pupil's access for a change: 404 to outsiders, 403 to those who may see but not manage."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_SUMMARY)
    if not _can_manage(pupil_access):
        raise PermissionDenied("Your role does not allow this.")
    return pupil_access


def _changeable(pupil_access: PupilAccess, application_id: int) -> TopUpApplication:
    application = selectors.application_for(pupil_access, application_id)
    if application.setting_id != pupil_access.setting.pk:
        raise PermissionDenied(f"{application.setting.name} made this application: only they can change it.")
    return application


def _application_url(application: TopUpApplication) -> str:
    return reverse("funding:application", args=[application.pupil_id, application.pk])


def _form_page(
    request: HttpRequest, pupil_access: PupilAccess, template: str, form: Form, **extra: Any
) -> HttpResponse:
    if request.method == "GET":
        record_pupil_view(pupil_access, template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", " "))
    status = 400 if request.method == "POST" else 200
    context = {"pupil": pupil_access.pupil, "access": pupil_access, "form": form, **extra}
    return render(request, template, context, status=status)


# -- A pupil's funding -----------------------------------------------------------------------------


@require_GET
def pupil_funding(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    pupil = pupil_access.pupil
    context = {
        "pupil": pupil, "access": pupil_access, "can_manage": _can_manage(pupil_access),
        "costs": selectors.live_map(pupil, timezone.localdate()), "threshold": ELEMENT_2_THRESHOLD,
        **selectors.pupil_records(pupil),
    }  # fmt: skip
    record_pupil_view(pupil_access, "funding")
    return render(request, "funding/pupil.html", context)


def _application_page(
    request: HttpRequest, pupil_access: PupilAccess, application: TopUpApplication, submit_form: Form, status: int = 200
) -> HttpResponse:
    lines, total = map_lines(application)
    own = application.setting_id == pupil_access.setting.pk and _can_manage(pupil_access)
    context = {
        "pupil": pupil_access.pupil, "access": pupil_access, "application": application, "lines": lines,
        "total": total, "threshold": ELEMENT_2_THRESHOLD, "above": max(total - ELEMENT_2_THRESHOLD, 0),
        "can_edit": own and application.is_draft, "submit_form": submit_form,
        "can_decide": own and application.status == ApplicationStatus.SUBMITTED,
    }  # fmt: skip
    return render(request, "funding/application.html", context, status=status)


@require_GET
def application_detail(request: HttpRequest, pupil_id: int, application_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    application = selectors.application_for(pupil_access, application_id)
    record_pupil_view(pupil_access, "top-up application", str(application.pk))
    return _application_page(request, pupil_access, application, SubmitForm(initial={"version": application.version}))


@require_http_methods(["GET", "POST"])
def new_application(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _manager(request, pupil_id)
    today = timezone.localdate()
    costs = selectors.live_map(pupil_access.pupil, today)
    start, end = costs.period
    initial = {"period_from": start, "period_to": end, "amount_requested": costs.above_threshold}
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_draft(
                actor=pupil_access.actor, pupil=pupil_access.pupil, setting=pupil_access.setting, details=form.details()
            )
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Draft application saved. Check the costed provision map, then submit it.")
            return redirect(_application_url(application))
    return _form_page(request, pupil_access, "funding/application_form.html", form, costs=costs)


@require_http_methods(["GET", "POST"])
def edit_application(request: HttpRequest, pupil_id: int, application_id: int) -> HttpResponse:
    pupil_access = _manager(request, pupil_id)
    application = _changeable(pupil_access, application_id)
    if not application.is_draft:
        messages.error(request, "This application has been submitted: it can no longer be changed.")
        return redirect(_application_url(application))
    saved = {name: getattr(application, name) for name in services.DRAFT_FIELDS}
    form = ApplicationForm(request.POST or None, initial={**saved, "version": application.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(
                actor=pupil_access.actor, application=application, details=form.details(),
                expected_version=form.cleaned_data["version"] or 0,
            )  # fmt: skip
        except ServiceError as error:
            # Keep what they typed (after a stale edit, against the version saved now, shown beside it).
            stale = show_refusal(form, error)
        else:
            messages.success(request, "Draft application saved.")
            return redirect(_application_url(application))
    return _form_page(
        request, pupil_access, "funding/application_form.html", form, application=application, stale=stale
    )


@require_POST
def submit(request: HttpRequest, pupil_id: int, application_id: int) -> HttpResponse:
    pupil_access = _manager(request, pupil_id)
    application = _changeable(pupil_access, application_id)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            submitted = services.submit_application(
                actor=pupil_access.actor, application=application, expected_version=form.cleaned_data["version"],
                submitted_on=timezone.localdate(),
            )  # fmt: skip
        except ServiceError as error:
            # Changed since the page was opened: show what is saved now, to check before submitting.
            application.refresh_from_db()
            show_refusal(form, error)
        else:
            if submitted:
                messages.success(request, "Application submitted. The costed provision map is attached as it is today.")
            else:
                messages.info(request, "This application had already been submitted: nothing has changed.")
            return redirect(_application_url(application))
    return _application_page(request, pupil_access, application, form, status=400)


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pupil_id: int, application_id: int) -> HttpResponse:
    pupil_access = _manager(request, pupil_id)
    application = _changeable(pupil_access, application_id)
    if request.method == "GET" and application.status != ApplicationStatus.SUBMITTED:
        messages.error(request, "Only a submitted application awaiting the local authority's decision can be decided.")
        return redirect(_application_url(application))
    form = DecisionForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_decision(
                actor=pupil_access.actor, application=application, approved=data["outcome"] == "approved",
                decided_on=data["decided_on"], amount_approved=data["amount_approved"], note=data["note"],
                expected_version=data["version"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Decision recorded: {application.get_status_display().lower()}.")
            return redirect(_application_url(application))
    return _form_page(request, pupil_access, "funding/decision_form.html", form, application=application)


@require_http_methods(["GET", "POST"])
def new_award(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _manager(request, pupil_id)
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.record_award(
                actor=pupil_access.actor, pupil=pupil_access.pupil, setting=pupil_access.setting,
                details=form.details(),
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{award.get_kind_display()} award recorded.")
            return redirect("funding:pupil", pupil_id=pupil_access.pupil.pk)
    return _form_page(request, pupil_access, "funding/award_form.html", form)


@require_GET
def application_pdf(request: HttpRequest, pupil_id: int, application_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    application = selectors.application_for(pupil_access, application_id)
    outline = application_outline(application)
    try:
        content = render_pdf(outline)
    except ExportUnavailableError as error:
        return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)
    record(
        pupil_access.actor, AuditAction.EXPORT, object_type="top-up application", object_id=str(application.pk),
        pupil_id=pupil_access.pupil.pk, description=f"Top-up funding application ({outline.subtitle}) as PDF",
    )  # fmt: skip
    return attachment(content, PDF_TYPE, outline.filename("pdf"))


# -- A setting's funding ---------------------------------------------------------------------------


@require_GET
def setting_overview(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    totals = selectors.year_totals(setting)
    form = YearFilterForm(request.GET or None, years=[row.year_starting for row in reversed(totals)])
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
    applications, awards = selectors.setting_records(setting, year)
    record(
        setting_access.actor, AuditAction.VIEW, object_type="funding overview",
        object_id=str(setting.pk), description=f"Funding, {academic_year_label(year) if year else 'every year'}",
    )  # fmt: skip
    context = {
        "setting": setting, "form": form, "year": year, "applications": applications, "awards": awards,
        "totals": [row for row in totals if year is None or row.year_starting == year],
    }  # fmt: skip
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "funding/setting_overview.html", context, status=status)
