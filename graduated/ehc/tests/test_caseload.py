"""Officers' caseloads: a case is assigned to one of the LA's officers, and the inbox narrows to a
setting, a stage, an officer (or the cases nobody holds) and a status."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import selectors, services
from graduated.ehc.models import EHCRequest, RequestSource
from graduated.ehc.tests.factories import ACTOR, received
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.lib.versioning import StaleEditError

TODAY = date.today()


def _from_school(world: World, pupil: object, days_ago: int) -> EHCRequest:
    return services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=pupil, received_on=TODAY - timedelta(days=days_ago),  # type: ignore[arg-type]
        source=RequestSource.EDUCATION_SETTING, requested_by="The SENCO", requesting_setting=world.setting_a,
    )  # fmt: skip


def _assign(case: EHCRequest, officer_id: int | None) -> EHCRequest:
    return services.assign_case(actor=ACTOR, request=case, officer_id=officer_id, expected_version=case.version)


def test_a_case_is_assigned_to_one_of_the_las_officers_only(world: World) -> None:
    case = received(world.p1, TODAY - timedelta(days=5))
    case = _assign(case, world.officer_north.pk)
    assert EHCRequest.objects.get(pk=case.pk).officer == world.officer_north
    event = AuditEvent.objects.get(object_type="ehc.ehcrequest", action=AuditAction.CHANGE, pupil_id=world.p1.pk)
    assert event.changed_fields == ["officer"]
    for outsider in (world.officer_south, world.senco_a):
        with pytest.raises(services.EHCError, match="Choose one of Northshire's officers"):
            _assign(case, outsider.pk)
    with pytest.raises(StaleEditError):
        services.assign_case(actor=ACTOR, request=case, officer_id=None, expected_version=case.version - 1)
    assert _assign(case, None).officer is None


def test_the_inbox_narrows_by_setting_stage_officer_and_status(world: World, client_for: Callable[..., Client]) -> None:
    mine = _assign(_from_school(world, world.p1, 39), world.officer_north.pk)  # 3 days left: red
    _from_school(world, world.p2, 14)  # 28 days left: green, nobody's
    received(world.p3, TODAY - timedelta(days=30))  # from a parent: amber, nobody's
    client = client_for(world.officer_north)
    url = reverse("ehc:inbox", args=[world.la_north.pk])

    def names(**filters: object) -> list[str]:
        response = client.get(url, filters)
        assert response.status_code == 200
        html = response.content.decode()
        return [] if "No open cases" in html else [row[0] for row in table_rows(html, "open case")[1:]]

    assert names(setting=world.setting_a.pk) == ["Priya One", "Paul Two"]
    assert names(officer=world.officer_north.pk) == ["Priya One"]
    assert names(officer="none") == ["Petra Three", "Paul Two"]
    assert names(rag="amber") == ["Petra Three"]
    assert names(setting=world.setting_a.pk, rag="green") == ["Paul Two"]
    assert names(stage="assessing") == []
    page = client.get(url).content.decode()
    assert "My caseload" in page and f"?officer={world.officer_north.pk}" in page
    (row,) = [row for row in table_rows(page, "open case")[1:] if row[0] == "Priya One"]
    assert (row[2], row[3]) == (world.setting_a.name, str(world.officer_north))
    assert mine.officer_id == world.officer_north.pk


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"officer": "99999"}, "Choose an officer from the list"),
        ({"setting": "abc"}, "Choose a setting from the list"),
        ({"rag": "purple"}, "Choose a status from the list"),
    ],
)
def test_a_filter_not_offered_is_a_clear_400(
    world: World, client_for: Callable[..., Client], filters: dict[str, str], message: str
) -> None:
    response = client_for(world.officer_north).get(reverse("ehc:inbox", args=[world.la_north.pk]), filters)
    assert response.status_code == 400 and message in response.content.decode()


def test_another_las_setting_is_not_a_filter(world: World, client_for: Callable[..., Client]) -> None:
    south_setting = world.p4.enrolments.get().setting
    response = client_for(world.officer_north).get(
        reverse("ehc:inbox", args=[world.la_north.pk]), {"setting": south_setting.pk}
    )
    assert response.status_code == 400


def test_the_officer_assigns_a_case_on_its_page(world: World, client_for: Callable[..., Client]) -> None:
    case = received(world.p1, TODAY - timedelta(days=5))
    client = client_for(world.officer_north)
    url = reverse("ehc:assign_case", args=[world.la_north.pk, case.pk])
    form = client.get(url).content.decode()
    assert str(world.officer_north) in form and str(world.officer_south) not in form
    bad = client.post(url, {"officer": world.officer_south.pk, "version": case.version})
    assert bad.status_code == 400 and "Choose an officer from the list" in bad.content.decode()
    done = client.post(url, {"officer": world.officer_north.pk, "version": case.version}, follow=True)
    assert "Case assigned." in done.content.decode()
    assert EHCRequest.objects.get(pk=case.pk).officer == world.officer_north


def test_the_inbox_takes_the_same_queries_for_two_cases_or_eight(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.officer_north)
    url = reverse("ehc:inbox", args=[world.la_north.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"setting": world.setting_a.pk}).status_code == 200
        return len(queries)

    _assign(_from_school(world, world.p1, 10), world.officer_north.pk)
    _from_school(world, world.p2, 12)
    count()  # the first request of a session also loads what later ones keep
    two = count()
    for index in range(6):
        case = _from_school(world, make_pupil(world.setting_a, "More", f"Pupil{index}"), 20 + index)
        _assign(case, world.officer_north.pk if index % 2 else None)
    assert count() == two
    assert len(selectors.inbox(world.la_north, TODAY, selectors.InboxFilter(officer=0))) == 4
