from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.pupils.models import ChronologyKind
from graduated.support import reviews, services
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, Outcome, Provision, Review
from graduated.support.tests.factories import (
    ACTOR,
    REVIEW_DUE,
    STARTED,
    agreed_cycle,
    draft_cycle,
    outcome_data,
    provision_data,
    reviewed_cycle,
)


def test_cycles_are_numbered_per_pupil_and_linked_to_the_one_before(world: World) -> None:
    first = reviewed_cycle(world.p1)
    other = draft_cycle(world.p4)
    second = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date(2025, 1, 6))
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert second.previous == first
    kinds = list(world.p1.chronology.filter(kind=ChronologyKind.CYCLE_STARTED).values_list("summary", flat=True))
    assert "Cycle 2 of SEN support started, continuing 1 outcome from cycle 1" in kinds


def test_only_one_cycle_is_open_at_a_time(world: World) -> None:
    draft_cycle(world.p1)
    with pytest.raises(ValidationError, match="already has a cycle in progress"):
        services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=STARTED)


@pytest.mark.parametrize(
    ("rating", "judgement", "carried_outcomes", "carried_provision"),
    [("partly_achieved", "continue", 1, 1), ("not_achieved", "adapt", 1, 1), ("achieved", "stop", 0, 0),
     ("no_longer_relevant", "continue", 0, 1)],
)  # fmt: skip
def test_the_next_cycle_carries_forward_what_the_review_kept(
    world: World, rating: str, judgement: str, carried_outcomes: int, carried_provision: int
) -> None:
    first = reviewed_cycle(world.p1, rating=rating, judgement=judgement)
    second = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date(2025, 1, 6))
    outcomes = list(second.outcomes.all())
    assert len(outcomes) == carried_outcomes
    assert second.provisions.count() == carried_provision
    if outcomes:
        old = first.outcomes.get()
        assert outcomes[0].carried_from == old
        assert outcomes[0].description == old.description
        assert outcomes[0].baseline == "6 words"  # the measure at review is the new starting point
        assert second.status == CycleStatus.PLAN
    if carried_provision:
        new = second.provisions.get()
        assert new.carried_from == first.provisions.get() and new.starts_on == date(2025, 1, 6)


def test_at_most_six_outcomes(world: World) -> None:
    cycle = draft_cycle(world.p1, outcomes=6)
    with pytest.raises(ValidationError, match="at most 6 outcomes"):
        services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(7), expected_version=cycle.version)
    assert cycle.outcomes.count() == 6
    services.remove_outcome(actor=ACTOR, outcome=cycle.outcomes.get(position=3))
    cycle.refresh_from_db()
    added = services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(7), expected_version=cycle.version)
    assert added.position == 3


def test_a_stale_save_is_refused_and_changes_nothing(world: World) -> None:
    cycle = draft_cycle(world.p1)
    opened = cycle.version
    services.update_assessment(actor=ACTOR, cycle=cycle, changes={"parents_views": "First"}, expected_version=opened)
    with pytest.raises(StaleEditError):
        services.update_assessment(
            actor=ACTOR, cycle=cycle, changes={"parents_views": "Second"}, expected_version=opened
        )
    with pytest.raises(StaleEditError):
        services.save_provision(actor=ACTOR, cycle=cycle, data=provision_data(), expected_version=opened)
    cycle.refresh_from_db()
    assert cycle.parents_views == "First" and cycle.provisions.count() == 1


def test_agreeing_needs_an_outcome_and_a_later_review_date(world: World) -> None:
    cycle = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=STARTED)
    args = {
        "plan_agreed_on": date(2024, 9, 10),
        "parents_notified_on": date(2024, 9, 10),
        "parents_notified_how": "email",
    }
    with pytest.raises(ValidationError, match="at least one outcome"):
        services.agree_plan(actor=ACTOR, cycle=cycle, review_date=REVIEW_DUE, expected_version=cycle.version, **args)
    services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(), expected_version=cycle.version)
    cycle.refresh_from_db()
    with pytest.raises(ValidationError):
        services.agree_plan(
            actor=ACTOR, cycle=cycle, review_date=date(2024, 9, 1), expected_version=cycle.version, **args
        )
    services.agree_plan(actor=ACTOR, cycle=cycle, review_date=REVIEW_DUE, expected_version=cycle.version, **args)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DO and cycle.review_date == REVIEW_DUE
    kinds = set(world.p1.chronology.values_list("kind", flat=True))
    assert {ChronologyKind.PLAN_AGREED, ChronologyKind.PARENTS_NOTIFIED} <= kinds


def test_a_double_submitted_session_is_recorded_once(world: World) -> None:
    cycle = agreed_cycle(world.p1)
    provision = cycle.provisions.get()
    events = AuditEvent.objects.count()
    _, first = reviews.log_delivery(actor=ACTOR, provision=provision, on=date(2024, 10, 1), status="delivered")
    _, second = reviews.log_delivery(actor=ACTOR, provision=provision, on=date(2024, 10, 1), status="delivered")
    assert (first, second) == (True, False)
    assert DeliveryRecord.objects.filter(provision=provision).count() == 1
    assert AuditEvent.objects.count() == events + 1
    record, changed = reviews.log_delivery(
        actor=ACTOR, provision=provision, on=date(2024, 10, 1), status="missed", missed_reason="pupil_absent"
    )
    assert changed and record.status == "missed" and DeliveryRecord.objects.count() == 1


def test_sessions_are_only_logged_while_the_plan_is_running(world: World) -> None:
    cycle = draft_cycle(world.p1)
    with pytest.raises(ValidationError, match="once the plan is agreed"):
        reviews.log_delivery(actor=ACTOR, provision=cycle.provisions.get(), on=date(2024, 10, 1), status="delivered")
    agreed = agreed_cycle(world.p4)
    with pytest.raises(ValidationError):
        reviews.log_delivery(actor=ACTOR, provision=agreed.provisions.get(), on=date(2024, 8, 1), status="delivered")


def _review_args(cycle: Cycle, held_on: date) -> dict[str, object]:
    return {
        "review": {"held_on": held_on, "parents_views_on_progress": "", "pupil_views_on_progress": "",
                   "decision": "another_cycle", "notes": ""},
        "outcome_ratings": {o.pk: {"rating": "achieved", "evidence": "", "measure_now": ""}
                            for o in Outcome.objects.filter(cycle=cycle)},
        "provision_judgements": {p.pk: {"judgement": "stop", "note": ""}
                                 for p in Provision.objects.filter(cycle=cycle)},
    }  # fmt: skip


def test_a_review_before_the_review_date_needs_a_reason_and_the_review_closes_the_cycle(world: World) -> None:
    cycle = agreed_cycle(world.p1)
    with pytest.raises(ValidationError, match="Say why the review is held before the agreed review date"):
        reviews.record_review(
            actor=ACTOR, cycle=cycle, expected_version=cycle.version, **_review_args(cycle, REVIEW_DUE - timedelta(1))
        )
    before_plan = cycle.plan_agreed_on - timedelta(days=1)
    early = _review_args(cycle, before_plan)
    early["review"]["early_reason"] = "The parents asked for it."  # type: ignore[index]
    with pytest.raises(ValidationError, match="cannot be before the plan was agreed"):
        reviews.record_review(actor=ACTOR, cycle=cycle, expected_version=cycle.version, **early)
    assert not Review.objects.filter(cycle=cycle).exists()
    reviews.record_review(actor=ACTOR, cycle=cycle, expected_version=cycle.version, **_review_args(cycle, REVIEW_DUE))
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED and cycle.review.outcome_reviews.count() == 1
    assert world.p1.chronology.filter(kind=ChronologyKind.REVIEW_RECORDED).count() == 1
    with pytest.raises(ValidationError):
        services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(), expected_version=cycle.version)


def test_an_early_review_with_its_reason_is_recorded_and_shown(world: World) -> None:
    cycle = agreed_cycle(world.p1)
    early = _review_args(cycle, REVIEW_DUE - timedelta(days=10))
    early["review"]["early_reason"] = "  Her needs changed after a diagnosis.  "  # type: ignore[index]
    saved = reviews.record_review(actor=ACTOR, cycle=cycle, expected_version=cycle.version, **early)
    assert saved.early_reason.strip() == "Her needs changed after a diagnosis."
    assert saved.held_on == REVIEW_DUE - timedelta(days=10)


def test_a_review_on_time_keeps_no_early_reason(world: World) -> None:
    cycle = agreed_cycle(world.p1)
    on_time = _review_args(cycle, REVIEW_DUE)
    on_time["review"]["early_reason"] = "Typed, then the date was changed."  # type: ignore[index]
    saved = reviews.record_review(actor=ACTOR, cycle=cycle, expected_version=cycle.version, **on_time)
    assert saved.early_reason == ""


def test_a_review_must_rate_every_outcome(world: World) -> None:
    cycle = agreed_cycle(world.p1, outcomes=2)
    args = _review_args(cycle, REVIEW_DUE)
    args["outcome_ratings"] = dict(list(args["outcome_ratings"].items())[:1])  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="Rate every outcome"):
        reviews.record_review(actor=ACTOR, cycle=cycle, expected_version=cycle.version, **args)  # type: ignore[arg-type]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DO


def test_provision_with_sessions_is_kept(world: World) -> None:
    cycle = agreed_cycle(world.p1)
    provision = cycle.provisions.get()
    reviews.log_delivery(actor=ACTOR, provision=provision, on=date(2024, 10, 1), status="delivered")
    with pytest.raises(ValidationError, match="stays on the record"):
        services.remove_provision(actor=ACTOR, provision=provision)


def test_acknowledging_twice_counts_once(world: World) -> None:
    from graduated.audit.services import Actor

    cycle = agreed_cycle(world.p1)
    actor = Actor(user=world.ta_a, role="teaching_assistant")
    assert reviews.acknowledge_plan(actor=actor, cycle=cycle)[1] is True
    assert reviews.acknowledge_plan(actor=actor, cycle=cycle)[1] is False
    assert cycle.acknowledgements.count() == 1
