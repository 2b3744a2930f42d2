"""A pupil's record: the pupil page, chronology, audit log, and the SENCO's changes to it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import PupilAccess, PupilPermission
from graduated.audit.models import AuditEvent
from graduated.audit.services import record_pupil_view
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.pupils import selectors, services
from graduated.pupils.forms import EditPupilForm, EndNeedForm, NeedForm, StaffLinkForm, StatusForm
from graduated.pupils.models import Need, StaffLink
from graduated.pupils.panels import pupil_panels

P = PupilPermission


@require_GET
def detail(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id)
    context = {
        "access": pupil_access,
        "pupil": pupil_access.pupil,
        "can_edit": pupil_access.can(P.EDIT),
        "can_view_record": pupil_access.can(P.VIEW_RECORD),
        "can_view_audit": pupil_access.can(P.VIEW_AUDIT),
        **selectors.pupil_record(pupil_access.pupil, remember_status=True),
        "panels": pupil_panels(pupil_access),
    }
    if not pupil_access.can(P.VIEW_RECORD):
        # Teachers and TAs see the summary only: the histories stay with the SENCO and leaders.
        for key in ("status_history", "past_needs", "chronology", "staff_links"):
            context[key] = []
    record_pupil_view(pupil_access, "pupil record")
    return render(request, "pupils/detail.html", context)


@require_GET
def chronology(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    entries = selectors.chronology_entries(pupil_access.pupil)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    record_pupil_view(pupil_access, "chronology")
    return render(
        request, "pupils/chronology.html", {"pupil": pupil_access.pupil, "access": pupil_access, "page": page}
    )


@require_GET
def audit_log(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """Who viewed or changed this pupil's record, newest first."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_AUDIT)
    record_pupil_view(pupil_access, "audit log")
    events = AuditEvent.objects.filter(pupil_id=pupil_access.pupil.pk)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "pupils/audit_log.html", {"pupil": pupil_access.pupil, "access": pupil_access, "page": page})


def _form_page(
    request: HttpRequest, pupil_access: PupilAccess, template: str, form: Form, **extra: object
) -> HttpResponse:
    if request.method == "GET":
        record_pupil_view(pupil_access, template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", " "))
    status = 400 if request.method == "POST" else 200
    return render(
        request, template, {"pupil": pupil_access.pupil, "access": pupil_access, "form": form, **extra}, status=status
    )


@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    pupil = pupil_access.pupil
    fields = list(EditPupilForm.base_fields)
    initial = {name: getattr(pupil, name) for name in fields if name != "version"}
    initial["home_local_authority"] = pupil.home_local_authority_id
    initial["version"] = pupil.version
    form = EditPupilForm(request.POST or None, initial=initial, pupil=pupil)
    if request.method == "POST" and form.is_valid():
        changed = [name for name in form.changed_data if name != "version"]
        changes = {name: form.cleaned_data[name] for name in changed}
        try:
            services.update_pupil_details(
                actor=pupil_access.actor, pupil=pupil, changes=changes, expected_version=form.cleaned_data["version"]
            )
        except ServiceError as error:
            # The pupil as saved now is shown beside what this person typed.
            stale = show_refusal(form, error)
            return _form_page(request, pupil_access, "pupils/edit_details.html", form, stale=stale)
        messages.success(request, "Details saved." if changes else "Nothing was changed.")
        return redirect("pupils:detail", pupil_id=pupil.pk)
    return _form_page(request, pupil_access, "pupils/edit_details.html", form)


@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    pupil = pupil_access.pupil
    form = StatusForm(request.POST or None, pupil=pupil)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.change_sen_status(actor=pupil_access.actor, pupil=pupil, **form.cleaned_data)
        except ValidationError as error:  # someone changed the status since the form was checked
            form.add_error(None, error)
        else:
            messages.success(request, f"SEN status is now {period.get_status_display()}.")
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return _form_page(
        request, pupil_access, "pupils/change_status.html", form, current_status=services.current_status(pupil)
    )


@require_http_methods(["GET", "POST"])
def add_need(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    form = NeedForm(request.POST or None, pupil=pupil_access.pupil)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.record_need(actor=pupil_access.actor, pupil=pupil_access.pupil, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Need recorded: {need.get_sen_type_display()}.")
            return redirect("pupils:detail", pupil_id=pupil_access.pupil.pk)
    return _form_page(request, pupil_access, "pupils/add_need.html", form)


def _need_for(pupil_access: PupilAccess, need_id: int) -> Need:
    need = pupil_access.pupil.needs.filter(pk=need_id).first()
    if need is None:
        raise Http404("No such need.")
    return need


@require_http_methods(["GET", "POST"])
def end_need(request: HttpRequest, pupil_id: int, need_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    need = _need_for(pupil_access, need_id)
    form = EndNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_need(actor=pupil_access.actor, need=need, end_date=form.cleaned_data["end_date"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Need ended: {need.get_sen_type_display()}.")
            return redirect("pupils:detail", pupil_id=pupil_access.pupil.pk)
    return _form_page(request, pupil_access, "pupils/end_need.html", form, need=need)


@require_http_methods(["GET", "POST"])
def link_staff(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    form = StaffLinkForm(request.POST or None, setting=pupil_access.setting)
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        services.link_staff(
            actor=pupil_access.actor,
            pupil=pupil_access.pupil,
            setting=pupil_access.setting,
            user=membership.user,
            relationship=form.cleaned_data["relationship"],
        )
        messages.success(request, f"{membership.user.full_name} is now linked to this pupil.")
        return redirect("pupils:detail", pupil_id=pupil_access.pupil.pk)
    return _form_page(request, pupil_access, "pupils/link_staff.html", form)


@require_POST
def unlink_staff(request: HttpRequest, pupil_id: int, link_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    link = StaffLink.objects.filter(pk=link_id, pupil=pupil_access.pupil).select_related("user").first()
    if link is None:
        # Already removed (a double submit) or another pupil's link: nothing to do.
        messages.info(request, "That member of staff is no longer linked to this pupil.")
    else:
        services.unlink_staff(actor=pupil_access.actor, link=link)
        messages.success(request, f"{link.user.full_name} is no longer linked to this pupil.")
    return redirect("pupils:detail", pupil_id=pupil_access.pupil.pk)
