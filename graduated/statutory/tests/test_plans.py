"""PCP meetings and My Support Plan versions through the services and selectors."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World, make_pupil
from graduated.lib.versioning import StaleEditError
from graduated.meetings.models import AttendeeKind, Meeting, MeetingKind
from graduated.meetings.selectors import parent_meetings_this_year
from graduated.pupils import services as pupil_services
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Enrolment
from graduated.rulepacks.tests.factories import published
from graduated.statutory import plan_selectors
from graduated.statutory.clock import months_after
from graduated.statutory.models import AgreedOutcome, LookedAfter, OutcomeData, PlanVersion
from graduated.statutory.plan_services import save_plan
from graduated.statutory.tests.factories import ACTOR, AGREED, MET, content, pcp_meeting, plan
from graduated.support.tests.factories import agreed_cycle


def _save(world: World, n: int, expected: int, **kwargs: object) -> object:
    return save_plan(
        actor=ACTOR, pupil=world.p1, setting=world.setting_a, expected_version=expected,
        content=content(n), agreed_on=kwargs.pop("agreed_on", AGREED), **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


# PCP meetings ---------------------------------------------------------------------------------------


def test_a_pcp_meeting_is_a_meeting_with_its_person_centred_headings(world: World) -> None:
    before = AuditEvent.objects.count()
    meeting = pcp_meeting(world.p1)
    assert meeting.kind == MeetingKind.PERSON_CENTRED and meeting.held_on == MET
    assert meeting.person_centred_record.important_to == "My cat Pepper and drawing."
    assert meeting.person_centred_record.views_sent_by == "Dr Shah (educational psychologist)"
    assert sorted(meeting.attendees.values_list("kind", flat=True)) == [AttendeeKind.PARENT, AttendeeKind.PUPIL]
    assert meeting.actions.count() == 1
    # One change, one audit event; the chronology says a meeting was held on the day it was.
    assert AuditEvent.objects.count() == before + 1
    entry = ChronologyEntry.objects.filter(pupil=world.p1, kind=ChronologyKind.MEETING_HELD).get()
    assert entry.occurred_on == MET
    # With a parent there it counts towards the three parent meetings a year.
    assert parent_meetings_this_year([world.p1], MET)[world.p1.pk] == 1


def test_a_pcp_meeting_in_the_future_records_nothing(world: World) -> None:
    with pytest.raises(ValidationError):
        pcp_meeting(world.p1, held_on=timezone.localdate() + timedelta(days=1))
    assert not Meeting.objects.exists()


# Versions ---------------------------------------------------------------------------------------------


def test_a_first_version_is_reviewed_four_months_after_it_was_agreed(world: World) -> None:
    meeting = pcp_meeting(world.p1)
    before = AuditEvent.objects.count()
    result = plan(world.p1, meeting_id=meeting.pk)
    version = result.version
    assert result.created and version.number == 1
    assert version.agreed_on == AGREED and version.next_review_on == date(2027, 1, 28)
    assert version.meeting == meeting and version.setting == world.setting_a
    assert [o.description for o in version.outcomes.all()] == ["Ask for help in class (1)"]
    assert AuditEvent.objects.count() == before + 1
    entry = ChronologyEntry.objects.filter(pupil=world.p1, kind=ChronologyKind.SUPPORT_PLAN_AGREED).get()
    assert entry.occurred_on == AGREED and "My Support Plan agreed (version 1)" in entry.summary


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 9, 28), 4, date(2027, 1, 28)),
        (date(2026, 10, 31), 4, date(2027, 2, 28)),
        (date(2027, 10, 31), 4, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_months_after_keeps_the_day_or_takes_the_months_last(day: date, months: int, expected: date) -> None:
    assert months_after(day, months) == expected


def test_a_new_version_keeps_the_old_one_as_it_was(world: World) -> None:
    plan(world.p1)
    second = plan(world.p1, 2, agreed_on=date(2026, 11, 2)).version
    assert second.number == 2 and second.next_review_on == date(2027, 3, 2)
    first = PlanVersion.objects.of_pupil(world.p1).get(number=1)
    assert first.views == "I like school when it is calm (1)." and second.views == "I like school when it is calm (2)."
    # Each version has its own copy of the outcomes.
    assert list(AgreedOutcome.objects.filter(version=first).values_list("description", flat=True)) == [
        "Ask for help in class (1)"
    ]
    assert plan_selectors.current_version(world.p1) == second


def test_saving_the_same_content_twice_saves_one_version(world: World) -> None:
    plan(world.p1)
    before = AuditEvent.objects.count()
    again = _save(world, 1, 0)
    assert not again.created  # type: ignore[attr-defined]
    assert PlanVersion.objects.count() == 1 and AuditEvent.objects.count() == before


def test_a_save_on_top_of_a_newer_version_is_refused(world: World) -> None:
    plan(world.p1)
    plan(world.p1, 2)
    with pytest.raises(StaleEditError) as raised:
        _save(world, 3, 1)  # opened on version 1
    assert raised.value.current.number == 2
    assert PlanVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"agreed_on": timezone.localdate() + timedelta(days=1)}, "agreed_on"),
        ({"agreed_on": date(2026, 9, 1)}, "agreed_on"),  # before the current version's
        ({"next_review_on": AGREED}, "next_review_on"),
        ({"next_review_on": AGREED - timedelta(days=3)}, "next_review_on"),
    ],
)
def test_bad_dates_are_refused_and_save_nothing(world: World, kwargs: dict[str, date], field: str) -> None:
    plan(world.p1)
    with pytest.raises(ValidationError) as raised:
        _save(world, 2, 1, **kwargs)
    assert field in raised.value.message_dict
    assert PlanVersion.objects.count() == 1


def test_an_outcome_due_before_the_plan_is_refused(world: World) -> None:
    early = (OutcomeData("Read a book", "Mum", AGREED - timedelta(days=1)),)
    with pytest.raises(ValidationError) as raised:
        plan(world.p1, outcomes=early)
    assert "outcomes" in raised.value.message_dict
    assert not PlanVersion.objects.exists()


def test_the_meeting_must_be_this_pupils_pcp_meeting_held_by_the_date_agreed(world: World) -> None:
    others = pcp_meeting(world.p2)
    later = pcp_meeting(world.p1, held_on=AGREED + timedelta(days=1))
    for meeting in (others, later):
        with pytest.raises(ValidationError) as raised:
            plan(world.p1, meeting_id=meeting.pk)
        assert "meeting" in raised.value.message_dict
    assert not PlanVersion.objects.exists()


def test_looked_after_status_and_every_section_are_kept(world: World) -> None:
    version = plan(
        world.p1, looked_after=LookedAfter.LOOKED_AFTER, social_care_provision="Social worker visits"
    ).version
    version.refresh_from_db()
    assert version.get_looked_after_display() == "Looked after by a local authority"
    assert version.social_care_provision == "Social worker visits"
    parts = dict(version.parts)
    assert ("Health needs", "Mild asthma: inhaler in the office") in parts["My health"]


# Pre-fill and the review list -------------------------------------------------------------------------


def test_my_sen_starts_from_the_current_needs_and_the_open_cycles_provision(world: World) -> None:
    pupil_services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 1, 8))
    pupil_services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SEMH", rank=2, start_date=date(2024, 1, 8))
    agreed_cycle(world.p1)
    prefill = plan_selectors.prefill_from_record(world.p1)
    assert prefill["needs"].split("\n") == [
        "Speech, language and communication needs (primary need)",
        "Social, emotional and mental health",
    ]
    assert prefill["provision"] == (
        "Precision teaching of sight words (3 a week, 10 minutes, one to one, Teaching assistant)"
    )


def test_a_pupil_with_no_needs_or_cycle_starts_blank(world: World) -> None:
    assert plan_selectors.prefill_from_record(world.p2) == {"needs": "", "provision": ""}


def test_the_review_list_has_plans_due_within_two_weeks_or_overdue(world: World) -> None:
    today = date(2027, 1, 20)
    due_soon = plan(world.p1).version  # review 28 January 2027: in 8 days
    save_plan(
        actor=ACTOR, pupil=world.p2, setting=world.setting_a, expected_version=0, content=content(),
        agreed_on=date(2026, 6, 1),
    )  # fmt: skip  # review 1 October 2026: overdue
    not_yet = make_pupil(world.setting_a, "Nell", "Later")
    save_plan(
        actor=ACTOR, pupil=not_yet, setting=world.setting_a, expected_version=0, content=content(),
        agreed_on=date(2026, 11, 2),
    )  # fmt: skip  # review 2 March 2027
    moved = make_pupil(world.setting_a, "Mo", "Moved")
    save_plan(
        actor=ACTOR, pupil=moved, setting=world.setting_a, expected_version=0, content=content(),
        agreed_on=date(2026, 6, 1),
    )  # fmt: skip
    Enrolment.objects.filter(pupil=moved).update(end_date=date(2026, 12, 18))
    due = plan_selectors.reviews_due(world.setting_a, today)
    assert [(item.pupil, item.overdue) for item in due] == [(world.p2, True), (world.p1, False)]
    assert due[1].version == due_soon
    assert plan_selectors.reviews_due(world.setting_c, today) == []


def test_only_the_current_versions_review_date_counts(world: World) -> None:
    plan(world.p1, agreed_on=date(2026, 6, 1))  # its review (1 October) has passed ...
    plan(world.p1, 2, agreed_on=date(2026, 10, 1))  # ... but this review took its place: due 1 February
    assert plan_selectors.reviews_due(world.setting_a, date(2026, 11, 1)) == []
    assert len(plan_selectors.reviews_due(world.setting_a, date(2027, 1, 20))) == 1


def test_the_next_review_follows_the_las_rule_pack_in_force_when_agreed(world: World) -> None:
    # Northshire reviews My Support Plans three times a year by default (4 months); its pack in
    # force from 1 September 2026 says every 3 months: agreed 28 September 2026 → 28 December 2026.
    published(world.la_north, [], effective_from=date(2026, 9, 1), plan_review_months=3)
    version = plan(world.p1).version
    assert version.agreed_on == AGREED and version.next_review_on == date(2026, 12, 28)
