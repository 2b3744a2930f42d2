"""A family adds a photo or a note to their views before a review, about one of the aims; the SENCO
sees it in the review form and among the pupil's documents. Documents the school shares appear
on the family's page; others never do."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from graduated.audit.models import AuditAction, AuditEvent
from graduated.documents.models import Document, DocumentKind
from graduated.families.models import ViewsEvidence, ViewsRequest
from graduated.families.tests.helpers import plan_for_p1
from graduated.lib.testing import World
from graduated.support.models import Cycle


def photo(name: str = "reading.png", colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def asked(world: World) -> Cycle:
    cycle = plan_for_p1(world, [(1, "delivered")])
    ViewsRequest.objects.create(cycle=cycle, requested_by=world.senco_a)
    return cycle


def add(client: Any, world: World, **data: Any) -> Any:
    return client.post(reverse("families:add_evidence", args=[world.p1.pk]), data)


def test_a_parent_adds_a_photo_about_an_aim_and_the_senco_sees_it_in_the_review(world: World, client_for: Any) -> None:
    cycle = asked(world)
    outcome = cycle.outcomes.get()
    parent = client_for(world.parent_p1)
    page = parent.get(reverse("families:views", args=[world.p1.pk])).content.decode()
    assert "Show the school: a photo or a note" in page and 'enctype="multipart/form-data"' in page

    response = add(parent, world, outcome=str(outcome.pk), photo=photo(), note="She read this to her brother")
    assert response.status_code == 302
    evidence = ViewsEvidence.objects.get()
    assert (evidence.outcome, evidence.note, evidence.link.user) == (outcome, "She read this to her brother",
                                                                     world.parent_p1)  # fmt: skip
    document = evidence.document
    assert document is not None
    assert (document.kind, document.shared_with_family, document.content_type) == (
        DocumentKind.FAMILY,
        True,
        "image/png",
    )
    assert AuditEvent.objects.filter(actor_id=world.parent_p1.pk, action=AuditAction.CREATE,
                                     object_type="families.viewsevidence").exists()  # fmt: skip
    assert "your photo" in parent.get(reverse("families:views", args=[world.p1.pk])).content.decode()
    download = parent.get(reverse("families:shared_document", args=[world.p1.pk, document.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")

    senco = client_for(world.senco_a)
    review = senco.get(reverse("support:review", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "Photos and notes from the family" in review and "She read this to her brother" in review
    assert reverse("documents:download", args=[world.p1.pk, document.pk]) in review
    documents = senco.get(reverse("documents:list", args=[world.p1.pk])).content.decode()
    assert "From the family" in documents and "shared with the family" in documents


def test_a_note_alone_is_enough_and_nothing_at_all_is_a_clear_error(world: World, client_for: Any) -> None:
    asked(world)
    parent = client_for(world.parent_p1)
    assert add(parent, world, note="A good week").status_code == 302
    assert ViewsEvidence.objects.get().document is None
    empty = add(parent, world, note="  ")
    assert empty.status_code == 400 and "Add a photo or write a note" in empty.content.decode()
    assert ViewsEvidence.objects.count() == 1


def test_a_file_that_is_not_a_photo_or_is_a_photo_sent_twice_is_refused(world: World, client_for: Any) -> None:
    asked(world)
    parent = client_for(world.parent_p1)
    fake = SimpleUploadedFile("holiday.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    refused = add(parent, world, photo=fake)
    assert refused.status_code == 400 and "must be a JPEG or PNG file" in refused.content.decode()
    assert add(parent, world, photo=photo()).status_code == 302
    twice = add(parent, world, photo=photo())
    assert twice.status_code == 400 and "sent this photo already" in twice.content.decode()
    assert Document.objects.count() == 1 and ViewsEvidence.objects.count() == 1


def test_an_aim_of_another_plan_or_views_not_asked_for_are_refused(world: World, client_for: Any) -> None:
    cycle = plan_for_p1(world, [])
    parent = client_for(world.parent_p1)
    assert add(parent, world, note="Hello").status_code == 404  # not asked for views yet
    ViewsRequest.objects.create(cycle=cycle)
    other = Cycle.objects.create(pupil=world.p2, setting=world.setting_a, number=1, status="do",
                                 started_on=cycle.started_on, review_date=cycle.review_date)  # fmt: skip
    foreign = other.outcomes.create(position=1, description="Other", measure="m", baseline="b", target="t",
                                    by_when=cycle.review_date, area="CL")  # fmt: skip
    response = add(parent, world, outcome=str(foreign.pk), note="Hello")
    assert response.status_code == 400 and not ViewsEvidence.objects.exists()


def test_the_family_sees_only_documents_shared_with_them(world: World, client_for: Any) -> None:
    senco = client_for(world.senco_a)
    for title, shared in [("Speech therapy report", True), ("Staff notes", False)]:
        data = {
            "file": photo(f"{title}.png", "blue" if shared else "red"),
            "title": title,
            "kind": "report",
            "dated_0": "1",
            "dated_1": "10",
            "dated_2": "2026",
            **({"shared_with_family": "on"} if shared else {}),
        }
        assert senco.post(reverse("documents:list", args=[world.p1.pk]), data).status_code == 302
    shared, private = Document.objects.get(title="Speech therapy report"), Document.objects.get(title="Staff notes")
    assert shared.shared_with_family and not private.shared_with_family

    parent = Client()  # not client_for's: the SENCO's "added" messages would follow
    parent.force_login(world.parent_p1)
    page = parent.get(reverse("families:child", args=[world.p1.pk])).content.decode()
    assert "Speech therapy report" in page and "Staff notes" not in page
    assert parent.get(reverse("families:shared_document", args=[world.p1.pk, shared.pk])).status_code == 200
    assert parent.get(reverse("families:shared_document", args=[world.p1.pk, private.pk])).status_code == 404
    other_parent = client_for(world.parent_p2)
    assert other_parent.get(reverse("families:shared_document", args=[world.p1.pk, shared.pk])).status_code == 404
