"""The census check page: the SEN fields as the census will read them, and what would fail."""

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil
from graduated.pupils import services
from graduated.pupils.models import Need
from graduated.records.census_check import CensusDay, census_days_around, check, default_day

ACTOR = Actor.system("test")


def latest(season: str) -> CensusDay:
    """This school year's census of ``season`` (the pupils' data is from 2024 and 2025)."""
    return next(census for census in census_days_around(timezone.localdate()) if census.season == season)


def census_url(world: World, **query: str) -> str:
    url = reverse("records:census", args=[world.setting_a.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_census_days_are_the_first_and_third_thursdays() -> None:
    days = census_days_around(date(2026, 12, 3))
    assert [(d.season, d.day) for d in days[:3]] == [
        ("summer", date(2027, 5, 20)), ("spring", date(2027, 1, 21)), ("autumn", date(2026, 10, 1)),
    ]  # fmt: skip
    assert len(days) == 6 and all(d.day.weekday() == 3 for d in days)
    assert default_day(days, date(2026, 12, 3)).day == date(2027, 1, 21)
    assert default_day(days, date(2027, 1, 21)).day == date(2027, 1, 21)
    assert default_day(census_days_around(date(2027, 8, 1)), date(2027, 8, 1)).day == date(2027, 5, 20)


def test_the_page_lists_what_would_fail_and_what_the_census_reads(world: World, client_for: Any) -> None:
    ready = make_pupil(world.setting_a, "Ravi", "Ready", sen_status="K")
    services.record_need(actor=ACTOR, pupil=ready, sen_type="SLCN", rank=1, start_date=date(2024, 1, 8))
    services.record_need(actor=ACTOR, pupil=ready, sen_type="MLD", rank=2, start_date=date(2024, 1, 8))
    third = make_pupil(world.setting_a, "Tara", "Third", sen_status="K")
    services.record_need(actor=ACTOR, pupil=third, sen_type="ASD", rank=1, start_date=date(2024, 1, 8))
    services.record_need(actor=ACTOR, pupil=third, sen_type="SPLD", rank=3, start_date=date(2024, 1, 8))
    planned = make_pupil(world.setting_a, "Nora", "Nsa", sen_status="K")
    services.change_sen_status(actor=ACTOR, pupil=planned, status="E", start_date=date(2025, 2, 3))
    # The forms refuse NSA with an EHC plan; data from before them (or written by hand) may not.
    Need.objects.create(pupil=planned, sen_type="NSA", rank=1, start_date=date(2024, 1, 8))

    client = client_for(world.senco_a)
    spring, autumn = (latest(season) for season in ("spring", "autumn"))
    page = client.get(census_url(world, day=spring.key)).content.decode()
    assert spring.label in page
    failing = page.split("To fix before census day")[1].split("As the census will read it")[0]
    # P1 is on SEN support with no primary need; Nora's NSA is only valid with K.
    assert "Priya One" in failing and "no primary need (rank 1)" in failing
    assert "Nora Nsa" in failing and "NSA (SEN support without a specialist assessment" in failing
    assert "Tara Third" in failing and "The SPLD need has rank 3" in failing
    assert "Ravi Ready" not in failing and "Paul Two" not in page
    returned = page.split("As the census will read it")[1]
    ravi_row = returned.split("Ravi Ready")[1].split("</tr>")[0]
    assert "SLCN" in ravi_row and "MLD" in ravi_row
    # Ranks 1 and 2 only: Tara's SPLD (rank 3) is not what the census reads.
    tara_row = returned.split("Tara Third")[1].split("</tr>")[0]
    assert "ASD" in tara_row and "SPLD" not in tara_row
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="census check").count() == 1

    # The autumn census collects no need type: P1 passes it.
    in_autumn = client.get(census_url(world, day=autumn.key)).content.decode()
    assert "Priya One" not in in_autumn.split("As the census will read it")[0]


def test_a_pupil_who_joins_after_census_day_is_not_on_it(world: World) -> None:
    days = {census.day: census for census in census_days_around(date(2026, 12, 3))}
    spring, summer = days[date(2027, 1, 21)], days[date(2027, 5, 20)]
    before = check(world.setting_a, spring).on_roll
    make_pupil(world.setting_a, "Lena", "Late", start_date=date(2027, 2, 1))
    assert check(world.setting_a, spring).on_roll == before
    assert check(world.setting_a, summer).on_roll == before + 1


def test_a_day_that_is_not_a_census_day_is_answered_with_the_next_one(world: World, client_for: Any) -> None:
    for bad in ("2027-01-22", "not-a-date", "1999-10-07"):
        response = client_for(world.senco_a).get(census_url(world, day=bad))
        assert response.status_code == 200
        assert "That is not a census day of this school year or the last" in response.content.decode()


def test_the_check_takes_the_same_queries_for_3_or_30_pupils(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    client.get(census_url(world))  # warm the session and the menus

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(census_url(world)).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for serial in range(27):
        pupil = make_pupil(world.setting_a, "Many", f"Pupil{serial:02d}", sen_status="K")
        services.record_need(actor=ACTOR, pupil=pupil, sen_type="ASD", rank=1, start_date=date(2024, 1, 8))
    assert queries() == few
