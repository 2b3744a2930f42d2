"""Messages between the family and the school: a parent asks a question (or for a meeting), the
SENCO is e-mailed without the text and replies, every family member with access is e-mailed;
new messages are marked; bad input changes nothing; access follows the link."""

from typing import Any

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.families.models import FamilyLink, FamilyMessage
from graduated.lib.testing import World


def family(world: World) -> Client:
    client = Client()
    client.force_login(world.parent_p1)
    return client


def school(world: World) -> Client:
    client = Client()
    client.force_login(world.senco_a)
    return client


def family_url(world: World) -> str:
    return reverse("families:thread", args=[world.p1.pk])


def school_url(world: World) -> str:
    return reverse("families:school_thread", args=[world.p1.pk])


def test_a_parent_asks_for_a_meeting_and_the_senco_replies(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    parent, senco = family(world), school(world)
    with django_capture_on_commit_callbacks(execute=True):
        sent = parent.post(family_url(world), {"body": "Can we talk about reading at home?", "wants_meeting": "on"})
    assert sent.status_code == 302
    message = FamilyMessage.objects.get()
    assert (message.from_family, message.wants_meeting, message.link.user) == (True, True, world.parent_p1)
    [to_school] = mail.outbox
    assert to_school.to == [world.senco_a.email] and "would like a meeting" in to_school.body
    assert "reading at home" not in to_school.body  # never the message itself
    assert reverse("families:school_thread", args=[world.p1.pk]) in to_school.body

    page = senco.get(school_url(world)).content.decode()
    assert "Can we talk about reading at home?" in page and "Would like a meeting." in page and "New" in page
    assert "New" not in senco.get(school_url(world)).content.decode()  # read now
    waiting = senco.get(reverse("families:waiting", args=[world.setting_a.pk])).content.decode()
    assert world.p1.display_name in waiting

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert senco.post(school_url(world), {"body": "Yes: Tuesday at 3pm?"}).status_code == 302
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted(FamilyLink.objects.filter(pupil=world.p1).values_list("user__email", flat=True))
    assert all("Tuesday" not in m.body for m in mail.outbox)
    assert (
        world.p1.display_name not in senco.get(reverse("families:waiting", args=[world.setting_a.pk])).content.decode()
    )
    assert "Yes: Tuesday at 3pm?" in parent.get(family_url(world)).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="families.familymessage").count() == 2


def test_the_child_page_counts_new_messages_from_the_school(world: World) -> None:
    parent, senco = family(world), school(world)
    parent.get(family_url(world))  # read, before the school writes
    senco.post(school_url(world), {"body": "Priya read to the class today."})
    page = parent.get(reverse("families:child", args=[world.p1.pk])).content.decode()
    assert "1 new" in page


def test_an_empty_or_too_long_message_is_refused_and_nothing_is_sent(world: World) -> None:
    parent = family(world)
    empty = parent.post(family_url(world), {"body": "   "})
    assert empty.status_code == 400 and "Write your message" in empty.content.decode()
    long = parent.post(family_url(world), {"body": "a" * 2001})
    assert long.status_code == 400 and "2,000 characters or fewer" in long.content.decode()
    assert not FamilyMessage.objects.exists() and not mail.outbox


def test_a_reply_when_nobody_in_the_family_has_access_is_refused(world: World) -> None:
    FamilyLink.objects.filter(pupil=world.p1).update(ended_at=timezone.now())
    response = school(world).post(school_url(world), {"body": "Hello"})
    assert response.status_code == 400 and "Nobody in the family has access" in response.content.decode()
    assert not FamilyMessage.objects.exists()


def test_access_follows_the_link_and_the_senco_role(world: World) -> None:
    parent = family(world)
    assert parent.get(reverse("families:thread", args=[world.p2.pk])).status_code == 404
    FamilyLink.objects.filter(user=world.parent_p1).update(ended_at=timezone.now())
    assert parent.get(family_url(world)).status_code == 404
    teacher = Client()
    teacher.force_login(world.teacher_a)
    assert teacher.get(school_url(world)).status_code == 403


def test_the_thread_takes_the_same_queries_however_long_it_is(world: World) -> None:
    parent = family(world)
    link = FamilyLink.objects.get(user=world.parent_p1)

    def add(count: int) -> None:
        FamilyMessage.objects.bulk_create(
            FamilyMessage(pupil=world.p1, setting=world.setting_a, author=world.parent_p1, link=link,
                          from_family=True, body=f"Message {n}") for n in range(count)
        )  # fmt: skip

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert parent.get(family_url(world)).status_code == 200
        return len(captured.captured_queries)

    add(2)
    parent.get(family_url(world))
    few = queries()
    add(80)
    page = parent.get(family_url(world)).content.decode()
    assert "32 earlier messages not shown" in page
    assert queries() == few
