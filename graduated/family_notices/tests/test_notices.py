"""The e-mail about each change: sent through the task queue once the change is committed, to each
family member with a live link who wants it as it happens, saying what changed (or, short, only
that there is news); nothing for staff-only changes, ended links, or a change rolled back."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from graduated.audit.services import Actor
from graduated.families.models import FamilyLink, FamilyRole
from graduated.family_notices.kinds import EMAILED_KINDS, FAMILY_VISIBLE, STAFF_ONLY, sentence
from graduated.family_notices.models import Frequency, NoticePreference
from graduated.lib.testing import World, make_user
from graduated.meetings import services as meetings
from graduated.meetings.models import Meeting, MeetingAction
from graduated.pupils.models import ChronologyKind, Enrolment
from graduated.pupils.services import add_to_chronology
from graduated.specialists.tests import factories as specialists
from graduated.support import services as support
from graduated.support.models import Cycle
from graduated.support.tests.factories import ACTOR, agreed_cycle, outcome_data, reviewed_cycle

SENCO = Actor.system("test")
ON = date(2026, 11, 2)


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what would run on commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


def note(world: World, kind: str, committed: Any) -> None:
    with committed():
        add_to_chronology(world.p1, SENCO, ChronologyKind(kind), ON, "Staff wording: cycle 2, K, SEMH")


@pytest.mark.parametrize("kind", sorted(EMAILED_KINDS))
def test_each_family_kind_sends_its_sentence_with_the_link_to_the_child(
    world: World, committed: Any, kind: str
) -> None:
    note(world, kind, committed)
    [sent] = to(world.parent_p1.email)
    assert sent.subject == "News about Priya's support at Ash Primary School"
    assert f"2 November 2026: {sentence(kind, first_name='Priya', young_person=False)}." in sent.body
    assert settings.SITE_URL + reverse("families:child", args=[world.p1.pk]) in sent.body
    assert settings.SITE_URL + reverse("family_notices:preferences") in sent.body
    assert "Staff wording" not in sent.body  # the chronology's summary is never what a family reads
    assert len(mail.outbox) == 1  # the parents of other children hear nothing


@pytest.mark.parametrize("kind", sorted(STAFF_ONLY))
def test_staff_only_kinds_send_nothing(world: World, committed: Any, kind: str) -> None:
    note(world, kind, committed)
    assert mail.outbox == []


def test_parents_told_is_on_the_timeline_but_not_e_mailed_on_its_own(world: World, committed: Any) -> None:
    assert ChronologyKind.PARENTS_NOTIFIED in FAMILY_VISIBLE
    note(world, ChronologyKind.PARENTS_NOTIFIED, committed)
    assert mail.outbox == []


def test_an_agreed_plan_says_what_we_are_aiming_for_and_when_the_review_is(world: World, committed: Any) -> None:
    with committed():
        cycle = agreed_cycle(world.p1, outcomes=2)
    [sent] = to(world.parent_p1.email)  # one e-mail, though "parents told" was written beside it
    assert "Priya's new plan was agreed." in sent.body
    assert "What we are aiming for:\n- Reads 10 common exception words (by 1 December 2024)\n" in sent.body
    assert "- Reads 20 common exception words (by 1 December 2024)" in sent.body
    assert f"The next review is on {cycle.review_date:%-d %B %Y}." in sent.body
    assert "cycle" not in sent.body.lower()


def test_a_plan_the_senco_has_not_shared_is_told_without_its_aims(world: World, committed: Any) -> None:
    with committed():
        cycle = agreed_cycle(world.p1, outcomes=2)
        Cycle.objects.filter(pk=cycle.pk).update(shared_with_family=False)  # before the task reads it
    [sent] = to(world.parent_p1.email)
    assert "Priya's new plan was agreed." in sent.body
    assert "exception words" not in sent.body and "What we are aiming for" not in sent.body


def test_a_review_says_which_aims_were_met_and_what_happens_next(world: World, committed: Any) -> None:
    with committed():
        reviewed_cycle(world.p1, rating="partly_achieved")
    review = to(world.parent_p1.email)[-1]
    assert "The school looked at how Priya's plan went." in review.body
    assert "How the aims went:\n- Reads 10 common exception words: partly done" in review.body
    assert "What happens next: a new plan, to keep going." in review.body


def test_an_aim_added_to_an_agreed_plan_is_news(world: World, committed: Any) -> None:
    cycle = agreed_cycle(world.p1)
    with committed():
        support.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(3), expected_version=cycle.version)
    [sent] = to(world.parent_p1.email)
    assert "Priya's plan has a new aim." in sent.body
    assert "The new aim: Reads 30 common exception words (by 1 December 2024)." in sent.body
    assert world.p1.chronology.filter(kind=ChronologyKind.OUTCOME_ADDED).count() == 1


def test_a_meeting_record_shared_with_the_parents_says_what_was_agreed(world: World, committed: Any) -> None:
    today = timezone.localdate()
    meeting = Meeting.objects.create(pupil=world.p1, kind="parent", held_on=today - timedelta(days=3),
                                     discussed="Reading at home.")  # fmt: skip
    MeetingAction.objects.create(meeting=meeting, description="Send a book home", owner_name="Mrs Khan", due_on=today)
    with committed():
        assert meetings.mark_shared_with_parents(actor=SENCO, meeting=meeting)
    [sent] = to(world.parent_p1.email)
    assert "The notes of a meeting about Priya were shared with you." in sent.body
    assert (
        f"The meeting was on {meeting.held_on:%-d %B %Y}.\nWhat was agreed:\n- Send a book home: Mrs Khan" in sent.body
    )


def test_a_referral_names_the_service_in_full_and_not_in_short(world: World, committed: Any) -> None:
    NoticePreference.objects.create(user=world.parent_p1, short=True)
    with committed():
        specialists.referral(world.p1)
    [short] = to(world.parent_p1.email)
    assert "Educational Psychology" not in short.body
    NoticePreference.objects.filter(user=world.parent_p1).update(short=False)
    mail.outbox.clear()
    with committed():
        specialists.referral(world.p1, referred_on=specialists.REFERRED + timedelta(days=1))
    [full] = to(world.parent_p1.email)
    assert "The school asked a specialist service to help Priya." in full.body
    assert "The service: Educational Psychology Service." in full.body


def test_a_short_e_mail_says_only_that_there_is_news_and_where(world: World, committed: Any) -> None:
    NoticePreference.objects.create(user=world.parent_p1, short=True)
    with committed():
        agreed_cycle(world.p1)
    [sent] = to(world.parent_p1.email)
    url = settings.SITE_URL + reverse("families:child", args=[world.p1.pk])
    assert sent.subject == "News about your child's support"
    assert f"There is news about your child's support at Ash Primary School. Sign in to read it:\n{url}" in sent.body
    for detail in ("Priya", "plan", "Reads", "review", "aim"):
        assert detail not in sent.body


def test_weekly_or_no_e_mails_mean_nothing_now(world: World, committed: Any) -> None:
    NoticePreference.objects.create(user=world.parent_p1, frequency=Frequency.WEEKLY)
    other = make_user("dad.p1@example.org", "Dan One")
    FamilyLink.objects.create(user=other, pupil=world.p1, setting=world.setting_a, relationship="Father")
    NoticePreference.objects.create(user=other, frequency=Frequency.NEVER)
    note(world, ChronologyKind.PROFILE_UPDATED, committed)
    assert mail.outbox == []


def test_everyone_with_a_live_link_hears_and_an_ended_link_hears_nothing(world: World, committed: Any) -> None:
    dad = make_user("dad.p1@example.org", "Dan One")
    FamilyLink.objects.create(user=dad, pupil=world.p1, setting=world.setting_a, relationship="Father")
    gone = make_user("ex.p1@example.org", "Eve Ended")
    FamilyLink.objects.create(user=gone, pupil=world.p1, setting=world.setting_a, ended_at=timezone.now())
    note(world, ChronologyKind.PROFILE_UPDATED, committed)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.parent_p1.email, dad.email])


def test_a_child_who_has_left_the_setting_is_no_longer_told_about(world: World, committed: Any) -> None:
    Enrolment.objects.filter(pupil=world.p1).update(end_date=timezone.localdate() - timedelta(days=1))
    note(world, ChronologyKind.PROFILE_UPDATED, committed)
    assert mail.outbox == []


def test_a_young_person_reads_about_their_own_support(world: World, committed: Any) -> None:
    FamilyLink.objects.filter(user=world.parent_p1).update(role=FamilyRole.YOUNG_PERSON)
    note(world, ChronologyKind.PROFILE_UPDATED, committed)
    [sent] = to(world.parent_p1.email)
    assert sent.subject == "News about your support at Ash Primary School"
    assert "2 November 2026: Your one-page profile was updated." in sent.body


def test_a_change_rolled_back_is_never_told(world: World, committed: Any) -> None:
    with committed():
        try:
            with transaction.atomic():
                add_to_chronology(world.p1, SENCO, ChronologyKind.PROFILE_UPDATED, ON, "Profile")
                raise RuntimeError("the rest of the change failed")
        except RuntimeError:
            pass
    assert mail.outbox == []


def test_an_ehc_step_says_what_an_ehc_plan_is(world: World, committed: Any) -> None:
    note(world, ChronologyKind.EHC_FINAL_PLAN, committed)
    [sent] = to(world.parent_p1.email)
    assert "An EHC plan (Education, Health and Care plan) sets out the help a child needs" in sent.body
