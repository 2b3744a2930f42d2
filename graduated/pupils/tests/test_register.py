import csv
import io
import re
from collections.abc import Callable
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil
from graduated.pupils import services

ACTOR = Actor.system("test")


def _register(client: Client, world: World, **params: str) -> str:
    response = client.get(reverse("pupils:register", args=[world.setting_a.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_register_lists_pupils_on_the_register_by_default(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    page = _register(client, world)
    assert "One, Priya" in page  # K
    assert "Two, Paul" not in page  # N
    assert "Three, Petra" not in page  # another setting
    assert "Two, Paul" in _register(client, world, status="all")


def test_filters_by_need_area_year_and_search(world: World, client_for: Callable[..., Client]) -> None:
    services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 2, 1))
    other = make_pupil(world.setting_a, "Zara", "Zed", sen_status="K", date_of_birth=date(2019, 1, 5))
    services.record_need(actor=ACTOR, pupil=other, sen_type="SEMH", rank=1, start_date=date(2024, 2, 1))
    client = client_for(world.senco_a)
    assert "Zed, Zara" not in _register(client, world, need="SLCN")
    assert "One, Priya" in _register(client, world, need="SLCN")
    assert "One, Priya" not in _register(client, world, area="SEMH")
    assert "Zed, Zara" in _register(client, world, area="SEMH")
    # P1 was born 14 March 2016: Year 5 in 2026/27; Zara (January 2019) is in Year 2.
    year = str(world.p1.year_group())
    assert "One, Priya" in _register(client, world, year=year)
    assert "Zed, Zara" not in _register(client, world, year=year)
    assert "Zed, Zara" in _register(client, world, q="zar")
    assert "One, Priya" not in _register(client, world, q="zar")
    assert "Zed, Zara" in _register(client, world, q=other.upn[:8].lower())


def test_malformed_filters_are_ignored_not_an_error(world: World, client_for: Callable[..., Client]) -> None:
    page = _register(client_for(world.senco_a), world, year="banana", status="X'; DROP", page="-4", sort="evil")
    assert "One, Priya" in page


def test_sorting_by_name_both_ways(world: World, client_for: Callable[..., Client]) -> None:
    make_pupil(world.setting_a, "Ann", "Able", sen_status="K")
    client = client_for(world.senco_a)
    ascending = _register(client, world, sort="name", direction="asc")
    descending = _register(client, world, sort="name", direction="desc")
    assert ascending.index("Able, Ann") < ascending.index("One, Priya")
    assert descending.index("Able, Ann") > descending.index("One, Priya")
    assert 'aria-sort="descending"' in descending


def test_pagination_splits_long_registers(world: World, client_for: Callable[..., Client]) -> None:
    for number in range(55):
        make_pupil(world.setting_a, f"Pupil{number:02d}", "Many", sen_status="K")
    client = client_for(world.senco_a)
    first, second = _register(client, world), _register(client, world, page="2")
    assert "56 pupils" in first
    assert len(re.findall(r'href="/pupils/\d+/"', first)) == 50
    assert len(re.findall(r'href="/pupils/\d+/"', second)) == 6


def test_register_query_count_does_not_grow_with_pupils(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = reverse("pupils:register", args=[world.setting_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(30):
        pupil = make_pupil(world.setting_a, f"Extra{number}", "Pupil", sen_status="K")
        services.record_need(actor=ACTOR, pupil=pupil, sen_type="MLD", rank=1, start_date=date(2024, 2, 1))
        services.record_need(actor=ACTOR, pupil=pupil, sen_type="HI", rank=2, start_date=date(2024, 2, 1))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_csv_export_holds_the_filtered_register_and_is_audited(world: World, client_for: Callable[..., Client]) -> None:
    services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 2, 1))
    make_pupil(world.setting_a, "=cmd|'/C calc'!A0", "Formula", sen_status="K")
    before = AuditEvent.objects.filter(action="export").count()
    response = client_for(world.head_a).get(reverse("pupils:register_export", args=[world.setting_a.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["UPN", "Legal surname", "Legal forename"]
    by_surname = {row[1]: row for row in rows[1:]}
    assert set(by_surname) == {"One", "Formula"}
    assert by_surname["One"][8:11] == ["K", "2024-01-08", "SLCN"]
    assert by_surname["Formula"][2].startswith("'=")  # neutralised for spreadsheets
    events = AuditEvent.objects.filter(action="export")
    assert events.count() == before + 1
    event = events.first()
    assert event is not None
    assert (event.actor_email, event.actor_role) == (world.head_a.email, "senior_leader")
    assert "2 pupils" in event.description
