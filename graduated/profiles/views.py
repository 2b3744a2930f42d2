"""The one-page profile pages: the current version, writing a new one, the history, and printing."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import PupilAccess, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.lib.exports import DOCX_TYPE, PDF_TYPE, ExportUnavailableError, attachment, render_docx, render_pdf
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.profiles import services
from graduated.profiles.exports import profile_outline
from graduated.profiles.forms import ProfileForm
from graduated.profiles.models import SECTION_FIELDS, OnePageProfile, ProfileVersion

P = PupilPermission


def _viewed(pupil_access: PupilAccess, what: str, version: ProfileVersion | None = None) -> None:
    """Every look at a profile leaves one audit event, naming the version seen when there is one."""
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
        "can_edit": pupil_access.can(P.EDIT_PROFILE),
        **extra,
    }
    return render(request, template, context, status=status)


@require_GET
def profile(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    version = services.current_version(pupil_access.pupil)
    _viewed(pupil_access, "one-page profile", version)
    return _page(request, pupil_access, "profiles/profile.html", version=version, is_current=True)


@require_GET
def version(request: HttpRequest, pupil_id: int, number: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    pupil = pupil_access.pupil
    found = ProfileVersion.objects.of_pupil(pupil).select_related("recorded_by").filter(number=number).first()
    if found is None:
        raise Http404("No such version.")
    latest = OnePageProfile.objects.filter(pupil=pupil).values_list("version", flat=True).first()
    _viewed(pupil_access, "one-page profile version", found)
    return _page(request, pupil_access, "profiles/profile.html", version=found, is_current=found.number == latest)


@require_GET
def history(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    # The list shows who and when, not the text: leave the long sections in the database.
    versions = (
        ProfileVersion.objects.of_pupil(pupil_access.pupil)
        .select_related("recorded_by")
        .defer(*SECTION_FIELDS)
        .order_by("-number")
    )
    page = Paginator(versions, 50).get_page(request.GET.get("page"))
    _viewed(pupil_access, "one-page profile history")
    return _page(request, pupil_access, "profiles/history.html", page=page)


@require_GET
def print_profile(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    version = services.current_version(pupil_access.pupil)
    _viewed(pupil_access, "one-page profile, print version", version)
    return _page(request, pupil_access, "profiles/print.html", version=version)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT_PROFILE)
    pupil = pupil_access.pupil
    current = services.current_version(pupil)
    initial = ProfileForm.initial_from(current, current.number if current else 0)
    form = ProfileForm(request.POST or None, initial=initial, pupil=pupil, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.save_profile(
                actor=pupil_access.actor,
                pupil=pupil,
                expected_version=form.cleaned_data["version"],
                content=form.content,
                written_on=form.cleaned_data["written_on"],
            )
        except StaleEditError as error:
            if error.current is None:  # no newer version to show yet: the message asks them to save again
                show_refusal(form, error)
            else:
                # Keep this person's typing, now on top of the newer version, beside what is saved.
                form = ProfileForm(form.data, initial=initial, pupil=pupil, current=error.current)
                show_refusal(form, error)
                _viewed(pupil_access, "one-page profile saved by someone else", error.current)
                return _page(
                    request, pupil_access, "profiles/edit.html", 400, form=form, current=current, stale=error.current
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.created:
                messages.success(request, f"One-page profile saved (version {result.version.number}).")
            else:
                messages.info(request, "Nothing was changed, so no new version was saved.")
            return redirect("profiles:profile", pupil_id=pupil.pk)
    if request.method == "GET":
        _viewed(pupil_access, "one-page profile form", current)
    status = 400 if request.method == "POST" else 200
    return _page(request, pupil_access, "profiles/edit.html", status, form=form, current=current)


@require_GET
def export(request: HttpRequest, pupil_id: int, file_format: str) -> HttpResponse:
    """The current profile as a tagged PDF or an editable Word file, always as a download."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    version = services.current_version(pupil_access.pupil)
    if version is None or file_format not in ("pdf", "docx"):
        raise Http404("No profile to export.")
    outline = profile_outline(pupil_access.pupil, version)
    try:
        content = render_pdf(outline) if file_format == "pdf" else render_docx(outline)
    except ExportUnavailableError as error:
        return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)
    record(
        pupil_access.actor,
        AuditAction.EXPORT,
        obj=version,
        pupil_id=pupil_access.pupil.pk,
        description=f"One-page profile version {version.number} as {file_format.upper()}",
    )
    content_type = PDF_TYPE if file_format == "pdf" else DOCX_TYPE
    return attachment(content, content_type, outline.filename(file_format))
