"""The draft plan's sections start from what the school's request holds, and never overwrite."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.assessment_requests import services as request_services
from graduated.assessment_requests.tests import factories as request_factories
from graduated.ehc import services
from graduated.ehc.models import SECTION_FIELDS, EHCPlan, EHCRequest
from graduated.ehc.tests import factories
from graduated.lib.testing import World
from graduated.pupils.models import Pupil
from graduated.pupils.services import record_need
from graduated.support.models import Cycle

TODAY = date(2026, 12, 2)
RECEIVED = "From the request received 2 December 2026"


def _sent_and_assessing(pupil: Pupil, settings: Any) -> EHCRequest:
    settings.TASKS = request_factories.DUMMY_TASKS
    prepared = request_factories.ready(pupil, TODAY)
    case = request_services.submit(
        actor=request_factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=TODAY
    )
    return services.decide_whether_to_assess(
        actor=factories.ACTOR, request=case, to_assess=True, decided_on=TODAY + timedelta(days=1),
        reasons="May need a plan.", expected_version=case.version,
    )  # fmt: skip


def _rich_case(world: World, settings: Any) -> EHCRequest:
    request_factories.rich_record(world.p1, TODAY)
    Cycle.objects.filter(pupil=world.p1).update(analysis_by_area={"CL": "Reading age two years behind peers."})
    record_need(actor=factories.ACTOR, pupil=world.p1, sen_type="SPLD", rank=1, start_date=date(2025, 1, 6))
    return _sent_and_assessing(world.p1, settings)


def _url(case: EHCRequest) -> str:
    return reverse("ehc:draft_plan", args=[case.local_authority_id, case.pk])


def _initial(client: Client, case: EHCRequest) -> dict[str, str]:
    response = client.get(_url(case))
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() or "" for name in SECTION_FIELDS}


def test_each_section_starts_from_the_request(world: World, settings: Any, client_for: Callable[..., Client]) -> None:
    case = _rich_case(world, settings)
    sections = _initial(client_for(world.officer_north), case)
    assert f"{RECEIVED}, the child's or young person's views:\nI want to read like my friends." in sections["section_a"]
    assert f"{RECEIVED}, the parents' views:\nWe want more help with reading." in sections["section_a"]
    assert (
        "(My Support Plan, version 1, agreed 2 November 2026), my interests:\nDrawing and cats"
        in (sections["section_a"])
    )
    assert (
        f"{RECEIVED}, cognition and learning:\nNeed recorded: Specific learning difficulty (primary)"
        in (sections["section_b"])
    )
    assert (
        "What the assessment found (SEN support cycle 1): Reading age two years behind peers."
        in (sections["section_b"])
    )
    assert "health needs:\nMild asthma: inhaler in the office" in sections["section_c"]
    assert (
        f"{RECEIVED} (SEN support cycle 1, from 2 September 2024), outcomes:\n1. Reads 10 common exception words"
        in (sections["section_e"])
    )
    assert (
        "Precision teaching of sight words (Intervention; 3 a week, 10 minutes, one to one; by Teaching "
        in (sections["section_f"])
    )
    assert "support needed beyond ordinarily available provision:\nDaily one-to-one teaching" in sections["section_f"]
    assert sections["section_i"] == f"{RECEIVED}, the school or setting that made it:\n{world.setting_a.name}"
    assert "Educational psychology report (Report from a specialist, 23 October 2026)" in sections["section_k"]
    assert sections["section_d"] == sections["section_j"] == sections["section_h1"] == ""


def test_the_prefill_is_saved_as_edited_and_never_written_over(
    world: World, settings: Any, client_for: Callable[..., Client]
) -> None:
    case = _rich_case(world, settings)
    client = client_for(world.officer_north)
    sections = _initial(client, case)
    typed = {**sections, "section_a": "The officer's own words.", "section_e": ""}
    # A form sent back with an error keeps what the officer typed, not the request's text.
    bad = client.post(_url(case), {**typed, "version": case.version, "draft_issued_on_0": "40"})
    assert bad.status_code == 400
    assert bad.context["form"]["section_a"].value() == "The officer's own words."
    good = client.post(
        _url(case),
        {**typed, "version": case.version, "draft_issued_on_0": "4", "draft_issued_on_1": "12",
         "draft_issued_on_2": "2026"},
    )  # fmt: skip
    assert good.status_code == 302
    plan = EHCPlan.objects.get(request=case)
    assert (plan.section_a, plan.section_e) == ("The officer's own words.", "")
    assert plan.section_b == sections["section_b"]
    # The served draft is not filled in again: the page offers nothing to write over it.
    assert all(value == "" for value in _initial(client, case).values())
    plan.refresh_from_db()
    assert plan.section_a == "The officer's own words."


def test_a_request_with_nothing_to_offer_starts_empty(
    world: World, settings: Any, client_for: Callable[..., Client]
) -> None:
    from_parents = factories.assessing(world.p1)  # logged by the LA: no school's request behind it
    assert all(value == "" for value in _initial(client_for(world.officer_north), from_parents).values())


def test_a_request_without_a_record_fills_only_what_it_says(
    world: World, settings: Any, client_for: Callable[..., Client]
) -> None:
    case = _sent_and_assessing(world.p2, settings)  # no cycles, needs, My Support Plan or reports
    sections = _initial(client_for(world.officer_north), case)
    assert {name for name, text in sections.items() if text} == {"section_a", "section_f", "section_i"}
    assert "SEN support cycle" not in sections["section_f"]


def test_another_las_case_is_a_404(world: World, settings: Any, client_for: Callable[..., Client]) -> None:
    case = _rich_case(world, settings)
    south = client_for(world.officer_south)
    assert south.get(_url(case)).status_code == 404
    assert south.get(reverse("ehc:draft_plan", args=[world.la_south.pk, case.pk])).status_code == 404


def test_the_prefilled_page_has_a_fixed_query_count(
    world: World, settings: Any, client_for: Callable[..., Client]
) -> None:
    case = _rich_case(world, settings)
    client = client_for(world.officer_north)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(case)).status_code == 200
        return len(captured)

    before = queries()
    cycle = Cycle.objects.get(pupil=world.p1)
    for number in (2, 3):  # more history: closed cycles before the latest, with outcomes
        older = Cycle.objects.create(
            pupil=world.p1, setting=cycle.setting, number=number, started_on=cycle.started_on, status="closed"
        )
        for outcome in cycle.outcomes.all():
            outcome.pk, outcome.cycle = None, older
            outcome.save()
    assert queries() == before
