"""Documents added to a support cycle or a meeting show there, for those who may read documents."""

from collections.abc import Callable
from datetime import date

from django.test import Client
from django.urls import reverse

from graduated.audit.services import Actor
from graduated.documents.models import Document
from graduated.documents.tests.files import PDF_BYTES, upload
from graduated.lib.testing import World
from graduated.meetings import services as meeting_services
from graduated.meetings.models import AttendeeKind, Meeting, MeetingKind
from graduated.support.tests.factories import agreed_cycle

ClientFor = Callable[..., Client]


def _form(to: str) -> dict[str, object]:
    return {
        "file": upload("observation.pdf", PDF_BYTES), "title": "Playground observation", "kind": "assessment",
        "dated_0": "2", "dated_1": "10", "dated_2": "2026", "attached_to": to,
    }  # fmt: skip


def _meeting(world: World) -> Meeting:
    mother = meeting_services.AttendeeData(kind=AttendeeKind.PARENT, name="Ann Parent", role_or_relationship="Mother")
    return meeting_services.record_meeting(
        actor=Actor.system("test"), pupil=world.p1, kind=MeetingKind.PARENT, held_on=date(2026, 10, 6),
        discussed="Reading at home.", actions=[], attendees=[mother],
    )  # fmt: skip


def test_a_document_added_to_a_cycle_shows_on_the_cycle_page(world: World, client_for: ClientFor) -> None:
    cycle = agreed_cycle(world.p1)
    client = client_for(world.senco_a)
    cycle_page = client.get(reverse("support:cycle", args=[world.p1.pk, cycle.pk])).content.decode()
    link = reverse("documents:list", args=[world.p1.pk]) + f"?to=cycle:{cycle.pk}"
    assert link in cycle_page
    form_page = client.get(link).content.decode()
    assert f"Add a document to the support cycle {cycle.number}" in form_page
    assert client.post(reverse("documents:list", args=[world.p1.pk]), _form(f"cycle:{cycle.pk}")).status_code == 302
    assert Document.objects.get().attached_to == f"cycle:{cycle.pk}"
    assert (
        "Playground observation" in client.get(reverse("support:cycle", args=[world.p1.pk, cycle.pk])).content.decode()
    )
    # Linked staff see the plan but not the documents (they hold the whole record's detail).
    teacher_page = client_for(world.teacher_a).get(reverse("support:cycle", args=[world.p1.pk, cycle.pk]))
    assert "Playground observation" not in teacher_page.content.decode()


def test_a_document_added_to_a_meeting_shows_on_the_meeting_page(world: World, client_for: ClientFor) -> None:
    meeting = _meeting(world)
    client = client_for(world.senco_a)
    client.post(reverse("documents:list", args=[world.p1.pk]), _form(f"meeting:{meeting.pk}"))
    page = client.get(reverse("meetings:detail", args=[world.p1.pk, meeting.pk])).content.decode()
    assert "Playground observation" in page


def test_another_pupils_cycle_cannot_be_the_target(world: World, client_for: ClientFor) -> None:
    other = agreed_cycle(world.p2)
    client = client_for(world.senco_a)
    assert client.get(reverse("documents:list", args=[world.p1.pk]) + f"?to=cycle:{other.pk}").status_code == 404
    response = client.post(reverse("documents:list", args=[world.p1.pk]), _form(f"cycle:{other.pk}"))
    assert response.status_code == 404
    assert client.post(reverse("documents:list", args=[world.p1.pk]), _form("nonsense")).status_code == 404
    assert not Document.objects.exists()
