from collections.abc import Callable
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil
from graduated.pupils import services as pupil_services
from graduated.pupils.models import Pupil, StaffRelationship
from graduated.support.models import Cycle, CycleStatus, Outcome, Provision

URL = reverse("worklists:my_pupils")
ClientFor = Callable[..., Client]


def _plan(pupil: Pupil, world: World) -> Cycle:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=today - timedelta(days=10),
        review_date=today + timedelta(days=40), plan_agreed_on=today - timedelta(days=5),
    )  # fmt: skip
    Outcome.objects.create(
        cycle=cycle, position=1, description="Take turns in a small-group game for 10 minutes",
        measure="Observation", baseline="2 minutes", target="10 minutes", by_when=today + timedelta(days=40),
        area="SEMH",
    )  # fmt: skip
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Lego therapy group", delivered_by=world.ta_a,
        sessions_per_week=2,
    )  # fmt: skip
    return cycle


def test_linked_staff_see_what_to_work_on_and_can_log_a_session(
    world: World, client_for: Callable[..., Client]
) -> None:
    cycle = _plan(world.p1, world)
    page = client_for(world.ta_a).get(URL).content.decode()
    assert "Take turns in a small-group game for 10 minutes" in page
    assert "Lego therapy group" in page and "Delivered by you, 2 a week" in page
    log = reverse("support:log_delivery", args=[world.p1.pk, cycle.pk, cycle.provisions.get().pk])
    assert log in page
    assert "Paul Two" not in page  # not linked


def test_staff_with_no_linked_pupils_are_told_how_links_are_made(
    world: World, client_for: Callable[..., Client]
) -> None:
    page = client_for(world.other_teacher_a).get(URL).content.decode()
    assert "No pupils are linked to you yet" in page


def test_my_pupils_runs_a_fixed_number_of_queries(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.ta_a)
    _plan(world.p1, world)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for number in range(8):
        pupil = make_pupil(world.setting_a, "Linked", f"Pupil{number}")
        pupil_services.link_staff(
            actor=Actor.system("test"), pupil=pupil, setting=world.setting_a, user=world.ta_a,
            relationship=StaffRelationship.TEACHING_ASSISTANT,
        )  # fmt: skip
        _plan(pupil, world)
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL).content.decode()
    assert page.count("Delivered by you") == 9
    assert len(large.captured_queries) == len(small.captured_queries)
