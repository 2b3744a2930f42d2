from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.pupils import services as pupil_services
from graduated.pupils.models import ChronologyKind
from graduated.support.models import Cycle, CycleStatus
from graduated.worklists.digest import send_digest, send_digests


def _senco_changes_something_about_p1(world: World) -> None:
    pupil_services.add_to_chronology(
        world.p1, Actor(user=world.senco_a, role="senco"), ChronologyKind.PLAN_AGREED, timezone.localdate(),
        "SEN support plan agreed: 3 outcomes, review on 12 February",
    )  # fmt: skip


def _mail_to(user: object) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [user.email]]  # type: ignore[attr-defined]


def test_each_person_hears_what_changed_about_their_pupils_in_words(world: World) -> None:
    _senco_changes_something_about_p1(world)
    today = timezone.localdate()
    Cycle.objects.create(
        pupil=world.p1, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=today - timedelta(days=20),
        review_date=today + timedelta(days=5), plan_agreed_on=today,
    )  # fmt: skip
    send_digests(today)
    (teacher_mail,) = _mail_to(world.teacher_a)
    assert "Priya One" in teacher_mail.body
    assert "SEN support plan agreed: 3 outcomes, review on 12 February" in teacher_mail.body
    assert "recorded by " + world.senco_a.full_name in teacher_mail.body
    assert "Read the support plan for Priya One (cycle 1)." in teacher_mail.body
    (senco_mail,) = _mail_to(world.senco_a)
    assert "1 review due in the next 14 days" in senco_mail.body
    # The SENCO made the change, so it is not news to them.
    assert "SEN support plan agreed" not in senco_mail.body


def test_nobody_hears_about_pupils_they_cannot_see(world: World) -> None:
    _senco_changes_something_about_p1(world)
    send_digests()
    for user in (world.senco_c, world.senco_b, world.other_teacher_a, world.officer_north):
        assert all("Priya" not in m.body for m in _mail_to(user))


def test_no_e_mail_when_nothing_is_due_or_changed(world: World) -> None:
    assert send_digest(world.other_teacher_a, timezone.localdate()) is False
    assert _mail_to(world.other_teacher_a) == []


def test_one_digest_a_day_however_often_it_runs(world: World) -> None:
    _senco_changes_something_about_p1(world)
    call_command("send_digests", stdout=StringIO())
    first = len(mail.outbox)
    assert first > 0
    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == first


def test_the_next_day_only_newer_changes_are_news(world: World) -> None:
    _senco_changes_something_about_p1(world)
    today = timezone.localdate()
    assert send_digest(world.teacher_a, today)
    mail.outbox.clear()
    assert send_digest(world.teacher_a, today + timedelta(days=1)) is False
