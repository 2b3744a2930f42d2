"""The plan-quality checks (support/quality.py), case by case: each passes on a good plan and fails
on the fault it names; they run no query; they never block; their stored counts follow each change."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from graduated.lib.testing import World
from graduated.support import quality, reviews, selectors, services
from graduated.support.models import Cycle, Outcome, OutcomeReview, Provision, QualityCheck, QualityFinding
from graduated.support.tests.factories import (
    ACTOR,
    AGREED,
    REVIEW_DUE,
    agreed_cycle,
    draft_cycle,
    outcome_data,
    provision_data,
    reviewed_cycle,
)

ClientFor = Callable[..., Client]
C = QualityCheck
ON_AGREEMENT = AGREED  # "today" for the checks: the day the factories' plans are agreed


def _v(cycle: Cycle) -> int:
    cycle.refresh_from_db()
    return cycle.version


def _good(cycle: Cycle) -> Cycle:
    """Make the factory's cycle pass every check: an analysis for its outcome's area, provision linked."""
    services.update_assessment(
        actor=ACTOR, cycle=cycle, changes={"analysis_by_area": {"CL": "Reads well below age."}},
        expected_version=_v(cycle),
    )  # fmt: skip
    provision = cycle.provisions.get()
    services.save_provision(
        actor=ACTOR, cycle=cycle, provision=provision, expected_version=_v(cycle),
        data={**provision_data(), "outcomes": list(cycle.outcomes.all())},
    )  # fmt: skip
    cycle.refresh_from_db()
    return cycle


def _findings(cycle: Cycle, today: date = ON_AGREEMENT) -> list[quality.Finding]:
    cycle = Cycle.objects.select_related("review").get(pk=cycle.pk)
    data = selectors.cycle_page(cycle)
    return quality.check(cycle, data["outcomes"], data["provisions"], getattr(cycle, "review", None), today=today)


def _codes(cycle: Cycle, today: date = ON_AGREEMENT) -> list[str]:
    return [finding.check.value for finding in _findings(cycle, today)]


def _stored(cycle: Cycle) -> dict[str, int]:
    return dict(QualityFinding.objects.filter(cycle=cycle).values_list("check_code", "count"))


def _change_outcome(cycle: Cycle, **changes: Any) -> Outcome:
    outcome = cycle.outcomes.get()
    data = {name: getattr(outcome, name) for name in services.OUTCOME_FIELDS} | changes
    return services.save_outcome(actor=ACTOR, cycle=cycle, outcome=outcome, data=data, expected_version=_v(cycle))


def _change_provision(cycle: Cycle, **changes: Any) -> Provision:
    provision = cycle.provisions.get()
    data = {**provision_data(), "outcomes": list(provision.outcomes.all()), **changes}
    return services.save_provision(actor=ACTOR, cycle=cycle, provision=provision, data=data, expected_version=_v(cycle))


@pytest.fixture
def good(world: World) -> Cycle:
    """Agreed, so that "achievable" compares with the day it was agreed, not today."""
    return _good(agreed_cycle(world.p1))


def test_a_good_plan_has_no_findings_and_stores_none(good: Cycle) -> None:
    assert _codes(good) == []
    assert _stored(good) == {}


def test_the_checks_run_no_query(good: Cycle, django_assert_num_queries: Any) -> None:
    cycle = Cycle.objects.select_related("review").get(pk=good.pk)
    data = selectors.cycle_page(cycle)
    with django_assert_num_queries(0):
        quality.check(cycle, data["outcomes"], data["provisions"], None, today=ON_AGREEMENT)


@pytest.mark.parametrize("missing", ["measure", "baseline", "target"])
def test_an_outcome_without_a_measure_baseline_or_target_is_not_measurable(good: Cycle, missing: str) -> None:
    outcome = _change_outcome(good, **{missing: ""})
    findings = [f for f in _findings(good) if f.check == C.OUTCOME_MEASURABLE]
    assert len(findings) == 1
    assert findings[0].outcome_id == outcome.pk and missing in findings[0].problem
    assert findings[0].why and missing in findings[0].fix
    assert _stored(good) == {C.OUTCOME_MEASURABLE.value: 1}


def test_an_outcome_missing_several_parts_names_them_all(good: Cycle) -> None:
    _change_outcome(good, baseline="", target=" ")
    (finding,) = [f for f in _findings(good) if f.check == C.OUTCOME_MEASURABLE]
    assert finding.problem == "It has no baseline or target."


def test_a_short_description_is_not_specific(good: Cycle) -> None:
    _change_outcome(good, description="Reading")
    assert C.OUTCOME_SPECIFIC in _codes(good)
    _change_outcome(good, description="Reads 40 common exception words aloud")
    assert C.OUTCOME_SPECIFIC not in _codes(good)


def test_a_vague_verb_without_a_measure_is_not_specific_but_with_one_it_is(good: Cycle) -> None:
    _change_outcome(good, description="Will improve his reading of common words", measure="")
    (finding,) = [f for f in _findings(good) if f.check == C.OUTCOME_SPECIFIC]
    assert "“improve” without a measure" in finding.problem
    _change_outcome(good, measure="Termly word check")
    assert C.OUTCOME_SPECIFIC not in _codes(good)


def test_an_outcome_due_after_the_review_or_before_agreement_is_flagged(good: Cycle) -> None:
    cycle = good
    assert _codes(cycle) == []
    _change_outcome(cycle, by_when=date(2024, 12, 20))  # the review is on 2 December 2024
    (finding,) = _findings(cycle)
    assert finding.check == C.OUTCOME_ACHIEVABLE and "after the review" in finding.problem
    _change_outcome(cycle, by_when=date(2024, 9, 1))  # agreed on 10 September 2024
    (finding,) = _findings(cycle, today=date(2024, 11, 1))
    assert "before the plan was agreed" in finding.problem
    _change_outcome(cycle, by_when=REVIEW_DUE)
    assert _codes(cycle) == []


def test_before_agreement_an_outcome_already_past_is_flagged(world: World) -> None:
    draft = _good(draft_cycle(world.p1))
    assert C.OUTCOME_ACHIEVABLE not in _codes(draft, today=date(2024, 11, 30))
    (finding,) = _findings(draft, today=date(2024, 12, 5))
    assert finding.check == C.OUTCOME_ACHIEVABLE and "before today" in finding.problem


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"sessions_per_week": None}, C.PROVISION_FREQUENCY),
        ({"minutes_per_session": None}, C.PROVISION_LENGTH),
        ({"delivered_by_role": "", "delivered_by": None}, C.PROVISION_WHO),
    ],
)
def test_provision_without_frequency_length_or_who_is_flagged(good: Cycle, changes: dict[str, Any], code: str) -> None:
    provision = _change_provision(good, **changes)
    (finding,) = _findings(good)
    assert finding.check == code and finding.provision_id == provision.pk
    assert finding.subject.startswith("Provision: Precision teaching")


def test_a_named_person_is_enough_to_say_who_delivers(good: Cycle, world: World) -> None:
    _change_provision(good, delivered_by_role="", delivered_by=world.senco_a)
    assert _codes(good) == []


def test_provision_not_linked_to_an_outcome_breaks_the_thread_both_ways(good: Cycle) -> None:
    _change_provision(good, outcomes=[])
    assert sorted(_codes(good)) == sorted([C.PROVISION_LINKED, C.OUTCOME_HAS_PROVISION])
    assert _stored(good) == {C.PROVISION_LINKED.value: 1, C.OUTCOME_HAS_PROVISION.value: 1}


def test_an_outcome_in_an_area_not_assessed_and_an_assessed_area_without_outcome(good: Cycle) -> None:
    services.update_assessment(
        actor=ACTOR, cycle=good, changes={"analysis_by_area": {"SEMH": "Anxious at transitions."}},
        expected_version=_v(good),
    )  # fmt: skip
    findings = _findings(good)
    assert {(f.check, f.area) for f in findings} == {(C.AREA_ASSESSED, "CL"), (C.AREA_HAS_OUTCOME, "SEMH")}
    assert "cognition and learning" in next(f.problem for f in findings if f.check == C.AREA_ASSESSED)


def test_a_second_outcome_without_provision_is_named(good: Cycle) -> None:
    added = services.save_outcome(actor=ACTOR, cycle=good, data=outcome_data(2), expected_version=_v(good))
    (finding,) = _findings(good)
    assert finding.check == C.OUTCOME_HAS_PROVISION and finding.outcome_id == added.pk
    assert finding.subject == "Outcome 2"


def test_at_review_every_outcome_has_its_review(world: World) -> None:
    cycle = reviewed_cycle(world.p1)
    assert C.OUTCOME_REVIEWED not in _codes(cycle)
    OutcomeReview.objects.filter(outcome__cycle=cycle).delete()
    (finding,) = [f for f in _findings(cycle) if f.check == C.OUTCOME_REVIEWED]
    assert finding.outcome_id == cycle.outcomes.get().pk


def test_a_plan_failing_every_check_can_still_be_saved_and_agreed(world: World, client_for: ClientFor) -> None:
    cycle = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date(2024, 9, 2))
    services.update_assessment(
        actor=ACTOR, cycle=cycle, changes={"analysis_by_area": {"SEMH": "Anxious."}}, expected_version=_v(cycle)
    )
    client = client_for(world.senco_a)
    form = {"version": _v(cycle), "description": "Better", "measure": "", "baseline": "", "target": "",
            "by_when_0": "1", "by_when_1": "9", "by_when_2": "2025", "area": "CL"}  # fmt: skip
    response = client.post(reverse("support:outcome_add", args=[world.p1.pk, cycle.pk]), form)
    assert response.status_code == 302
    services.save_provision(
        actor=ACTOR, cycle=cycle, expected_version=_v(cycle),
        data={**provision_data(), "sessions_per_week": None, "minutes_per_session": None, "delivered_by_role": ""},
    )  # fmt: skip
    agree = {"version": _v(cycle), "plan_agreed_on_0": "10", "plan_agreed_on_1": "9", "plan_agreed_on_2": "2024",
             "review_date_0": "2", "review_date_1": "12", "review_date_2": "2024",
             "parents_notified_on_0": "10", "parents_notified_on_1": "9", "parents_notified_on_2": "2024",
             "parents_notified_how": "letter"}  # fmt: skip
    response = client.post(reverse("support:agree", args=[world.p1.pk, cycle.pk]), agree)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.plan_agreed
    every_check_but_review = {check.value for check in QualityCheck} - {C.OUTCOME_REVIEWED}
    assert set(_stored(cycle)) == every_check_but_review


def test_the_cycle_page_shows_each_check_with_why_and_how_to_fix(good: Cycle, client_for: ClientFor) -> None:
    client = client_for(good.pupil.enrolments.first().setting.memberships.get(role="senco").user)  # type: ignore[union-attr]
    url = reverse("support:cycle", args=[good.pupil_id, good.pk])
    page = client.get(url).content.decode()
    assert "Plan checks: no issues found" in page
    _change_outcome(good, baseline="")
    page = client.get(url).content.decode()
    assert "Plan checks: 1 issue found" in page
    assert "It has no baseline." in page and "How to fix:" in page and "Why:" in page
    edit = reverse("support:outcome_edit", args=[good.pupil_id, good.pk, good.outcomes.get().pk])
    assert f'href="{edit}"' in page
    assert "It has no baseline." in client.get(edit).content.decode()  # and on the outcome's own page


def test_the_cycle_page_query_count_does_not_grow_with_findings(
    good: Cycle, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    client = client_for(good.pupil.enrolments.first().setting.memberships.get(role="senco").user)  # type: ignore[union-attr]
    url = reverse("support:cycle", args=[good.pupil_id, good.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2, 5):
        services.save_outcome(actor=ACTOR, cycle=good, data={**outcome_data(n), "baseline": ""},
                              expected_version=_v(good))  # fmt: skip
        services.save_provision(actor=ACTOR, cycle=good, data={**provision_data(), "sessions_per_week": None},
                                expected_version=_v(good))  # fmt: skip
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_stored_findings_follow_each_change_and_go_when_the_cycle_closes(world: World) -> None:
    cycle = agreed_cycle(world.p1)
    assert set(_stored(cycle)) == {C.AREA_ASSESSED, C.PROVISION_LINKED, C.OUTCOME_HAS_PROVISION}
    assert QualityFinding.objects.filter(cycle=cycle, setting=world.setting_a).count() == 3
    _good(cycle)
    assert _stored(cycle) == {}
    services.save_outcome(actor=ACTOR, cycle=cycle, data={**outcome_data(2), "target": ""}, expected_version=_v(cycle))
    assert _stored(cycle) == {C.OUTCOME_MEASURABLE.value: 1, C.OUTCOME_HAS_PROVISION.value: 1}
    services.remove_outcome(actor=ACTOR, outcome=cycle.outcomes.get(position=2))
    assert _stored(cycle) == {}
    reviews.record_review(
        actor=ACTOR, cycle=cycle, expected_version=_v(cycle),
        review={"held_on": REVIEW_DUE, "parents_views_on_progress": "", "pupil_views_on_progress": "",
                "decision": "another_cycle", "notes": ""},
        outcome_ratings={o.pk: {"rating": "achieved", "evidence": "", "measure_now": ""} for o in cycle.outcomes.all()},
        provision_judgements={p.pk: {"judgement": "stop", "note": ""} for p in cycle.provisions.all()},
    )  # fmt: skip
    assert _stored(cycle) == {}


def test_rebuild_all_recomputes_what_refresh_stored(world: World) -> None:
    first, second = draft_cycle(world.p1), draft_cycle(world.p4)
    before = {c.pk: _stored(c) for c in (first, second)}
    assert all(before.values())
    QualityFinding.objects.all().delete()
    QualityFinding.objects.create(cycle=second, setting=second.setting, check_code=C.OUTCOME_REVIEWED)  # stale
    assert quality.rebuild_all(batch=1) == 2
    assert {c.pk: _stored(c) for c in (first, second)} == before
