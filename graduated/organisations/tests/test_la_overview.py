"""The LA overview: figures per setting and for the LA, with no pupil named, in fixed queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from graduated.lib.testing import World, make_pupil
from graduated.organisations import selectors
from graduated.organisations.models import Phase, Setting
from graduated.organisations.tests.types import ClientFor
from graduated.pupils.codes import SENType
from graduated.pupils.models import Enrolment, Need, Pupil


def need(pupil: Pupil, sen_type: SENType, rank: int = 1, ended: bool = False) -> None:
    Need.objects.create(
        pupil=pupil,
        sen_type=sen_type,
        rank=rank,
        start_date=date(2024, 1, 8),
        end_date=date(2024, 3, 1) if ended else None,
    )


@pytest.fixture
def north(world: World) -> World:
    """The world, plus: a pupil with an EHC plan at Ash, a pupil who has left Beech, and needs.

    Ash: P1 (SEN support), P2 (no SEN), Ezra (EHC plan). Beech: P3 (SEN support); Lola left.
    Primary needs: P1 SLCN (and SEMH second), P3 ASD, Ezra ASD. Not counted: P2's ended SpLD,
    Lola's MLD (she has left), P4's SLCN (Southborough).
    """
    ezra = make_pupil(world.setting_a, "Ezra", "Plan", sen_status="E")
    lola = make_pupil(world.setting_b, "Lola", "Left", sen_status="K")
    Enrolment.objects.filter(pupil=lola).update(end_date=date(2024, 7, 19))
    need(world.p1, SENType.SLCN)
    need(world.p1, SENType.SEMH, rank=2)
    need(world.p2, SENType.SPLD, ended=True)
    need(world.p3, SENType.ASD)
    need(ezra, SENType.ASD)
    need(lola, SENType.MLD)
    need(world.p4, SENType.SLCN)
    return world


def test_figures_for_each_setting_and_the_la(north: World) -> None:
    overview = selectors.la_overview(north.la_north)

    rows = [(r.setting.name, r.pupils, r.sen_support, r.ehc_plans, r.register_share) for r in overview.settings]
    assert rows == [
        ("Ash Primary School", 3, 1, 1, Decimal("66.7")),
        ("Beech Academy", 1, 1, 0, Decimal("100.0")),
    ]
    totals = overview.totals
    assert (totals.pupils, totals.sen_support, totals.ehc_plans, totals.register_share) == (
        4,
        2,
        1,
        Decimal("75.0"),
    )
    counts = {n.sen_type: n.pupils for n in overview.primary_needs if n.pupils}
    assert counts == {"SLCN": 1, "ASD": 2}
    assert [n.sen_type for n in overview.primary_needs] == list(SENType.values)
    assert overview.pupils_with_primary_need == 3


def test_a_pupil_in_two_of_the_las_settings_is_counted_once_in_the_totals(world: World) -> None:
    Enrolment.objects.create(pupil=world.p3, setting=world.setting_a, start_date=date(2024, 9, 2))
    need(world.p3, SENType.HI)

    overview = selectors.la_overview(world.la_north)

    assert [(r.pupils, r.sen_support) for r in overview.settings] == [(3, 2), (1, 1)]
    assert (overview.totals.pupils, overview.totals.sen_support) == (3, 2)
    assert overview.pupils_with_primary_need == 1


def test_a_setting_with_no_pupils_has_no_share(world: World) -> None:
    Setting.objects.create(name="Alder Nursery", phase=Phase.EARLY_YEARS, local_authority=world.la_north)
    overview = selectors.la_overview(world.la_north)
    empty = overview.settings[0]
    assert (empty.setting.name, empty.pupils, empty.register_share) == ("Alder Nursery", 0, None)


def test_the_page_shows_figures_and_names_no_pupil(client_for: ClientFor, north: World) -> None:
    response = client_for(north.officer_north).get(reverse("organisations:la_overview", args=[north.la_north.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Ash Primary School",
        "Beech Academy",
        "Primary",
        "Secondary",
        "66.7%",
        "100.0%",
        "75.0%",
    ]:
        assert text in page
    assert "Speech, language and communication needs" in page
    assert "Cedar School" not in page  # Southborough's
    for pupil in Pupil.objects.all():
        assert pupil.legal_first_name not in page
        assert pupil.legal_last_name not in page
        assert str(pupil.upn) not in page
    assert reverse("organisations:members", args=["la", north.la_north.pk]) not in page  # officer


def test_the_la_admin_is_offered_the_people_page(client_for: ClientFor, world: World) -> None:
    page = client_for(world.la_admin_north).get(reverse("organisations:la_overview", args=[world.la_north.pk]))
    assert reverse("organisations:members", args=["la", world.la_north.pk]) in page.content.decode()


@pytest.mark.parametrize("persona", ["officer_south", "senco_a", "head_a", "platform_admin"])
def test_no_one_else_sees_the_las_figures(client_for: ClientFor, world: World, persona: str) -> None:
    url = reverse("organisations:la_overview", args=[world.la_north.pk])
    assert client_for(world.persona(persona)).get(url).status_code == 404


def _grow(world: World, settings: int, pupils_each: int) -> None:
    for s in range(settings):
        setting = Setting.objects.create(name=f"Extra School {s}", phase=Phase.PRIMARY, local_authority=world.la_north)
        for p in range(pupils_each):
            pupil = make_pupil(setting, f"Extra{p}", f"Pupil{s}", sen_status="K" if p % 2 else "E")
            need(pupil, SENType.values[p % len(SENType.values)])


def test_the_selector_runs_six_queries_whatever_the_size(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(6):
        selectors.la_overview(world.la_north)
    _grow(world, settings=4, pupils_each=6)
    with django_assert_num_queries(6):
        overview = selectors.la_overview(world.la_north)
    assert overview.totals.pupils == 3 + 4 * 6


def test_the_page_makes_the_same_number_of_queries_at_two_sizes(world: World) -> None:
    client = Client()
    client.force_login(world.officer_north)
    url = reverse("organisations:la_overview", args=[world.la_north.pk])
    client.get(url)  # the first request also sets up the session

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, settings=5, pupils_each=8)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert "Extra School 4" in response.content.decode()
    assert len(large) == len(small)
    assert len(small) <= 12
