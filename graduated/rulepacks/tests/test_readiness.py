"""The readiness check, kind by kind, with the reasons worked out by hand from the dates."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from graduated.lib.testing import World
from graduated.rulepacks.models import KINDS_WITH_PARAMETER, RuleKind, Step
from graduated.rulepacks.readiness import Outcome, RuleResult, days, readiness
from graduated.rulepacks.tests.factories import (
    completed_cycle,
    delivered,
    evidence,
    meeting,
    open_cycle,
    published,
    rule,
)
from graduated.specialists.tests.factories import referral
from graduated.statutory.tests.factories import pcp_meeting, plan

ON = date(2026, 7, 10)  # summer term of 2025/26


def _only(world: World, on: date = ON, step: str = Step.REQUEST) -> RuleResult:
    (result,) = readiness(world.p1, step=step, on=on)
    return result


def test_dates_are_written_with_the_year_once_when_they_share_it() -> None:
    assert days([date(2026, 3, 3), date(2026, 6, 9)]) == "3 March and 9 June 2026"
    assert days([date(2025, 11, 4), date(2026, 3, 3), date(2026, 6, 9)]) == (
        "4 November 2025, 3 March 2026 and 9 June 2026"
    )


def test_two_completed_cycles_meet_a_rule_of_two_and_name_their_review_dates(world: World) -> None:
    published(world.la_north, [rule(RuleKind.MIN_COMPLETED_CYCLES, 2, Step.ENHANCED)])
    completed_cycle(world.p1, date(2026, 3, 3))
    completed_cycle(world.p1, date(2026, 6, 9))
    open_cycle(world.p1, date(2026, 6, 10))  # still running: not completed
    result = _only(world, step=Step.ENHANCED)
    assert result.outcome == Outcome.MET
    assert result.reason == "2 of 2 APDR cycles completed (reviewed 3 March and 9 June 2026)."
    assert result.summary == "At least 2 completed APDR cycles"
    assert (
        result.explanation == "Why completed apdr cycles matters." and result.source == "Northshire Graduated Approach"
    )


def test_a_cycle_reviewed_after_the_day_does_not_count(world: World) -> None:
    published(world.la_north, [rule(RuleKind.MIN_COMPLETED_CYCLES, 2)])
    completed_cycle(world.p1, date(2026, 3, 3))
    completed_cycle(world.p1, date(2026, 7, 20))  # after ON
    result = _only(world)
    assert result.outcome == Outcome.NOT_MET
    assert result.reason == "1 of 2 APDR cycles completed (reviewed 3 March 2026)."


def test_no_completed_cycle_says_so(world: World) -> None:
    published(world.la_north, [rule(RuleKind.MIN_COMPLETED_CYCLES, 2)])
    assert _only(world).reason == "No APDR cycle has been completed yet (0 of 2)."


def test_rules_for_other_steps_are_left_out(world: World) -> None:
    published(world.la_north, [rule(RuleKind.MIN_COMPLETED_CYCLES, 2, Step.ENHANCED)])
    assert readiness(world.p1, step=Step.REQUEST, on=ON) == []


def test_a_support_plan_rule_uses_the_las_name_for_the_plan(world: World) -> None:
    published(
        world.la_north, [rule(RuleKind.SUPPORT_PLAN_BEFORE_REQUEST)], person_centred_plan_name="Individual Support Plan"
    )
    result = _only(world)
    assert (result.outcome, result.reason) == (Outcome.NOT_MET, "No Individual Support Plan has been agreed.")
    assert result.summary == "Individual Support Plan agreed"
    plan(world.p1, 1, agreed_on=date(2026, 2, 4))
    plan(world.p1, 2, agreed_on=date(2026, 6, 1))
    result = _only(world)
    assert result.outcome == Outcome.MET
    assert result.reason == "Individual Support Plan agreed on 4 February 2026; version 2 agreed on 1 June 2026."


def test_parent_meetings_count_those_with_a_parent_this_academic_year_up_to_the_day(world: World) -> None:
    published(world.la_north, [rule(RuleKind.PARENT_MEETINGS_PER_YEAR, 3)])
    meeting(world.p1, date(2025, 7, 1))  # last academic year
    meeting(world.p1, date(2025, 10, 14))
    meeting(world.p1, date(2026, 2, 3), with_parent=False)  # staff only
    meeting(world.p1, date(2026, 3, 10))
    meeting(world.p1, date(2026, 7, 15))  # after ON
    result = _only(world)
    assert result.outcome == Outcome.NOT_MET
    assert result.reason == (
        "2 of 3 meetings with parents or carers since 1 September 2025: 14 October 2025 and 10 March 2026."
    )
    meeting(world.p1, date(2026, 5, 5))
    assert _only(world).outcome == Outcome.MET


def test_parent_meetings_do_not_apply_to_a_pupil_not_on_sen_support(world: World) -> None:
    published(world.la_north, [rule(RuleKind.PARENT_MEETINGS_PER_YEAR, 3)])
    result = readiness(world.p2, step=Step.REQUEST, on=ON)[0]  # p2 is not on the SEN register
    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.reason == "Applies to pupils on SEN support; this pupil is not on SEN support now."


def test_a_specialist_counts_once_seen_or_once_their_report_is_back(world: World) -> None:
    published(world.la_north, [rule(RuleKind.SPECIALIST_BEFORE_PCP, step=Step.PCP)])
    referral(world.p1)  # referred, still waiting
    result = _only(world, step=Step.PCP)
    assert (result.outcome, result.reason) == (
        Outcome.NOT_MET, "No specialist has seen the pupil or sent a report yet."
    )  # fmt: skip
    referral(world.p1, accepted_on=date(2025, 1, 20), seen_on=date(2025, 3, 3))
    result = _only(world, step=Step.PCP)
    assert result.outcome == Outcome.MET
    assert result.reason == "Educational Psychology Service saw the pupil on 3 March 2025."


def test_evidence_terms_count_distinct_terms_of_evidence_and_delivered_sessions(world: World) -> None:
    published(world.la_north, [rule(RuleKind.EVIDENCE_TERMS, 2)])
    cycle = open_cycle(world.p1, date(2025, 11, 1))
    evidence(cycle, date(2025, 11, 5))  # autumn 2025
    evidence(cycle, date(2025, 12, 1))  # autumn again
    delivered(cycle, date(2026, 2, 2), status="missed")  # missed: no evidence of support
    result = _only(world)
    assert (result.outcome, result.reason) == (Outcome.NOT_MET, "Evidence in 1 of 2 terms (Autumn 2025).")
    delivered(cycle, date(2026, 5, 11), date(2026, 5, 12))  # summer 2026
    result = _only(world)
    assert (result.outcome, result.reason) == (Outcome.MET, "Evidence in 2 of 2 terms (Autumn 2025, Summer 2026).")


def test_no_evidence_at_all(world: World) -> None:
    published(world.la_north, [rule(RuleKind.EVIDENCE_TERMS, 2)])
    assert _only(world).reason == "No evidence or delivered sessions recorded yet (0 of 2 terms)."


def test_reviewed_plans_are_completed_cycles_and_plan_versions_after_the_first(world: World) -> None:
    published(world.la_north, [rule(RuleKind.REVIEWED_PLANS_BEFORE_REQUEST, 3)])
    completed_cycle(world.p1, date(2025, 12, 12))
    plan(world.p1, 1, agreed_on=date(2026, 2, 4))  # the first version: agreed, not yet reviewed
    result = _only(world)
    assert result.outcome == Outcome.NOT_MET
    assert result.reason == "1 of 3 reviewed plans: 1 completed APDR cycle and 0 My Support Plan reviews."
    plan(world.p1, 2, agreed_on=date(2026, 5, 20))
    completed_cycle(world.p1, date(2026, 6, 30))
    result = _only(world)
    assert result.outcome == Outcome.MET
    assert result.reason == "3 of 3 reviewed plans: 2 completed APDR cycles and 1 My Support Plan review."


def test_no_pack_in_force_means_no_rules(world: World) -> None:
    published(world.la_north, [rule(RuleKind.EVIDENCE_TERMS, 2)], effective_from=date(2026, 9, 1))
    assert readiness(world.p1, step=Step.REQUEST, on=ON) == []


@pytest.mark.parametrize("size", [1, 4])
def test_readiness_reads_a_fixed_number_of_queries(world: World, size: int) -> None:
    published(
        world.la_north,
        [rule(kind, 2 if kind in KINDS_WITH_PARAMETER else None) for kind in RuleKind] * 2,
    )  # fmt: skip
    for n in range(size):
        cycle = completed_cycle(world.p1, date(2025, 10, 1 + n))
        evidence(cycle, date(2026, 1, 5 + n))
        delivered(cycle, date(2026, 4, 20 + n))
        meeting(world.p1, date(2026, 3, 1 + n))
        referral(world.p1, accepted_on=date(2025, 1, 20), seen_on=date(2025, 3, 3 + n))
    with CaptureQueriesContext(connection) as queries:
        results = readiness(world.p1, step=Step.REQUEST, on=ON)
    assert len(results) == 14
    # The pack and its rules (2), then one query per kind of fact: cycles, plan versions, meetings,
    # PCP meetings, SEN status, referrals, terms.
    assert len(queries) == 9


def test_a_written_report_without_a_visit_counts_as_a_specialist_involved(world: World) -> None:
    published(world.la_north, [rule(RuleKind.SPECIALIST_BEFORE_PCP, step=Step.PCP)])
    referral(world.p1, report_received_on=date(2025, 4, 1))
    result = _only(world, step=Step.PCP)
    assert (result.outcome, result.reason) == (
        Outcome.MET, "Educational Psychology Service sent a report on 1 April 2025."
    )  # fmt: skip


def test_a_pcp_meeting_held_on_or_before_the_day(world: World) -> None:
    published(world.la_north, [rule(RuleKind.PCP_MEETING_HELD)])
    meeting(world.p1, date(2026, 2, 3))  # a review meeting is not a PCP meeting
    assert _only(world).reason == "No person-centred planning meeting has been held."
    pcp_meeting(world.p1, held_on=date(2026, 5, 12))
    pcp_meeting(world.p1, held_on=date(2026, 9, 21))  # after ON
    result = _only(world)
    assert (result.outcome, result.reason) == (Outcome.MET, "1 person-centred planning meeting held: 12 May 2026.")
