"""Photos and notes a family adds to their views before a review, and the documents the school
shares with the family.

A photo is stored as one of the pupil's documents (kind "From the family", shared with the family)
through the documents app, so its checks, storage and audit are the same as a staff upload's; the
evidence joins it to the family's note and the aim it is about. Files are only ever served as
attachments through an access-checked view, here for the family and in graduated.documents for
staff.
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone

from graduated.access import FamilyAccess
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.documents.attachments import key_for
from graduated.documents.models import Document, DocumentKind
from graduated.documents.services import DuplicateDocumentError, add_document
from graduated.families.models import ViewsEvidence, ViewsRequest
from graduated.families.views_services import ViewsError
from graduated.support.models import Cycle, CycleStatus, Outcome


def add_evidence(
    *, family: FamilyAccess, asked: ViewsRequest, outcome_id: int | None, photo: UploadedFile | None,
    file_type: Any, note: str,
) -> ViewsEvidence:  # fmt: skip
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=asked.cycle_id)
        if cycle.status != CycleStatus.DO:
            raise ViewsError("The review has already happened, so this could not be added. Tell the school.")
        outcome = None
        if outcome_id is not None:
            outcome = Outcome.objects.filter(pk=outcome_id, cycle=cycle).first()
            if outcome is None:
                raise ViewsError("Choose one of the aims of this plan.")
        document = None
        if photo is not None:
            about = f": {outcome.description}" if outcome else ""
            try:
                document = add_document(
                    actor=family.actor, pupil=family.pupil, upload=photo, file_type=file_type,
                    title=f"Photo from {family.user.full_name}{about}"[:200], kind=DocumentKind.FAMILY,
                    dated=timezone.localdate(), attached_to=key_for("cycle", cycle.pk), shared_with_family=True,
                )  # fmt: skip
            except DuplicateDocumentError as error:
                raise ViewsError("You have sent this photo already.") from error
        evidence = ViewsEvidence.objects.create(
            request=asked, link=family.link, outcome=outcome, note=note.strip(), document=document
        )
        record(family.actor, AuditAction.CREATE, obj=evidence, pupil_id=family.pupil.pk,
               changed_fields=["outcome", "note", "document"],
               description=f"The family added {'a photo' if document else 'a note'} to their views")  # fmt: skip
    return evidence


def evidence_for(asked: ViewsRequest | None, link: Any = None) -> list[ViewsEvidence]:
    """The family's photos and notes for a request for views (one family member's, with ``link``)."""
    if asked is None:
        return []
    found = ViewsEvidence.objects.filter(request=asked).select_related("link__user", "outcome", "document")
    if link is not None:
        found = found.filter(link=link)
    return list(found.order_by("added_at", "pk"))


def shared_documents(family: FamilyAccess) -> QuerySet[Document]:
    return Document.objects.filter(pupil=family.pupil, shared_with_family=True)


def download_shared(family: FamilyAccess, document_id: int) -> FileResponse:
    """A document shared with the family, as an attachment; anything else is a 404."""
    document = shared_documents(family).filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing.") from error
    record(family.actor, AuditAction.VIEW, obj=document, pupil_id=family.pupil.pk,
           description=f"The family downloaded {document.title}")  # fmt: skip
    return FileResponse(handle, as_attachment=True, filename=document.download_name, content_type=document.content_type)
