"""Cycles in a known state, made through the services as a SENCO would."""

from datetime import date

from graduated.audit.services import Actor
from graduated.pupils.models import Pupil
from graduated.support import reviews, services
from graduated.support.models import Cycle, Outcome, Provision

ACTOR = Actor.system("test")
STARTED = date(2024, 9, 2)
AGREED = date(2024, 9, 10)
REVIEW_DUE = date(2024, 12, 2)


def outcome_data(n: int = 1) -> dict[str, object]:
    return {
        "description": f"Reads {n * 10} common exception words", "measure": "Termly word check",
        "baseline": f"{n} words", "target": f"{n * 10} words", "by_when": date(2024, 12, 1), "area": "CL",
    }  # fmt: skip


def provision_data() -> dict[str, object]:
    return {
        "kind": "intervention", "description": "Precision teaching of sight words", "delivered_by": None,
        "delivered_by_role": "Teaching assistant", "location": "Library", "sessions_per_week": 3,
        "minutes_per_session": 10, "group_size": 1, "starts_on": STARTED, "ends_on": None,
        "expected_impact": "Reads 10 more words",
    }  # fmt: skip


def draft_cycle(pupil: Pupil, *, outcomes: int = 1) -> Cycle:
    setting = pupil.enrolments.first().setting  # type: ignore[union-attr]
    cycle = services.start_cycle(actor=ACTOR, pupil=pupil, setting=setting, started_on=STARTED)
    for n in range(1, outcomes + 1):
        services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(n), expected_version=_v(cycle))
    services.save_provision(actor=ACTOR, cycle=cycle, data=provision_data(), expected_version=_v(cycle))
    services.add_evidence(
        actor=ACTOR, cycle=cycle, expected_version=_v(cycle),
        data={"taken_on": STARTED, "kind": "standardised", "name": "YARC", "score": 82, "unit": "standard score"},
    )  # fmt: skip
    cycle.refresh_from_db()
    return cycle


def agreed_cycle(pupil: Pupil, *, outcomes: int = 1) -> Cycle:
    cycle = draft_cycle(pupil, outcomes=outcomes)
    services.agree_plan(
        actor=ACTOR, cycle=cycle, plan_agreed_on=AGREED, review_date=REVIEW_DUE, parents_notified_on=AGREED,
        parents_notified_how="meeting", expected_version=cycle.version,
    )  # fmt: skip
    cycle.refresh_from_db()
    return cycle


def reviewed_cycle(pupil: Pupil, *, rating: str = "partly_achieved", judgement: str = "continue") -> Cycle:
    cycle = agreed_cycle(pupil)
    reviews.record_review(
        actor=ACTOR, cycle=cycle,
        review={"held_on": REVIEW_DUE, "parents_views_on_progress": "", "pupil_views_on_progress": "",
                "decision": "another_cycle", "notes": ""},
        outcome_ratings={o.pk: {"rating": rating, "evidence": "", "measure_now": "6 words"}
                         for o in Outcome.objects.filter(cycle=cycle)},
        provision_judgements={p.pk: {"judgement": judgement, "note": ""}
                              for p in Provision.objects.filter(cycle=cycle)},
        expected_version=cycle.version,
    )  # fmt: skip
    cycle.refresh_from_db()
    return cycle


def _v(cycle: Cycle) -> int:
    cycle.refresh_from_db()
    return cycle.version
