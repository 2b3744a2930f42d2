"""A pupil's documents: the list with an upload form, the access-checked download, removal."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import PupilAccess, require_written_here
from graduated.access import PupilPermission as P
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.documents import attachments, services
from graduated.documents.forms import DocumentForm
from graduated.documents.models import Document

# Reading: the whole-record roles (SENCO, senior leaders): reports hold health information that
# the summary given to linked teachers leaves out. Uploading: those who plan support (the SENCO).
UPLOAD = P.PLAN_SUPPORT


def _document(pupil_access: PupilAccess, document_id: int) -> Document:
    document = Document.objects.filter(pk=document_id, pupil=pupil_access.pupil).first()
    if document is None:
        raise Http404("No such document.")
    return document


@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    pupil = pupil_access.pupil
    # Adding to a cycle or a meeting: ?to=cycle:12 on the link, a hidden field in the form.
    attach_to = request.POST.get("attached_to", request.GET.get("to", ""))
    attach_label = attachments.describe(pupil, attach_to) if attach_to else None
    if attach_to and attach_label is None:
        raise Http404("No such cycle or meeting.")
    form = DocumentForm()
    status = 200
    if request.method == "POST":
        pupil_access.require(UPLOAD)
        # Oversized requests never get here: lib.middleware.RequestSizeLimitMiddleware refuses them.
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid() and form.file_type is not None:
            try:
                document = services.add_document(
                    actor=pupil_access.actor,
                    pupil=pupil,
                    upload=form.cleaned_data["file"],
                    file_type=form.file_type,
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    dated=form.cleaned_data["dated"],
                    attached_to=attach_to,
                    shared_with_family=form.cleaned_data["shared_with_family"],
                )
            except services.DuplicateDocumentError:
                form.add_error("file", "This file has already been added to this pupil's documents")
            else:
                messages.success(request, f"{document.title} has been added.")
                return redirect("documents:list", pupil_id=pupil.pk)
        status = 400
    else:
        record_pupil_view(pupil_access, "documents")
    context = {
        "pupil": pupil,
        "access": pupil_access,
        "documents": pupil.documents.select_related("uploaded_by"),
        "form": form,
        "can_upload": pupil_access.can(UPLOAD),
        "can_remove": pupil_access.can(P.EDIT),
        "attach_to": attach_to,
        "attach_label": attach_label,
    }
    return render(request, "documents/documents.html", context, status=status)


@require_GET
def download(request: HttpRequest, pupil_id: int, document_id: int) -> FileResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_RECORD)
    document = _document(pupil_access, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    record(
        pupil_access.actor,
        AuditAction.VIEW,
        obj=document,
        pupil_id=document.pupil_id,
        description=services.audit_description("Downloaded", document),
    )
    # Always an attachment, with the type found when it was checked: never rendered by the browser.
    return FileResponse(handle, as_attachment=True, filename=document.download_name, content_type=document.content_type)


@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pupil_id: int, document_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.EDIT)
    document = _document(pupil_access, document_id)
    require_written_here(pupil_access, document.title, day=document.dated)
    if request.method == "POST":
        services.remove_document(actor=pupil_access.actor, document=document)
        messages.success(request, f"{document.title} has been removed.")
        return redirect("documents:list", pupil_id=pupil_access.pupil.pk)
    return render(
        request, "documents/remove.html", {"pupil": pupil_access.pupil, "access": pupil_access, "document": document}
    )
