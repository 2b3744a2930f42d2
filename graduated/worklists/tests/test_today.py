"""The home page: each person's work today, one section per role and place."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor
from graduated.ehc import services as ehc_services
from graduated.ehc.tests import factories as ehc_factories
from graduated.lib.testing import World, make_pupil
from graduated.organisations.models import Membership, Role
from graduated.pathway import services as pathway_services
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, CycleStatus
from graduated.worklists.today import today_for

ACTOR = Actor.system("test")


def _concern(pupil: Pupil, on: date) -> None:
    pathway_services.raise_concern(
        actor=ACTOR, pupil=pupil, raised_on=on, areas=["CL"], what_is_seen=f"Slow reading {pupil.pk}",
        already_tried="Phonics.",
    )  # fmt: skip


def _overdue_review(pupil: Pupil, world: World, today: date, days: int = -3) -> Cycle:
    return Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=today - timedelta(days=60),
        review_date=today + timedelta(days=days), plan_agreed_on=today - timedelta(days=50),
    )  # fmt: skip


def _home(client: Client) -> Any:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_a_senco_sees_counts_links_and_the_first_items(world: World, client_for: Callable[..., Client]) -> None:
    today = timezone.localdate()
    _concern(world.p1, today)
    _overdue_review(world.p2, world, today)
    _overdue_review(make_pupil(world.setting_a, "Dee", "Week"), world, today, days=3)
    _overdue_review(make_pupil(world.setting_a, "Far", "Off"), world, today, days=12)  # not this week
    response = _home(client_for(world.senco_a))
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Today</h1>' in page
    assert f"Caseload: {world.setting_a.name}" in page
    [section] = response.context["sections"]
    counts = {work.title: work.count for work in section.lists}
    assert counts["New concerns waiting for a decision"] == 1
    assert counts["Reviews overdue"] == 1 and counts["Reviews due this week"] == 1
    concerns = section.lists[0]
    assert concerns.url == reverse("pathway:setting_concerns", args=[world.setting_a.pk])
    assert concerns.items[0].text == "Priya One"
    assert reverse("worklists:caseload", args=[world.setting_a.pk]) + "#overdue-reviews" in page
    assert "Far Off" not in page


def test_pupils_shown_are_audited_once_each(world: World, client_for: Callable[..., Client]) -> None:
    today = timezone.localdate()
    _concern(world.p1, today)
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _home(client_for(world.senco_a))
    views = AuditEvent.objects.filter(pk__gt=since, action=AuditAction.VIEW, pupil_id=world.p1.pk)
    assert views.count() == 1


def test_the_first_few_only_and_a_fixed_query_count(
    world: World, client_for: Callable[..., Client], django_assert_max_num_queries: Any
) -> None:
    today = timezone.localdate()
    client = client_for(world.senco_a)
    _concern(world.p1, today)
    _home(client)
    for n in range(12):
        pupil = make_pupil(world.setting_a, "Many", f"Pupil{n}", sen_status="K")
        _concern(pupil, today)
        _overdue_review(pupil, world, today)
    with django_assert_max_num_queries(45):  # the same budget with one concern as with thirteen
        response = _home(client)
    [section] = response.context["sections"]
    assert section.lists[0].count == 13 and len(section.lists[0].items) == 3
    assert "See all 13" in response.content.decode()


def test_a_teaching_assistant_sees_their_pupils_and_todays_sessions(
    world: World, client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    item = catalogue_item(world.setting_a)
    make_group(item, name="Today's reading group", deliverer=world.ta_a, starts_on=today - timedelta(days=7),
               ends_on=today + timedelta(days=30), slots=[(today.weekday(), "09:00", "09:30")])  # fmt: skip
    make_group(item, name="Tomorrow's group", deliverer=world.ta_a, starts_on=today - timedelta(days=7),
               ends_on=today + timedelta(days=30), slots=[((today.weekday() + 1) % 7, "10:00", "10:30")])  # fmt: skip
    response = _home(client_for(world.ta_a))
    page = response.content.decode()
    [section] = response.context["sections"]
    assert {work.title: work.count for work in section.lists} == {"Your pupils": 1, "Sessions to log today": 1}
    assert reverse("worklists:my_pupils") in page
    assert "Today&#x27;s reading group" in page and "Tomorrow" not in page


def test_an_officer_sees_their_cases_nearest_first_and_an_admin_the_configuration(
    world: World, client_for: Callable[..., Client]
) -> None:
    later = ehc_factories.received(world.p1, on=timezone.localdate() - timedelta(days=3))
    sooner = ehc_factories.received(world.p2, on=timezone.localdate() - timedelta(days=20))
    ehc_factories.received(make_pupil(world.setting_a, "Not", "Mine"), on=timezone.localdate() - timedelta(days=30))
    for case in (later, sooner):
        ehc_services.assign_case(actor=ACTOR, request=case, officer_id=world.officer_north.pk,
                                 expected_version=case.version)  # fmt: skip
    response = _home(client_for(world.officer_north))
    [section] = response.context["sections"]
    [cases] = section.lists
    assert cases.count == 2
    assert [item.url for item in cases.items] == [
        reverse("ehc:case", args=[world.la_north.pk, sooner.pk]),
        reverse("ehc:case", args=[world.la_north.pk, later.pk]),
    ]
    page = response.content.decode()
    assert "Not Mine" not in page and reverse("ehc:inbox", args=[world.la_north.pk]) in page
    pack = reverse("rulepacks:pack", args=[world.la_north.pk])
    assert pack not in [link.url for link in section.links]  # an officer configures nothing
    admin = _home(client_for(world.la_admin_north))
    [admin_section] = admin.context["sections"]
    assert pack in [link.url for link in admin_section.links]
    admin = admin.content.decode()
    assert "No open EHC cases are assigned to you." in admin


def test_several_roles_give_one_section_each(world: World) -> None:
    Membership.objects.create(user=world.senco_a, setting=world.setting_c, role=Role.TEACHER)
    sections = today_for(world.senco_a, timezone.localdate())
    assert sorted(s.heading for s in sections) == [
        f"Caseload: {world.setting_a.name}",
        f"Your pupils and groups: {world.setting_c.name}",
    ]


def test_a_teacher_sees_only_pupils_they_may_open(world: World, client_for: Callable[..., Client]) -> None:
    _concern(world.p2, timezone.localdate())  # p2 is not linked to the teacher
    page = _home(client_for(world.teacher_a)).content.decode()
    assert "Paul Two" not in page


@pytest.mark.parametrize(
    ("persona", "place"), [("parent_p1", "families:home"), ("professional_p1", "professionals:my_pupils")]
)
def test_families_and_professionals_still_go_to_their_place(
    world: World, client_for: Callable[..., Client], persona: str, place: str
) -> None:
    response = client_for(world.persona(persona)).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse(place)
