from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World, make_pupil
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, CycleStatus, Outcome, PlanAcknowledgement
from graduated.worklists.caseload import caseload


def _cycle(pupil: Pupil, world: World, *, status: str = CycleStatus.DO, review_in_days: int | None = 7) -> Cycle:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=status, started_on=today - timedelta(days=40),
        review_date=None if review_in_days is None else today + timedelta(days=review_in_days),
        plan_agreed_on=today - timedelta(days=30) if status == CycleStatus.DO else None,
    )  # fmt: skip
    if status == CycleStatus.DO:
        Outcome.objects.create(
            cycle=cycle, position=1, description="Read 20 high-frequency words", measure="Word list check",
            baseline="8 words", target="20 words", by_when=today + timedelta(days=60), area="CL",
        )  # fmt: skip
    return cycle


def test_reviews_are_sorted_into_overdue_and_due_soon(world: World) -> None:
    today = timezone.localdate()
    soon = _cycle(world.p1, world, review_in_days=5)
    late = _cycle(world.p2, world, review_in_days=-3)
    _cycle(make_pupil(world.setting_a, "Far", "Off"), world, review_in_days=30)
    sections = caseload(world.setting_a, today)
    assert sections["reviews_soon"] == [soon]
    assert sections["reviews_overdue"] == [late]


def test_plans_missing_outcomes_or_a_review_date_are_listed(world: World) -> None:
    assessing = _cycle(world.p1, world, status=CycleStatus.ASSESS, review_in_days=None)
    _cycle(world.p2, world)  # complete: outcomes and a review date
    assert caseload(world.setting_a, timezone.localdate())["incomplete_plans"] == [assessing]


def test_staff_who_have_not_read_the_plan_are_named(world: World) -> None:
    cycle = _cycle(world.p1, world)
    PlanAcknowledgement.objects.create(cycle=cycle, user=world.teacher_a)
    waiting = caseload(world.setting_a, timezone.localdate())["unacknowledged"]
    assert [(item.cycle, item.staff) for item in waiting] == [(cycle, [world.ta_a.full_name])]


def test_the_page_names_pupils_short_of_parent_meetings_with_the_reason(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.senco_a).get(reverse("worklists:caseload", args=[world.setting_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Code of Practice (6.65)" in page and world.p1.display_name in page
    assert world.p4.display_name not in page  # another setting's pupil
    assert AuditEvent.objects.filter(object_type="caseload", action="view").count() == 1


def test_the_caseload_runs_a_fixed_number_of_queries(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = reverse("worklists:caseload", args=[world.setting_a.pk])
    _cycle(world.p1, world, review_in_days=3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(12):
        pupil = make_pupil(world.setting_a, "Extra", f"Pupil{number}")
        _cycle(pupil, world, review_in_days=number - 6)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Pupil11" in page  # the larger caseload is really on the page
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_date_far_from_today_still_sorts_by_the_given_day(world: World) -> None:
    cycle = _cycle(world.p1, world, review_in_days=0)
    assert caseload(world.setting_a, timezone.localdate() + timedelta(days=1))["reviews_overdue"] == [cycle]
    assert caseload(world.setting_a, date(2000, 1, 1))["reviews_soon"] == []


def test_each_section_is_paged_and_counted_whole(
    world: World, client_for: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from graduated.lib import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 5)
    url = reverse("worklists:caseload", args=[world.setting_a.pk])
    for number in range(7):
        _cycle(make_pupil(world.setting_a, "Late", f"Reviewer{number}"), world, review_in_days=-1 - number)
    client = client_for(world.senco_a)
    page = client.get(url).content.decode()
    assert "Reviews overdue (7)" in page
    overdue = [name for name in (f"Reviewer{n}" for n in range(7)) if name in page]
    assert len(overdue) == 5
    assert 'aria-label="Pages of overdue reviews"' in page and 'href="?overdue-reviews=2#overdue-reviews"' in page
    second = client.get(url, {"overdue-reviews": "2"}).content.decode()
    assert "Reviews overdue (7)" in second
    assert {name for name in (f"Reviewer{n}" for n in range(7)) if name in second} == {
        f"Reviewer{n}" for n in range(7)
    } - set(overdue)
    assert AuditEvent.objects.filter(object_type="caseload", action="view").count() == 2
