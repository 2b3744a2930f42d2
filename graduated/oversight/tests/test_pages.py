"""The dashboard's pages and downloads: what they show, who reaches them, bad filters, the audit trail
and a fixed number of queries whatever the number of settings and pupils."""

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.access import permissions
from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.organisations.models import Role
from graduated.oversight import summaries, views
from graduated.oversight.tests.scenario import TODAY, Northshire, build, grow, settle_lines

ClientFor = Callable[..., Client]


@pytest.fixture
def north(world: World, monkeypatch: pytest.MonkeyPatch) -> Northshire:
    scenario = build(world)
    summaries.rebuild(local_authority=world.la_north, today=TODAY)
    monkeypatch.setattr(views, "today", lambda: TODAY)
    return scenario


def _dashboard(north: Northshire, query: str = "") -> str:
    return reverse("oversight:dashboard", args=[north.world.la_north.pk]) + query


def test_the_dashboard_shows_each_setting_and_the_totals(north: Northshire, client_for: ClientFor) -> None:
    response = client_for(north.world.officer_north).get(_dashboard(north))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ash Primary School" in page and "Beech Academy" in page and "Cedar School" not in page
    rows = table_rows(page, "The settings, side by side")
    assert rows[0][:6] == ["Setting", "Phase", "Area", "Pupils on roll", "% on SEN support", "% with an EHC plan"]
    assert rows[1][:8] == ["Ash Primary School", "Primary", "North Vale", "4", "50.0", "25.0", "1", "2"]
    assert rows[1][8:] == ["£166.67", "2", "0"]
    assert rows[-1][:6] == ["All settings shown", "", "", "6", "50.0", "16.7"]
    needs = {row[0]: row[1:] for row in table_rows(page, "by primary need")}
    assert needs["Autistic spectrum disorder (ASD)"] == ["1", "1", "2", "50.0"]
    assert needs["All pupils on the register"] == ["3", "1", "4", "No figure"]
    assert page.count('role="img"') == 4  # needs, phases, year groups, terms: each followed by its table
    assert "Pupils on the SEN register by primary need" in page
    assert "Priya" not in page and "Ezra" not in page  # aggregates only
    assert reverse("oversight:setting", args=[north.world.setting_a.pk]) in page


def test_a_filter_narrows_the_settings_and_the_download_keeps_it(north: Northshire, client_for: ClientFor) -> None:
    response = client_for(north.world.officer_north).get(_dashboard(north, "?phase=secondary&area=Coastal"))
    assert response.status_code == 200
    assert [row.setting.name for row in response.context["overview"].settings] == ["Beech Academy"]
    export = reverse("oversight:dashboard_export", args=[north.world.la_north.pk])
    assert f"{export}?phase=secondary&amp;area=Coastal" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?phase=grammar", "Choose a phase from the list"),
        ("?area=Atlantis", "Choose an area from the list"),
        ("?phase=%00", "Choose a phase from the list"),
        ("?area=" + "x" * 5000, "Choose an area from the list"),
    ],
)
def test_a_bad_filter_is_a_400_with_a_message(
    north: Northshire, client_for: ClientFor, query: str, message: str
) -> None:
    client = client_for(north.world.officer_north)
    for url in (
        _dashboard(north, query),
        reverse("oversight:dashboard_export", args=[north.world.la_north.pk]) + query,
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Correct the choice above to see the figures." in response.content.decode()


def test_a_settings_page_has_its_own_figures_and_the_officers_cases(north: Northshire, client_for: ClientFor) -> None:
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for(north.world.officer_north).get(reverse("oversight:setting", args=[north.world.setting_a.pk]))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.counts.pupils, figures.counts.sen_support, figures.counts.ehc_plans) == (4, 2, 1)
    page = response.content.decode()
    # An officer who works the LA's cases sees the requests from Ash with the pupils' names, each audited.
    assert "Ezra Plan" in page and "Nia Nought" in page
    viewed = AuditEvent.objects.filter(pk__gt=since, action=AuditAction.VIEW)
    assert sorted(viewed.values_list("pupil_id", flat=True)) == sorted([north.ezra.pk, north.nia.pk])
    assert "Priya" not in page  # no request, so never named


def test_without_case_work_the_settings_page_names_no_one(
    north: Northshire, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures_only = permissions.LA_PERMISSIONS[Role.LA_OFFICER] - {permissions.OrganisationPermission.WORK_EHC_CASES}
    monkeypatch.setitem(permissions.LA_PERMISSIONS, Role.LA_OFFICER, figures_only)
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for(north.world.officer_north).get(reverse("oversight:setting", args=[north.world.setting_a.pk]))
    assert response.status_code == 200
    assert "Ezra Plan" not in response.content.decode() and "Nia Nought" not in response.content.decode()
    assert not AuditEvent.objects.filter(pk__gt=since).exists()


@pytest.mark.parametrize("persona", ["senco_a", "head_a", "teacher_a", "senco_c", "officer_south", "parent_p1"])
def test_school_staff_and_other_las_officers_get_404(north: Northshire, client_for: ClientFor, persona: str) -> None:
    client = client_for(north.world.persona(persona))
    la, setting = north.world.la_north.pk, north.world.setting_a.pk
    for url in (
        reverse("oversight:dashboard", args=[la]), reverse("oversight:dashboard_export", args=[la]),
        reverse("oversight:setting", args=[setting]), reverse("oversight:setting_export", args=[setting]),
    ):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_an_unknown_setting_or_la_is_404(north: Northshire, client_for: ClientFor) -> None:
    client = client_for(north.world.officer_north)
    assert client.get(reverse("oversight:setting", args=[999999])).status_code == 404
    assert client.get(reverse("oversight:dashboard", args=[999999])).status_code == 404


def _workbook(content: bytes):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content), read_only=True)


def test_the_spreadsheet_holds_the_figures_and_is_audited(north: Northshire, client_for: ClientFor) -> None:
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client_for(north.world.la_admin_north).get(
        reverse("oversight:dashboard_export", args=[north.world.la_north.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sen-dashboard-northshire-2026-12-03')
    book = _workbook(response.content)
    assert book.sheetnames == [
        "Settings", "Primary needs", "Phases", "Year groups", "APDR health", "Costs and sessions", "Interventions",
        "Requests", "Terms", "Outliers",
    ]  # fmt: skip
    rows = list(book["Settings"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Setting", "URN", "Phase", "Area", "Pupils on roll")
    assert rows[1][:7] == ("Ash Primary School", "100001", "Primary", "North Vale", 4, 2, 50)
    assert rows[-1][0] == "All settings shown" and rows[-1][4] == 6
    costs = {row[0]: row for row in book["Costs and sessions"].iter_rows(values_only=True)}
    assert costs["Ash Primary School"][1] == Decimal("166.67") or costs["Ash Primary School"][1] == 166.67
    items = {row[0]: row for row in book["Interventions"].iter_rows(values_only=True)}
    assert items["Talk boost"][2:6] == (1, 1, 1, 1)
    [event] = AuditEvent.objects.filter(pk__gt=since)
    assert (event.action, event.object_type, event.pupil_id) == (AuditAction.EXPORT, "oversight dashboard", None)
    assert "2 settings (all settings)" in event.description


def test_a_settings_spreadsheet(north: Northshire, client_for: ClientFor) -> None:
    response = client_for(north.world.officer_north).get(
        reverse("oversight:setting_export", args=[north.world.setting_b.pk])
    )
    assert response.status_code == 200
    rows = list(_workbook(response.content)["Settings"].iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["Setting", "Beech Academy"]  # no total row for one setting
    assert "Priya" not in response.content.decode("latin-1")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="oversight setting").count() == 1


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_each_page_takes_the_same_queries_at_two_sizes(world: World, client_for: ClientFor) -> None:
    """2 settings of 3 pupils, then 6 more of 9: the pages' queries do not grow with the data."""
    build(world)
    grow(world, settings=2, pupils=3)
    summaries.rebuild(local_authority=world.la_north, today=TODAY)
    settle_lines()
    client = client_for(world.officer_north)
    la, setting = world.la_north.pk, world.setting_a.pk
    urls = [
        reverse("oversight:dashboard", args=[la]), reverse("oversight:dashboard", args=[la]) + "?phase=primary",
        reverse("oversight:dashboard_export", args=[la]), reverse("oversight:setting", args=[setting]),
        reverse("oversight:setting_export", args=[setting]),
    ]  # fmt: skip
    client.get(urls[0])  # the session's first request saves it: not the page's
    small = [_queries(client, url) for url in urls]
    grow(world, settings=6, pupils=9)
    summaries.rebuild(local_authority=world.la_north, today=TODAY)
    settle_lines()
    large = [_queries(client, url) for url in urls]
    assert small == large
    assert small == [EXPECTED_DASHBOARD, EXPECTED_DASHBOARD, EXPECTED_EXPORT, EXPECTED_SETTING, EXPECTED_SETTING_EXPORT]


# The session, the person, the LA and the person's roles (4); then the page's own: the areas (1),
# the settings (1), pupils on roll per setting and in all (2), the register lines (1, after their
# sync: its last time and the changes since, 2),
# sessions (1), costs (1), requests (1), term snapshots (1), the outlier baseline (1), the LA's
# interventions with their tier names, costs and sessions (4). The export adds its audit event. A
# setting's page reads the setting (1) instead of the areas, the settings and the total, and its
# requests with names (1) and their audit events (1).
EXPECTED_DASHBOARD = 20
EXPECTED_EXPORT = 21
EXPECTED_SETTING = 20
EXPECTED_SETTING_EXPORT = 19
