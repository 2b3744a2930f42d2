"""The weekly digest: one e-mail per family member who chose it, each child's changes of the week;
nothing when nothing changed; safe to run twice; the next starts where the last ended."""

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from graduated import cli
from graduated.audit.services import Actor
from graduated.families.models import FamilyLink
from graduated.family_notices.digest import send_digests
from graduated.family_notices.models import Frequency, NoticePreference, WeeklyDigestSent
from graduated.lib.testing import World, make_pupil
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil

SENCO = Actor.system("test")
# A Friday afternoon; the Monday of its week.
NOW = timezone.make_aware(datetime(2026, 11, 6, 16, 0))
MONDAY = date(2026, 11, 2)


def weekly(user: Any, *, short: bool = False) -> NoticePreference:
    return NoticePreference.objects.create(
        user=user, frequency=Frequency.WEEKLY, short=short, changed_at=NOW - timedelta(days=30)
    )


def change(pupil: Pupil, kind: str, recorded_at: datetime, on: date | None = None) -> None:
    """An entry as if written at ``recorded_at`` (no notice fires: the test never commits)."""
    ChronologyEntry.objects.create(pupil=pupil, kind=kind, occurred_on=on or recorded_at.date(),
                                   recorded_at=recorded_at, summary="Staff wording")  # fmt: skip


def test_one_e_mail_lists_each_childs_changes_of_the_week(world: World) -> None:
    weekly(world.parent_p1)
    sibling = make_pupil(world.setting_a, "Sami", "One")
    FamilyLink.objects.create(user=world.parent_p1, pupil=sibling, setting=world.setting_a, relationship="Mother")
    change(world.p1, ChronologyKind.PLAN_AGREED, NOW - timedelta(days=3))
    change(world.p1, ChronologyKind.MEETING_SHARED, NOW - timedelta(days=1))
    change(sibling, ChronologyKind.PROFILE_UPDATED, NOW - timedelta(days=2))
    change(world.p1, ChronologyKind.CONCERN_RAISED, NOW - timedelta(days=1))  # staff-only
    change(world.p1, ChronologyKind.REVIEW_RECORDED, NOW - timedelta(days=9))  # before this week

    assert send_digests(NOW) == 1
    [sent] = mail.outbox
    assert sent.to == [world.parent_p1.email] and sent.subject == f"{settings.SITE_NAME}: What changed this week"
    body = sent.body
    priya, sami = body.index("Priya, Ash Primary School"), body.index("Sami, Ash Primary School")
    assert priya < body.index("- 5 November 2026: The notes of a meeting about Priya were shared with you.")
    assert body.index("- 3 November 2026: Priya's new plan was agreed.") < sami
    assert "- 4 November 2026: Sami's one-page profile was updated." in body[sami:]
    assert settings.SITE_URL + reverse("families:child", args=[sibling.pk]) in body
    assert "concern" not in body.lower() and "looked at how" not in body


def test_running_twice_sends_once_and_next_week_starts_where_this_one_ended(world: World) -> None:
    weekly(world.parent_p1)
    change(world.p1, ChronologyKind.PLAN_AGREED, NOW - timedelta(days=1))
    assert send_digests(NOW) == 1
    change(world.p1, ChronologyKind.PROFILE_UPDATED, NOW + timedelta(hours=1))
    assert send_digests(NOW + timedelta(hours=2)) == 0  # the same week: already sent
    assert len(mail.outbox) == 1
    assert list(WeeklyDigestSent.objects.values_list("week_of", flat=True)) == [MONDAY]

    assert send_digests(NOW + timedelta(days=7)) == 1
    later = mail.outbox[-1].body
    assert "one-page profile" in later and "new plan" not in later  # told once each


def test_nothing_is_sent_when_nothing_changed(world: World) -> None:
    weekly(world.parent_p1)
    change(world.p1, ChronologyKind.STATUS_CHANGED, NOW - timedelta(days=1))
    assert send_digests(NOW) == 0
    assert mail.outbox == [] and not WeeklyDigestSent.objects.exists()


def test_only_those_who_chose_it_and_only_through_live_links(world: World) -> None:
    weekly(world.parent_p2)
    FamilyLink.objects.filter(user=world.parent_p2).update(ended_at=NOW - timedelta(days=10))
    change(world.p2, ChronologyKind.PLAN_AGREED, NOW - timedelta(days=1))
    change(world.p1, ChronologyKind.PLAN_AGREED, NOW - timedelta(days=1))  # parent_p1 has it as it happens
    assert send_digests(NOW) == 0 and mail.outbox == []


def test_changes_from_before_the_choice_were_told_already(world: World) -> None:
    NoticePreference.objects.create(
        user=world.parent_p1, frequency=Frequency.WEEKLY, changed_at=NOW - timedelta(days=2)
    )
    change(world.p1, ChronologyKind.PLAN_AGREED, NOW - timedelta(days=4))  # e-mailed as it happened
    assert send_digests(NOW) == 0


def test_a_short_digest_names_no_child_and_no_change(world: World) -> None:
    weekly(world.parent_p1, short=True)
    change(world.p1, ChronologyKind.REFERRAL_MADE, NOW - timedelta(days=1))
    assert send_digests(NOW) == 1
    [sent] = mail.outbox
    assert "There is news this week about your child's support at Ash Primary School." in sent.body
    assert settings.SITE_URL + reverse("families:home") in sent.body
    for detail in ("Priya", "specialist", "service", "referral"):
        assert detail not in sent.body


def test_the_command_and_the_cli_verb(world: World) -> None:
    assert cli.COMMANDS["family-digests"] == ["send_family_digests"]
    assert "graduated family-digests" in (cli.__doc__ or "")
    out = StringIO()
    call_command("send_family_digests", stdout=out)
    assert out.getvalue().strip() == "Family digests sent: 0."
