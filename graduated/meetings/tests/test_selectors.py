from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil
from graduated.meetings import selectors, services
from graduated.meetings.models import AttendeeKind, MeetingKind
from graduated.pupils.models import Pupil

ACTOR = Actor.system("test")
PARENT = services.AttendeeData(kind=AttendeeKind.PARENT, name="Ann Parent")
PROFESSIONAL = services.AttendeeData(kind=AttendeeKind.PROFESSIONAL, name="Dr Ed Psych")


def _meet(pupil: Pupil, held_on: date, *attendees: services.AttendeeData, kind: str = MeetingKind.REVIEW) -> None:
    services.record_meeting(
        actor=ACTOR, pupil=pupil, kind=kind, held_on=held_on, discussed="Notes", attendees=attendees,
        today=date(2027, 12, 31),
    )  # fmt: skip


def test_the_academic_year_runs_from_1_september_to_31_august(world: World) -> None:
    _meet(world.p1, date(2026, 8, 31), PARENT)  # the last day of 2025/26
    _meet(world.p1, date(2026, 9, 1), PARENT)  # the first day of 2026/27
    _meet(world.p1, date(2027, 8, 31), PARENT)  # the last day of 2026/27
    assert selectors.parent_meetings_this_year([world.p1], date(2026, 8, 31)) == {world.p1.pk: 1}
    assert selectors.parent_meetings_this_year([world.p1], date(2026, 9, 1)) == {world.p1.pk: 2}
    assert selectors.parent_meetings_this_year([world.p1], date(2027, 3, 1)) == {world.p1.pk: 2}
    assert selectors.parent_meetings_this_year([world.p1], date(2027, 9, 1)) == {world.p1.pk: 0}


def test_any_kind_of_meeting_counts_when_a_parent_was_there_and_none_counts_without(world: World) -> None:
    _meet(world.p1, date(2026, 9, 10), PARENT, PROFESSIONAL, kind=MeetingKind.PERSON_CENTRED)
    _meet(world.p1, date(2026, 9, 11), PROFESSIONAL, kind=MeetingKind.PROFESSIONALS)
    _meet(world.p1, date(2026, 9, 12), kind=MeetingKind.PARENT)  # called a parent meeting, but none came
    _meet(world.p1, date(2026, 9, 14), PARENT, PARENT)  # two parents at one meeting is one meeting
    counts = selectors.parent_meetings_this_year(
        Pupil.objects.filter(pk__in=[world.p1.pk, world.p2.pk]), date(2026, 10, 1)
    )
    assert counts == {world.p1.pk: 2, world.p2.pk: 0}


def test_only_pupils_on_sen_support_with_fewer_than_three_are_short(world: World) -> None:
    on = date(2026, 11, 13)
    for day in (1, 2):
        _meet(world.p1, date(2026, 10, day), PARENT)
    ehc = make_pupil(world.setting_a, "Eve", "Ehc", sen_status="E")
    short = selectors.short_of_parent_meetings(Pupil.objects.filter(pk__in=[world.p1.pk, world.p2.pk, ehc.pk]), on)
    assert [(s.pupil, s.count) for s in short] == [(world.p1, 2)]
    assert short[0].message == (
        "The SEND Code of Practice (6.65) expects schools to meet parents of pupils on SEN support at least three "
        "times a year. So far this year: 2 meetings with parents or carers since 1 September 2026."
    )
    _meet(world.p1, date(2026, 10, 3), PARENT)
    assert selectors.short_of_parent_meetings([world.p1], on) == []


@pytest.mark.parametrize("selector", [selectors.parent_meetings_this_year, selectors.short_of_parent_meetings])
def test_one_query_for_any_number_of_pupils(world: World, selector: object) -> None:
    on = date(2026, 11, 13)
    with CaptureQueriesContext(connection) as few:
        selector([world.p1], on)  # type: ignore[operator]
    pupils = [make_pupil(world.setting_a, f"P{n}", "Many", sen_status="K") for n in range(8)]
    for pupil in pupils:
        _meet(pupil, date(2026, 10, 1), PARENT)
    with CaptureQueriesContext(connection) as many:
        result = selector([world.p1, *pupils], on)  # type: ignore[operator]
    assert len(result) == 9
    assert len(few.captured_queries) == len(many.captured_queries) == 1


def test_the_pupil_page_shortfall_agrees_with_the_list_in_one_query(world: World) -> None:
    on = date(2026, 11, 13)
    for day in (1, 2):
        _meet(world.p1, date(2026, 10, day), PARENT)
    ehc = make_pupil(world.setting_a, "Eve", "Ehc", sen_status="E")
    for pupil in (world.p1, world.p2, ehc):
        counted = selectors.parent_meetings_this_year([pupil], on)[pupil.pk]
        listed = selectors.short_of_parent_meetings([pupil], on)
        with CaptureQueriesContext(connection) as queries:
            one = selectors.shortfall_for_pupil(pupil, counted, on)
        assert len(queries.captured_queries) == 1
        assert ([one] if one else []) == listed
    _meet(world.p1, date(2026, 10, 3), PARENT)
    assert selectors.shortfall_for_pupil(world.p1, 3, on) is None
