"""The cost pages as people meet them: staff costs, a pupil's costed map and a setting's map."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.organisations.models import Membership, Role, Setting
from graduated.provision.models import SenBudget, StaffCost
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import hourly_costs, make_group, place
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, CycleStatus, Outcome, Provision

ClientFor = Callable[..., Client]


def _costs_url(world: World) -> str:
    return reverse("provision:staff_costs", args=[world.setting_a.pk])


def _setting_map_url(world: World) -> str:
    return reverse("provision:setting_map", args=[world.setting_a.pk])


def _pupil_map_url(world: World) -> str:
    return reverse("provision:pupil_map", args=[world.p1.pk])


def _costs_form(**changes: str) -> dict[str, str]:
    data = {
        f"role_{role}": "" for role in ("teacher", "teaching_assistant", "senco", "specialist_teacher", "therapist")
    }
    data |= {"budget_2026": "", "budget_2027": ""}
    return data | changes


# -- Staff costs ----------------------------------------------------------------------------------------


def test_the_senco_sets_hourly_costs_and_the_budget(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    response = client.post(
        _costs_url(world), _costs_form(role_teaching_assistant="£18.50", role_teacher="42", budget_2026="£85,000")
    )
    assert response.status_code == 302
    stored = dict(StaffCost.objects.filter(setting=world.setting_a).values_list("role", "hourly_cost"))
    assert stored == {"teaching_assistant": Decimal("18.50"), "teacher": Decimal("42.00")}
    assert SenBudget.objects.get(setting=world.setting_a, year_starting=2026).amount == Decimal("85000.00")
    assert AuditEvent.objects.filter(action="create", object_type="provision.staffcost").count() == 2
    page = client.get(_costs_url(world)).content.decode()
    assert 'value="18.50"' in page and 'value="85000.00"' in page

    # Clearing a cost removes it; a cost left alone is not touched.
    ta = StaffCost.objects.get(setting=world.setting_a, role="teaching_assistant")
    teacher = StaffCost.objects.get(setting=world.setting_a, role="teacher")
    budget = SenBudget.objects.get(setting=world.setting_a, year_starting=2026)
    response = client.post(
        _costs_url(world),
        _costs_form(
            role_teaching_assistant="19.00", role_teacher="", budget_2026="85000",
            version_role_teaching_assistant=str(ta.version), version_role_teacher=str(teacher.version),
            version_budget_2026=str(budget.version),
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert dict(StaffCost.objects.filter(setting=world.setting_a).values_list("role", "hourly_cost")) == {
        "teaching_assistant": Decimal("19.00")
    }
    assert StaffCost.objects.get(setting=world.setting_a).version == 2
    assert SenBudget.objects.get(setting=world.setting_a, year_starting=2026).version == 1


def test_a_stale_save_is_refused_and_the_typing_kept(world: World, client_for: ClientFor) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")  # read at version 1 by the form below
    StaffCost.objects.filter(setting=world.setting_a).update(hourly_cost=Decimal("21.00"), version=2)  # someone else
    response = client_for(world.senco_a).post(
        _costs_url(world),
        _costs_form(role_teaching_assistant="22.00", role_teacher="40", version_role_teaching_assistant="1"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed these costs" in page
    assert 'value="22.00"' in page and 'value="40"' in page  # their typing
    assert "£21.00" in page  # what is saved now
    assert StaffCost.objects.get(setting=world.setting_a).hourly_cost == Decimal("21.00")
    assert not StaffCost.objects.filter(role="teacher").exists()  # nothing of the refused save


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "Enter an amount in pounds, like 18.50"), ("-3", "Enter an amount of £0 or more"),
     ("12.345", "Enter pounds and pence only, like 18.50"), ("123456", "Enter an amount less than £100,000")],
)  # fmt: skip
def test_a_cost_that_is_not_money_is_refused(world: World, client_for: ClientFor, typed: str, message: str) -> None:
    response = client_for(world.senco_a).post(_costs_url(world), _costs_form(role_teacher=typed))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StaffCost.objects.exists()


def test_a_senior_leader_reads_the_costs_but_may_not_set_them(world: World, client_for: ClientFor) -> None:
    hourly_costs(world.setting_a, teacher="40.00")
    client = client_for(world.head_a)
    page = client.get(_costs_url(world)).content.decode()
    assert "£40.00" in page and '<form method="post" novalidate>' not in page
    assert client.post(_costs_url(world), _costs_form(role_teacher="1")).status_code == 403
    assert StaffCost.objects.get().hourly_cost == Decimal("40.00")


# -- A pupil's map ----------------------------------------------------------------------------------


def _cycle(pupil: object, setting: object) -> Cycle:
    return Cycle.objects.create(
        pupil=pupil, setting=setting, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )  # fmt: skip


def test_the_pupil_map_shows_the_working_and_warns_over_6000(world: World, client_for: ClientFor) -> None:
    hourly_costs(world.setting_a, specialist_teacher="50.00")
    cycle = _cycle(world.p1, world.setting_a)
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Daily one-to-one teaching", staff_role="specialist_teacher",
        sessions_per_week=5, minutes_per_session=60, group_size=1,
    )  # fmt: skip
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Reading with a volunteer", sessions_per_week=3,
        minutes_per_session=15,
    )  # fmt: skip
    response = client_for(world.senco_a).get(_pupil_map_url(world), {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    rows = table_rows(page, "Provision and its cost")
    assert rows[1][0].startswith("Daily one-to-one teaching")
    assert rows[1][3] == (
        "5 sessions a week × 60 minutes × £50.00 an hour (specialist teacher) = £250.00 a week × 39.0 weeks "
        "= £9,750.00. Weeks counted, 1 September 2026 to 31 August 2027: 365 days × 39 ÷ 365 = 39.0 (no term "
        "dates recorded for 2026/27, so 39 weeks a year spread evenly)."
    )
    assert rows[2][3] == "Not costed Staff time not costed: no staff role given."
    assert rows[-1] == ["Total additional support", "£9,750.00", "£0.00", "£9,750.00"]
    assert "The £3,750.00 above it may be requested from the local authority as element 3 top-up" in page
    assert "1 provision could not be costed" in page
    assert "a cancelled or missed session does not reduce them" in page
    assert (
        AuditEvent.objects.filter(action="view", pupil_id=world.p1.pk, object_type="costed provision map").count() == 1
    )


def test_a_pupil_under_6000_has_no_warning_and_a_range_can_be_chosen(world: World, client_for: ClientFor) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    Provision.objects.create(
        cycle=_cycle(world.p1, world.setting_a), kind="intervention", description="Precision teaching",
        staff_role="teaching_assistant", sessions_per_week=5, minutes_per_session=12, group_size=1,
    )  # fmt: skip
    # September 2026: 30 days × 39 ÷ 365 = 3.2 weeks × (5 × 12 minutes = 1 hour × £20.00) = £64.00.
    page = client_for(world.senco_a).get(_pupil_map_url(world), {"from": "2026-09-01", "to": "2026-09-30"})
    assert table_rows(page.content.decode(), "Provision and its cost")[-1][-1] == "£64.00"
    assert "element 3" not in page.content.decode()


def test_a_range_is_chosen_with_govuk_date_inputs(world: World, client_for: ClientFor) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    Provision.objects.create(
        cycle=_cycle(world.p1, world.setting_a), kind="intervention", description="Precision teaching",
        staff_role="teaching_assistant", sessions_per_week=5, minutes_per_session=12, group_size=1,
    )  # fmt: skip
    typed = {"from_day": "1", "from_month": "9", "from_year": "2026"}
    typed |= {"to_day": "30", "to_month": "9", "to_year": "2026"}
    page = client_for(world.senco_a).get(_pupil_map_url(world), typed).content.decode()
    assert table_rows(page, "Provision and its cost")[-1][-1] == "£64.00"  # as ?from=2026-09-01&to=2026-09-30
    assert 'name="from_day" type="text" inputmode="numeric" value="1"' in page  # what was typed stays
    assert 'type="date"' not in page
    linked = client_for(world.senco_a).get(_pupil_map_url(world), {"from": "2026-09-01", "to": "2026-09-30"})
    assert 'name="to_day" type="text" inputmode="numeric" value="30"' in linked.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [({"year": "twenty"}, "Enter the academic year as the year it starts"),
     ({"year": "1850"}, "Enter the academic year as the year it starts"),
     ({"from": "2026-09-01"}, "Enter both a start date and an end date"),
     ({"from": "2026-02-30", "to": "2026-03-01"}, "Enter the start date as a real date"),
     ({"from": "1/9/2026", "to": "2026-10-01"}, "Enter the start date as a real date"),
     ({"from": "2026-10-01", "to": "2026-09-01"}, "The end date must be the same as or after the start date"),
     ({"year": "2026", "from": "2026-09-01", "to": "2026-10-01"}, "Choose an academic year or a date range, not both"),
     # The page's GOV.UK date inputs: day, month and year typed separately.
     ({"from_day": "1", "from_month": "9", "from_year": "2026"}, "Enter both a start date and an end date"),
     ({"from_day": "1", "from_year": "2026", "to_day": "1", "to_month": "10", "to_year": "2026"},
      "The start date must include a month"),
     ({"from_day": "31", "from_month": "2", "from_year": "2026", "to_day": "1", "to_month": "3", "to_year": "2026"},
      "Enter the start date as a real date, like 1 9 2026"),
     ({"from_day": "1", "from_month": "9", "from_year": "2026", "to_day": "x", "to_month": "10", "to_year": "2026"},
      "Enter the end date as a real date, like 1 9 2026"),
     ({"from_day": "1", "from_month": "9", "from_year": "9" * 5000, "to_day": "1", "to_month": "10",
       "to_year": "2026"}, "Enter the start date as a real date"),
     ({"from_day": "1", "from_month": "9", "from_year": "26", "to_day": "1", "to_month": "10", "to_year": "2026"},
      "The start date must be between 2000 and 2099")],
)  # fmt: skip
def test_a_malformed_period_is_a_400_with_a_message(
    world: World, client_for: ClientFor, query: dict[str, str], message: str
) -> None:
    client = client_for(world.senco_a)
    for url in (
        _pupil_map_url(world), _setting_map_url(world),
        reverse("provision:pupil_map_export", args=[world.p1.pk, "xlsx"]),
        reverse("provision:setting_map_export", args=[world.setting_a.pk, "pdf"]),
    ):  # fmt: skip
        response = client.get(url, query)
        assert response.status_code == 400, url
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=["view", "export"]).exists()


def test_an_unknown_file_format_is_not_found(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    assert client.get(reverse("provision:pupil_map_export", args=[world.p1.pk, "csv"])).status_code == 404
    assert client.get(reverse("provision:setting_map_export", args=[world.setting_a.pk, "docx"])).status_code == 404


def _pupil_history(world: World, provisions: int) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    cycle = Cycle.objects.filter(pupil=world.p1).first() or _cycle(world.p1, world.setting_a)
    item = catalogue_item(world.setting_a, f"Phonics {provisions}", group_size=4, resources_cost=Decimal("60"))
    for n in range(provisions):
        group = make_group(item, name=f"Group {provisions}-{n}")
        place(group, world.p1)
        Provision.objects.create(cycle=cycle, kind="strategy", description=f"Strategy {n}")


def test_the_pupil_map_reads_a_fixed_number_of_queries(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    _pupil_history(world, 1)
    client.get(_pupil_map_url(world))  # the first request of a session also writes to the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(_pupil_map_url(world)).status_code == 200
    _pupil_history(world, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(_pupil_map_url(world))
    assert len(table_rows(response.content.decode(), "Provision and its cost")) == 1 + 14 + 1
    assert len(large) == len(small)


# -- A setting's map -------------------------------------------------------------------------------------


def _setting_history(world: World, groups: int, pupils_per_group: int) -> None:
    """Groups of a catalogue item, and each pupil's own provision working towards an outcome."""
    hourly_costs(world.setting_a, teaching_assistant="20.00", teacher="40.00")
    n = Cycle.objects.count()
    item = catalogue_item(world.setting_a, f"Narrative {n}", areas=["CI", "CL"], group_size=4)
    for g in range(groups):
        group = make_group(item, name=f"Narrative {n}-{g}")
        for p in range(pupils_per_group):
            pupil = make_pupil(world.setting_a, f"Kid{g}x{p}", f"Batch{n}", date_of_birth=date(2017 + p % 3, 3, 1))
            provision = place(group, pupil)
            outcome = Outcome.objects.create(
                cycle=provision.cycle, position=1, description="Retells a story", measure="Retell", baseline="2",
                target="5", by_when=date(2027, 3, 1), area="SEMH",
            )  # fmt: skip
            own = Provision.objects.create(
                cycle=provision.cycle, kind="intervention", description="Lego club", staff_role="teacher",
                sessions_per_week=1, minutes_per_session=30, group_size=3,
            )  # fmt: skip
            own.outcomes.add(outcome)


def test_the_setting_map_shows_the_grid_and_its_totals(world: World, client_for: ClientFor) -> None:
    _setting_history(world, groups=1, pupils_per_group=2)
    SenBudget.objects.create(setting=world.setting_a, year_starting=2026, amount=Decimal("1000.00"))
    response = client_for(world.head_a).get(_setting_map_url(world), {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    grid = table_rows(page, "Cost of each intervention for each pupil")
    # Lego club: 1 × 30 minutes × £40.00 ÷ 3 = £6.666… a week; from the cycle's start on 7 September
    # 2026 to 31 August 2027: 359 days × 39 ÷ 365 = 38.36 → 38.4 weeks × £6.666… = £256.00.
    # Narrative: 2 × 30 minutes × £20.00 ÷ 2 pupils placed = £10.00 a week × 10.3 weeks = £103.00.
    assert grid[0] == ["Pupil", "Year group", "Lego club", "Narrative 0", "Total", "Over £6,000"]
    assert grid[1] == ["Kid0x0 Batch0", "Year 5", "£256.00", "£103.00", "£359.00", ""]
    assert grid[2] == ["Kid0x1 Batch0", "Year 4", "£256.00", "£103.00", "£359.00", ""]
    assert grid[-1] == ["Total", "", "£512.00", "£206.00", "£718.00", ""]
    # Narrative serves two areas, so each pupil's £103.00 and 5.15 hours (1 hour a week × 10.3 weeks
    # ÷ 2) are split between them; Lego club's area is its outcome's: 0.5 hours × 38.4 ÷ 3 = 6.4
    # hours a pupil.
    assert table_rows(page, "Totals by broad area of need")[1:] == [
        ["Communication and interaction", "2", "2", "5.2", "£103.00"],
        ["Cognition and learning", "2", "2", "5.2", "£103.00"],
        ["Social, emotional and mental health", "2", "2", "12.8", "£512.00"],
        ["Total", "", "6", "23.1", "£718.00"],
    ]
    assert table_rows(page, "Totals by staff role")[1:] == [
        ["Teacher", "2", "2", "12.8", "£512.00"],
        ["Teaching assistant", "2", "2", "10.3", "£206.00"],
        ["Total", "", "4", "23.1", "£718.00"],
    ]
    assert table_rows(page, "Totals by tier")[1:] == [
        ["Targeted", "2", "2", "10.3", "£206.00"],
        ["Not from the catalogue", "2", "2", "12.8", "£512.00"],
        ["Total", "", "4", "23.1", "£718.00"],
    ]
    assert "71.8%" in page  # £718.00 of a £1,000.00 budget
    assert AuditEvent.objects.filter(action="view", object_type="setting provision map").count() == 1


def test_the_setting_map_reads_a_fixed_number_of_queries(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    _setting_history(world, groups=1, pupils_per_group=2)
    client.get(_setting_map_url(world))  # the first request of a session also writes to the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(_setting_map_url(world)).status_code == 200
    _setting_history(world, groups=5, pupils_per_group=6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(_setting_map_url(world))
    grid = table_rows(response.content.decode(), "Cost of each intervention for each pupil")
    assert len(grid) == 1 + 32 + 1  # the header, 32 pupils, the totals
    assert len(large) == len(small)


def test_the_setting_maps_grid_is_paged_and_its_totals_are_the_whole_settings(
    world: World, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graduated.provision import cost_views

    monkeypatch.setattr(cost_views, "GRID_PAGE_SIZE", 20)
    client = client_for(world.senco_a)
    _setting_history(world, groups=5, pupils_per_group=6)  # 30 pupils
    first = client.get(_setting_map_url(world), {"year": "2026"}).content.decode()
    whole = table_rows(first, "Totals by staff role")
    grid = table_rows(first, "Cost of each intervention for each pupil")
    assert len(grid) == 1 + 20 + 1
    assert "Pupils 1 to 20 of 30: the totals are those of every pupil." in first
    assert 'aria-label="Pages of results"' in first and "page=2" in first and "year=2026" in first
    second = client.get(_setting_map_url(world), {"year": "2026", "page": "2"}).content.decode()
    rest = table_rows(second, "Cost of each intervention for each pupil")
    assert len(rest) == 1 + 10 + 1
    assert rest[-1] == grid[-1] and rest[-1][0] == "Total"  # every page: the whole setting's totals
    assert {row[0] for row in grid[1:-1]}.isdisjoint(row[0] for row in rest[1:-1])
    # the other tables are the whole setting's on every page
    assert table_rows(second, "Totals by staff role") == whole
    # and the pupils' costs add up to the totals across the pages
    column_total = sum(Decimal(row[-2].lstrip("£").replace(",", "")) for row in [*grid[1:-1], *rest[1:-1]])
    assert f"£{column_total:,.2f}" == grid[-1][-2]


@pytest.mark.django_db
def test_the_largest_demo_settings_map_reads_as_many_queries_as_a_small_one() -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    by_size = list(Provision.objects.values("cycle__setting").annotate(n=Count("id")).order_by("-n", "cycle__setting"))
    largest = Setting.objects.get(pk=by_size[0]["cycle__setting"])
    small = Setting.objects.get(pk=by_size[-1]["cycle__setting"])
    # Give the small setting one group with one place, so that it reads everything the largest does.
    pupil = Pupil.objects.enrolled_in(small).first()
    assert pupil is not None
    place(make_group(catalogue_item(small, "Tiny group"), setting=small, name="Tiny group"), pupil)

    def queries(setting: Setting) -> int:
        client = Client()
        client.force_login(Membership.objects.filter(setting=setting, role=Role.SENCO).first().user)  # type: ignore[union-attr]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("provision:setting_map", args=[setting.pk]))
        assert response.status_code == 200
        return len(captured)

    assert by_size[0]["n"] >= 5 * by_size[-1]["n"]  # the sizes differ many times over
    assert queries(largest) == queries(small)


def test_the_pupil_page_links_to_the_costed_map_for_those_who_see_the_whole_record(
    world: World, client_for: ClientFor
) -> None:
    link = f'href="{_pupil_map_url(world)}"'
    assert link in client_for(world.head_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert link not in client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
