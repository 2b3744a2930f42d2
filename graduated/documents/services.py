"""Adding and removing a pupil's documents: the file, the audit event and the chronology together."""

import hashlib
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.documents.content_types import FileType
from graduated.documents.models import Document, DocumentKind
from graduated.lib.errors import ServiceError
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def audit_description(done: str, document: Document) -> str:
    """What an audit event says about a document: its id and kind, never its title or file name,
    which may name the pupil and would outlive the record in the audit trail."""
    return f"{done} document {document.pk} ({document.kind})"


class DuplicateDocumentError(ServiceError):
    """The same file is already among the pupil's documents (often a double submit)."""

    default_message = "This file is already among the pupil's documents."


@transaction.atomic
def add_document(
    *,
    actor: Actor,
    pupil: Pupil,
    upload: UploadedFile,
    file_type: FileType,
    title: str,
    kind: DocumentKind | str,
    dated: date,
    attached_to: str = "",
    shared_with_family: bool = False,
) -> Document:
    """Store an upload already checked by the form (size, type by content)."""
    sha256 = _sha256(upload)
    if Document.objects.select_for_update().filter(pupil=pupil, sha256=sha256).exists():
        raise DuplicateDocumentError
    document = Document(
        pupil=pupil,
        title=title,
        kind=kind,
        dated=dated,
        original_name=(upload.name or "document")[-255:],
        content_type=file_type.content_type,
        size=upload.size or 0,
        sha256=sha256,
        attached_to=attached_to,
        uploaded_by=actor.user,
        shared_with_family=shared_with_family,
    )
    document.file.save("upload", upload, save=False)
    try:
        document.save()
        add_to_chronology(
            pupil,
            actor,
            ChronologyKind.DOCUMENT_ADDED,
            dated,
            f"Document added: {title} ({document.get_kind_display()})",
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=document,
            pupil_id=pupil.pk,
            description=audit_description("Uploaded", document),
        )
    except BaseException:
        # Nothing was recorded, so the stored file must not stay behind either.
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def remove_document(*, actor: Actor, document: Document) -> None:
    record(
        actor,
        AuditAction.DELETE,
        obj=document,
        pupil_id=document.pupil_id,
        description=audit_description("Removed", document),
    )
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    # The file goes only once the row's removal is committed, so a rollback loses nothing.
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)
