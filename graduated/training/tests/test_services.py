"""The training services: what they change, what they refuse, and the audit event each writes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World, make_member
from graduated.lib.versioning import StaleEditError
from graduated.organisations.models import Role
from graduated.pupils.models import ChronologyEntry, ChronologyKind
from graduated.pupils.services import link_staff
from graduated.training import selectors, services
from graduated.training.models import Awareness, Course, TrainingRecord, WhatRead
from graduated.training.tests.factories import ACTOR, course, course_details, training


def _events(action: str, object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type=object_type))


def test_a_course_is_added_changed_and_withdrawn_with_one_audit_event_each(world: World) -> None:
    added = course(world.la_north)
    assert added.offered and added.version == 1 and added.area_labels == ["Communication and interaction"]
    assert len(_events(AuditAction.CREATE, "training.course")) == 1

    changed = services.change_course(
        actor=ACTOR, course=added, details=course_details(title="Autism: first steps", hours="2.5"), expected_version=1
    )
    assert changed.version == 2 and Course.objects.get(pk=added.pk).title == "Autism: first steps"
    [change] = _events(AuditAction.CHANGE, "training.course")
    assert change.changed_fields == ["hours", "title"]

    services.set_offered(actor=ACTOR, course=changed, offered=False, expected_version=2)
    withdrawn = Course.objects.get(pk=added.pk)
    assert not withdrawn.offered and withdrawn.withdrawn_at is not None and withdrawn.version == 3
    assert selectors.offer(world.la_north) == ([], [withdrawn])
    assert len(_events(AuditAction.CHANGE, "training.course")) == 2


def test_a_second_course_with_the_same_title_in_any_case_is_refused(world: World) -> None:
    course(world.la_north)
    with pytest.raises(services.TrainingError, match="already has a course called"):
        course(world.la_north, title="UNDERSTANDING AUTISM IN THE CLASSROOM")
    course(world.la_south)  # another LA may use the same title
    assert Course.objects.count() == 2


def test_a_stale_change_to_a_course_is_refused_and_changes_nothing(world: World) -> None:
    added = course(world.la_north)
    services.change_course(actor=ACTOR, course=added, details=course_details(title="First"), expected_version=1)
    stale = Course.objects.get(pk=added.pk)
    with pytest.raises(StaleEditError) as refused:
        services.change_course(actor=ACTOR, course=stale, details=course_details(title="Second"), expected_version=1)
    assert refused.value.saved_version == 2
    assert Course.objects.get(pk=added.pk).title == "First"


def test_training_is_recorded_only_for_a_current_member_of_the_setting(world: World) -> None:
    entry = training(world.setting_a, world.teacher_a)
    assert entry.title == "Team Teach refresher" and entry.recorded_by is None
    assert len(_events(AuditAction.CREATE, "training.trainingrecord")) == 1
    with pytest.raises(services.TrainingError, match="no longer a member"):
        training(world.setting_a, world.senco_b)  # a member of setting B
    assert TrainingRecord.objects.count() == 1


def test_a_course_of_another_la_or_a_withdrawn_one_is_refused_but_a_correction_keeps_its_own(world: World) -> None:
    south = course(world.la_south)
    with pytest.raises(services.TrainingError, match="not in the local authority's offer"):
        training(world.setting_a, world.teacher_a, course=south)
    north = course(world.la_north, title="Emotion coaching")
    entry = training(world.setting_a, world.teacher_a, course=north)
    services.set_offered(actor=ACTOR, course=north, offered=False, expected_version=north.version)
    with pytest.raises(services.TrainingError, match="not in the local authority's offer"):
        training(world.setting_a, world.ta_a, course=Course.objects.get(pk=north.pk))
    details = {"course": Course.objects.get(pk=north.pk), "own_title": "", "own_areas": [],
               "completed_on": date(2025, 11, 4), "expires_on": None, "note": "Second day"}  # fmt: skip
    corrected = services.change_training(actor=ACTOR, entry=entry, details=details, expected_version=1)
    assert corrected.completed_on == date(2025, 11, 4) and corrected.version == 2 and corrected.title == north.title


def test_an_expiry_before_completion_is_refused(world: World) -> None:
    with pytest.raises(services.TrainingError, match="on or after the date completed"):
        training(world.setting_a, world.teacher_a, completed_on=date(2025, 11, 3), expires_on=date(2025, 11, 2))
    assert not TrainingRecord.objects.exists()


def test_a_removal_at_an_old_version_is_refused(world: World) -> None:
    entry = training(world.setting_a, world.teacher_a)
    details = {"course": None, "own_title": "Team Teach", "own_areas": [], "completed_on": date(2025, 11, 3),
               "expires_on": None, "note": ""}  # fmt: skip
    services.change_training(actor=ACTOR, entry=TrainingRecord.objects.get(pk=entry.pk), details=details,
                             expected_version=1)  # fmt: skip
    with pytest.raises(StaleEditError):
        services.remove_training(actor=ACTOR, entry=entry, expected_version=1)
    services.remove_training(actor=ACTOR, entry=TrainingRecord.objects.get(pk=entry.pk), expected_version=2)
    assert not TrainingRecord.objects.exists()
    assert len(_events(AuditAction.DELETE, "training.trainingrecord")) == 1


def test_awareness_is_confirmed_with_a_pupil_audit_event_and_only_for_a_member(world: World) -> None:
    confirmation = services.confirm_awareness(
        actor=ACTOR, pupil=world.p1, setting=world.setting_a, user=world.teacher_a, what_read=WhatRead.ALL
    )
    [event] = _events(AuditAction.CREATE, "training.awareness")
    assert event.pupil_id == world.p1.pk and confirmation.what_read == WhatRead.ALL
    with pytest.raises(services.TrainingError):
        services.confirm_awareness(
            actor=ACTOR, pupil=world.p1, setting=world.setting_a, user=world.senco_c, what_read=WhatRead.ALL
        )
    assert Awareness.objects.count() == 1


def test_a_confirmation_counts_until_the_profile_or_plan_changes(world: World) -> None:
    row = selectors.pupil_row(world.setting_a, world.p1)
    assert [s.link.user for s in row.not_confirmed] == [world.teacher_a, world.ta_a]  # by name: Tia, then Tom
    services.confirm_awareness(
        actor=ACTOR, pupil=world.p1, setting=world.setting_a, user=world.teacher_a, what_read=WhatRead.PROFILE
    )
    assert [s.link.user for s in selectors.pupil_row(world.setting_a, world.p1).not_confirmed] == [world.ta_a]

    ChronologyEntry.objects.create(
        pupil=world.p1, kind=ChronologyKind.PROFILE_UPDATED, occurred_on=timezone.localdate(),
        recorded_at=timezone.now() + timedelta(seconds=1), summary="One-page profile version 2",
    )  # fmt: skip
    row = selectors.pupil_row(world.setting_a, world.p1)
    assert row.latest_change is not None
    assert [s.link.user for s in row.not_confirmed] == [world.teacher_a, world.ta_a]


def test_a_linked_member_who_left_the_setting_is_not_listed(world: World) -> None:
    leaver = make_member("leaver@example.org", Role.TEACHER, world.setting_a, "Lee Leaver")
    link_staff(actor=ACTOR, pupil=world.p1, setting=world.setting_a, user=leaver, relationship="subject_teacher")
    assert leaver in [s.link.user for s in selectors.pupil_row(world.setting_a, world.p1).linked]
    leaver.memberships.all().delete()
    assert leaver not in [s.link.user for s in selectors.pupil_row(world.setting_a, world.p1).linked]
