"""Cases in each state, made through the services as an officer would (dates relative to a request)."""

from datetime import date, timedelta

from graduated.audit.services import Actor
from graduated.ehc import reviews, services
from graduated.ehc.models import AdviceRequest, EHCPlan, EHCRequest, PlanReview, RequestSource
from graduated.organisations.models import LocalAuthority
from graduated.pupils.models import Pupil

ACTOR = Actor.system("test")
RECEIVED = date(2025, 3, 3)  # a Monday: 6 weeks is 14 April 2025, 16 weeks 23 June, 20 weeks 21 July


def la_of(pupil: Pupil) -> LocalAuthority:
    la = pupil.home_local_authority
    assert la is not None
    return la


def received(pupil: Pupil, on: date = RECEIVED, source: int = RequestSource.PARENT_OR_YOUNG_PERSON) -> EHCRequest:
    return services.receive_request(
        actor=ACTOR, la=la_of(pupil), pupil=pupil, received_on=on, source=source, requested_by="Sam (mother)"
    )


def assessing(pupil: Pupil, on: date = RECEIVED, decided_after: int = 35) -> EHCRequest:
    case = received(pupil, on)
    return services.decide_whether_to_assess(
        actor=ACTOR, request=case, to_assess=True, decided_on=on + timedelta(days=decided_after),
        reasons="May need provision through a plan.", expected_version=case.version,
    )  # fmt: skip


def not_assessing(pupil: Pupil, on: date = RECEIVED) -> EHCRequest:
    case = received(pupil, on)
    return services.decide_whether_to_assess(
        actor=ACTOR, request=case, to_assess=False, decided_on=on + timedelta(days=40),
        reasons="Needs can be met from the setting's resources.", expected_version=case.version,
    )  # fmt: skip


def advice(case: EHCRequest, asked_after_decision: int = 1) -> AdviceRequest:
    assert case.assessment_decided_on is not None
    return services.request_advice(
        actor=ACTOR, request=case, adviser_kind="ep", adviser="Northshire EPS",
        asked_on=case.assessment_decided_on + timedelta(days=asked_after_decision),
    )  # fmt: skip


def drafted(pupil: Pupil, on: date = RECEIVED, draft_after: int = 110) -> EHCPlan:
    case = assessing(pupil, on)
    return services.issue_draft_plan(
        actor=ACTOR, request=case, draft_issued_on=on + timedelta(days=draft_after),
        sections={"section_a": "Likes trains.", "section_b": "Speech and language needs."},
        expected_version=case.version,
    )  # fmt: skip


def final(pupil: Pupil, on: date = RECEIVED, issued_after: int = 135) -> EHCPlan:
    plan = drafted(pupil, on)
    return services.issue_final_plan(
        actor=ACTOR, plan=plan, final_issued_on=on + timedelta(days=issued_after), expected_version=plan.version
    )


def review(plan: EHCPlan, meeting: date) -> PlanReview:
    return reviews.record_review(actor=ACTOR, plan=plan, details={"meeting_on": meeting})
