from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.documents import services
from graduated.documents.content_types import PDF
from graduated.documents.models import Document
from graduated.documents.tests.files import PDF_BYTES, PNG_BYTES, docx_bytes, upload
from graduated.lib.testing import World

ACTOR = Actor.system("test")


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "file": upload("Speech report.pdf", PDF_BYTES), "title": "Speech and language report", "kind": "report",
        "dated_0": "2", "dated_1": "10", "dated_2": "2026",
    }  # fmt: skip
    data.update(changes)
    return data


def _list(world: World) -> str:
    return reverse("documents:list", args=[world.p1.pk])


def test_senco_uploads_a_report_and_downloads_it_as_an_attachment(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    response = client.post(_list(world), _form())
    assert response.status_code == 302
    document = Document.objects.get(pupil=world.p1)
    assert (document.title, document.content_type, document.size) == (
        "Speech and language report",
        PDF.content_type,
        len(PDF_BYTES),
    )
    stored = Path(document.file.path)
    # Stored under MEDIA_ROOT with a generated name that says nothing about the pupil or the file.
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT)) and "Speech" not in stored.name
    assert stored.read_bytes() == PDF_BYTES
    entry = world.p1.chronology.get(kind="document_added")
    assert (entry.occurred_on, entry.summary) == (
        date(2026, 10, 2),
        "Document added: Speech and language report (Report from a specialist)",
    )

    download = client.get(reverse("documents:download", args=[world.p1.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and "Speech report.pdf" in download["Content-Disposition"]
    )
    assert b"".join(download.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    events = AuditEvent.objects.filter(pupil_id=world.p1.pk, object_type="documents.document").order_by("pk")
    # The audit trail outlives the record: it names the document by id and kind, never by its
    # title or file name, which may name the pupil.
    assert [(e.action, e.object_id, e.description) for e in events] == [
        ("create", str(document.pk), f"Uploaded document {document.pk} (report)"),
        ("view", str(document.pk), f"Downloaded document {document.pk} (report)"),
    ]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("report.pdf", b"MZ\x90\x00 an executable renamed"), "content is not a PDF"),
        (upload("photo.pdf", PNG_BYTES), "named .pdf but its content is a PNG image"),
        (upload("script.html", b"<script>alert(1)</script>"), "must be a PDF, Word"),
        (upload("empty.pdf", b""), "The file you chose is empty"),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(
    world: World, client_for: Callable[..., Client], file: object, message: str
) -> None:
    response = client_for(world.senco_a).post(_list(world), _form(file=file))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_word_documents_are_recognised_by_their_content(world: World, client_for: Callable[..., Client]) -> None:
    response = client_for(world.senco_a).post(_list(world), _form(file=upload("advice.docx", docx_bytes())))
    assert response.status_code == 302
    assert Document.objects.get().content_type.endswith("wordprocessingml.document")


def test_a_file_over_the_limit_is_refused_by_the_form(
    world: World, client_for: Callable[..., Client], settings: pytest.FixtureRequest
) -> None:
    settings.DOCUMENT_MAX_MB = 1  # type: ignore[attr-defined]
    big = upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    response = client_for(world.senco_a).post(_list(world), _form(file=big))
    assert response.status_code == 400
    assert "must be smaller than 1 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_a_huge_request_is_refused_before_it_is_read(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    huge = str((settings.DOCUMENT_MAX_MB + 1) * 1024 * 1024)
    response = client.generic(
        "POST", _list(world), b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=huge
    )
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not Document.objects.exists()


def test_the_same_file_twice_is_refused(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    assert client.post(_list(world), _form()).status_code == 302
    response = client.post(_list(world), _form())
    assert response.status_code == 400
    assert "already been added" in response.content.decode()
    assert Document.objects.count() == 1


def test_another_pupils_document_is_404_through_this_pupil(world: World, client_for: Callable[..., Client]) -> None:
    other = services.add_document(
        actor=ACTOR, pupil=world.p2, upload=upload("r.pdf", PDF_BYTES), file_type=PDF, title="R", kind="report",
        dated=date(2026, 1, 5),
    )  # fmt: skip
    url = reverse("documents:download", args=[world.p1.pk, other.pk])
    assert client_for(world.senco_a).get(url).status_code == 404


def test_removing_deletes_the_file_and_keeps_the_audit(
    world: World, client_for: Callable[..., Client], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    document = services.add_document(
        actor=ACTOR, pupil=world.p1, upload=upload("r.pdf", PDF_BYTES), file_type=PDF, title="R", kind="report",
        dated=date(2026, 1, 5),
    )  # fmt: skip
    stored = Path(document.file.path)
    url = reverse("documents:remove", args=[world.p1.pk, document.pk])
    # The file goes only when the removal commits: run the on-commit callbacks as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.senco_a).post(url).status_code == 302
    assert not Document.objects.exists()
    assert not stored.exists()
    removed = AuditEvent.objects.get(object_type="documents.document", action="delete")
    assert removed.description == f"Removed document {document.pk} (report)"


def test_teachers_see_no_documents(world: World, client_for: Callable[..., Client]) -> None:
    page = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "All documents" not in page
    assert client_for(world.teacher_a).get(_list(world)).status_code == 403
