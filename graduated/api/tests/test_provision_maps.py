"""The provision map endpoints give what the provision map pages show, and refuse a bad period."""

from datetime import date
from typing import Any

import pytest

from graduated.api.tests.helpers import call, token_for
from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.provision.tests.group_factories import hourly_costs
from graduated.support.models import Cycle, CycleStatus, Provision


@pytest.fixture
def costed(world: World) -> Provision:
    hourly_costs(world.setting_a, specialist_teacher="50.00")
    cycle = Cycle.objects.create(
        pupil=world.p1, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Reading with a volunteer", sessions_per_week=3,
        minutes_per_session=15,
    )  # fmt: skip
    return Provision.objects.create(
        cycle=cycle, kind="intervention", description="Daily one-to-one teaching", staff_role="specialist_teacher",
        sessions_per_week=5, minutes_per_session=60, group_size=1,
    )  # fmt: skip


def test_a_pupils_map_is_the_pages_figures(world: World, costed: Provision) -> None:
    response = call("GET", f"/api/v1/pupils/{world.p1.pk}/provision-map?year=2026", token_for(world.senco_a))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period_starts_on"], body["period_ends_on"]) == ("2026-09-01", "2027-08-31")
    # £50 an hour x 5 hours a week x 39 weeks, as the page works it out; the volunteer is not costed.
    assert body["total"] == "9750.00" and body["over_element_2"] is True
    lines = {line["description"]: line for line in body["lines"]}
    daily = lines["Daily one-to-one teaching"]
    assert daily["provision_id"] == costed.pk and daily["staff_cost"] == "9750.00" and daily["costed"] is True
    assert daily["dosage"] == {"sessions_per_week": 5, "minutes_per_session": 60, "group_size": 1}
    volunteer = lines["Reading with a volunteer"]
    assert volunteer["costed"] is False and volunteer["missing"]
    views = AuditEvent.objects.filter(pupil_id=world.p1.pk, object_type="api: costed provision map")
    assert views.count() == 1


def test_a_settings_map_totals_its_pupils_and_interventions(world: World, costed: Provision) -> None:
    response = call("GET", f"/api/v1/settings/{world.setting_a.pk}/provision-map?year=2026", token_for(world.head_a))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == "9750.00"
    assert [(p["pupil_id"], p["total"]) for p in body["pupils"]] == [(world.p1.pk, "9750.00")]
    interventions = {i["label"]: i for i in body["interventions"]}
    assert interventions["Daily one-to-one teaching"]["pupils"] == 1
    assert interventions["Daily one-to-one teaching"]["cost"] == "9750.00"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [("year=twenty", "year", "Enter the academic year as the year it starts"),
     ("from=2026-09-01", "from", "Enter both a start date and an end date"),
     ("from=2026-10-01&to=2026-09-01", "from", "The end date must be the same as or after the start date"),
     ("year=2026&from=2026-09-01&to=2026-10-01", "from", "Choose an academic year or a date range, not both")],
)  # fmt: skip
def test_a_bad_period_is_a_422_naming_the_parameter(world: World, query: str, field: str, message: str) -> None:
    token = token_for(world.senco_a)
    for path in (f"/api/v1/pupils/{world.p1.pk}/provision-map", f"/api/v1/settings/{world.setting_a.pk}/provision-map"):
        response = call("GET", f"{path}?{query}", token)
        body: dict[str, Any] = response.json()
        assert response.status_code == 422 and body["field"] == field and message in body["detail"]
    assert not AuditEvent.objects.filter(object_type__startswith="api: ").exists()
