"""Downloads of SEN support plans: one cycle as PDF or Word, and the whole APDR history as one PDF."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import PupilAccess, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.lib.exports import (
    DOCX_TYPE,
    PDF_TYPE,
    ExportUnavailableError,
    Outline,
    attachment,
    render_docx,
    render_pdf,
)
from graduated.support.exports import cycles_for_export, history_outline, plan_outline

FORMATS = {"pdf": (render_pdf, PDF_TYPE), "docx": (render_docx, DOCX_TYPE)}


def _download(
    request: HttpRequest, pupil_access: PupilAccess, outline: Outline, file_format: str, what: str
) -> HttpResponse:
    render_file, content_type = FORMATS[file_format]
    try:
        content = render_file(outline)
    except ExportUnavailableError as error:
        return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)
    record(
        pupil_access.actor,
        AuditAction.EXPORT,
        object_type="support plan",
        object_id=str(pupil_access.pupil.pk),
        pupil_id=pupil_access.pupil.pk,
        # ``what``, not the outline's title, which names the pupil: audit rows outlive the record.
        description=f"{what} ({outline.subtitle}) as {file_format.upper()}",
    )
    return attachment(content, content_type, outline.filename(file_format))


@require_GET
def plan_export(request: HttpRequest, pupil_id: int, cycle_id: int, file_format: str) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id)
    if file_format not in FORMATS:
        raise Http404("No such format.")
    cycle = next((c for c in cycles_for_export(pupil_access.pupil) if c.pk == cycle_id), None)
    if cycle is None:
        raise Http404("No such cycle.")
    whole_record = pupil_access.can(PupilPermission.VIEW_RECORD)
    outline = plan_outline(pupil_access.pupil, cycle, whole_record=whole_record)
    return _download(request, pupil_access, outline, file_format, "SEN support plan")


@require_GET
def history_export(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)
    outline = history_outline(pupil_access.pupil, cycles_for_export(pupil_access.pupil))
    return _download(request, pupil_access, outline, "pdf", "Assess, plan, do, review history")
