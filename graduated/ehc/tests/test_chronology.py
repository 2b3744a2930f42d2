"""Each statutory step of the LA's case goes on the pupil's chronology, dated with the step's own date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from graduated.ehc import reviews, services
from graduated.ehc.models import RequestSource
from graduated.ehc.tests.factories import ACTOR, RECEIVED, assessing, drafted, final, not_assessing, received
from graduated.lib.testing import World
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil

K = ChronologyKind
EHC_KINDS = [kind for kind in ChronologyKind if kind.value.startswith("ehc_")]


def ehc_entries(pupil: Pupil) -> list[tuple[str, date, str]]:
    entries = ChronologyEntry.objects.filter(pupil=pupil, kind__in=EHC_KINDS).order_by("occurred_on", "id")
    return [(entry.kind, entry.occurred_on, entry.summary) for entry in entries]


def test_every_step_from_request_to_final_plan_is_on_the_chronology(world: World) -> None:
    case = services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p1, received_on=RECEIVED, source=RequestSource.EDUCATION_SETTING,
        requested_by="The SENCO", requesting_setting=world.setting_a,
    )  # fmt: skip
    case = services.decide_whether_to_assess(
        actor=ACTOR, request=case, to_assess=True, decided_on=date(2025, 4, 7), reasons="May need a plan.",
        expected_version=case.version,
    )  # fmt: skip
    item = services.request_advice(
        actor=ACTOR, request=case, adviser_kind="ep", adviser="Dr A Patel", asked_on=date(2025, 4, 8)
    )
    services.request_advice(
        actor=ACTOR, request=case, adviser_kind="other", adviser="The family's GP", asked_on=date(2025, 4, 9)
    )
    services.mark_advice_received(actor=ACTOR, advice=item, received_on=date(2025, 5, 27))
    case.refresh_from_db()
    plan = services.issue_draft_plan(
        actor=ACTOR, request=case, draft_issued_on=date(2025, 6, 21), sections={}, expected_version=case.version
    )
    services.issue_final_plan(actor=ACTOR, plan=plan, final_issued_on=date(2025, 7, 16), expected_version=plan.version)

    assert ehc_entries(world.p1) == [
        (K.EHC_REQUEST_RECEIVED, date(2025, 3, 3),
         "Request for an EHC needs assessment received by Northshire from Ash Primary School"),
        (K.EHC_ASSESSMENT_DECIDED, date(2025, 4, 7), "Northshire decided to carry out an EHC needs assessment"),
        (K.EHC_ADVICE_REQUESTED, date(2025, 4, 8),
         "Advice for the EHC needs assessment asked of Dr A Patel (educational psychologist), due 20 May 2025"),
        (K.EHC_ADVICE_REQUESTED, date(2025, 4, 9),
         "Advice for the EHC needs assessment asked of The family's GP, due 21 May 2025"),
        (K.EHC_ADVICE_RECEIVED, date(2025, 5, 27), "Advice for the EHC needs assessment received from Dr A Patel"),
        (K.EHC_DRAFT_PLAN, date(2025, 6, 21),
         "Draft EHC plan issued by Northshire; the family may comment until 5 July 2025"),
        (K.EHC_FINAL_PLAN, date(2025, 7, 16), "Final EHC plan issued by Northshire"),
    ]  # fmt: skip
    # The census status change keeps its own entry alongside the plan's.
    status = ChronologyEntry.objects.get(pupil=world.p1, kind=K.STATUS_CHANGED, occurred_on=date(2025, 7, 16))
    assert status.summary == "SEN status changed from SEN support to EHC plan: Final EHC plan issued"


def test_a_request_not_from_a_setting_names_the_kind_of_requester_not_the_person(world: World) -> None:
    received(world.p1)  # "Sam (mother)"
    assert ehc_entries(world.p1) == [
        (K.EHC_REQUEST_RECEIVED, RECEIVED,
         "Request for an EHC needs assessment received by Northshire from a parent or the young person"),
    ]  # fmt: skip
    services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p2, received_on=RECEIVED, source=RequestSource.HEALTH,
        requested_by="Dr B Jones, community paediatrics",
    )  # fmt: skip
    assert ehc_entries(world.p2)[0][2].endswith("received by Northshire from the health service")


def test_the_refusals_are_on_the_chronology(world: World) -> None:
    not_assessing(world.p1)  # decided 12 April 2025
    assert ehc_entries(world.p1)[-1] == (
        K.EHC_ASSESSMENT_DECIDED,
        date(2025, 4, 12),
        "Northshire decided not to carry out an EHC needs assessment",
    )
    case = assessing(world.p2)  # decided 7 April 2025
    services.decide_not_to_issue(
        actor=ACTOR, request=case, decided_on=date(2025, 6, 16), reasons="Needs can be met at school.",
        expected_version=case.version,
    )  # fmt: skip
    assert ehc_entries(world.p2)[-1] == (
        K.EHC_NOT_TO_ISSUE,
        date(2025, 6, 16),
        "Northshire decided not to issue an EHC plan after the assessment",
    )


def test_a_refused_step_adds_nothing_to_the_chronology(world: World) -> None:
    case = received(world.p1)
    with pytest.raises(services.EHCError):
        services.decide_whether_to_assess(
            actor=ACTOR, request=case, to_assess=True, decided_on=RECEIVED - timedelta(days=1), reasons="x",
            expected_version=case.version,
        )  # fmt: skip
    plan = drafted(world.p3, on=date(2023, 9, 4))
    with pytest.raises(services.EHCError, match="SEN status cannot change"):  # p3 is K from 8 January 2024
        services.issue_final_plan(
            actor=ACTOR, plan=plan, final_issued_on=date(2024, 1, 8), expected_version=plan.version
        )
    assert [kind for kind, _, _ in ehc_entries(world.p1)] == [K.EHC_REQUEST_RECEIVED]
    assert K.EHC_FINAL_PLAN not in [kind for kind, _, _ in ehc_entries(world.p3)]


def test_a_review_meeting_and_each_decision_go_on_the_chronology_once(world: World) -> None:
    plan = final(world.p1)  # issued 16 July 2025
    review = reviews.record_review(actor=ACTOR, plan=plan, details={"meeting_on": date(2026, 7, 1)})
    review = reviews.update_review(
        actor=ACTOR, review=review, expected_version=review.version,
        details={"meeting_on": date(2026, 7, 1), "report_received_on": date(2026, 7, 10), "decision": "maintain",
                 "decided_on": date(2026, 7, 20)},
    )  # fmt: skip
    review = reviews.update_review(  # the same decision saved again: nothing new happened
        actor=ACTOR, review=review, expected_version=review.version,
        details={"meeting_on": date(2026, 7, 1), "papers_sent_on": date(2026, 6, 17),
                 "report_received_on": date(2026, 7, 10), "decision": "maintain", "decided_on": date(2026, 7, 20)},
    )  # fmt: skip
    reviews.update_review(  # the decision corrected: the new one is recorded too
        actor=ACTOR, review=review, expected_version=review.version,
        details={"meeting_on": date(2026, 7, 1), "decision": "amend", "decided_on": date(2026, 7, 21)},
    )  # fmt: skip
    assert ehc_entries(world.p1)[-3:] == [
        (K.EHC_REVIEW_MEETING, date(2026, 7, 1), "EHC plan review meeting held"),
        (K.EHC_REVIEW_DECIDED, date(2026, 7, 20), "After the review, Northshire decided to keep the EHC plan as it is"),
        (K.EHC_REVIEW_DECIDED, date(2026, 7, 21), "After the review, Northshire decided to amend the EHC plan"),
    ]


def test_a_meeting_arranged_for_a_later_day_is_not_yet_on_the_chronology(world: World) -> None:
    plan = final(world.p1)
    later = timezone.localdate() + timedelta(days=20)
    reviews.record_review(actor=ACTOR, plan=plan, details={"meeting_on": later})
    assert K.EHC_REVIEW_MEETING not in [kind for kind, _, _ in ehc_entries(world.p1)]
