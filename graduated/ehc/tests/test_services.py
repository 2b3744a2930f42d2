from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import reviews, selectors, services
from graduated.ehc.forms import ReviewForm
from graduated.ehc.letters import refusal_outline
from graduated.ehc.models import EHCRequest, PlanReview, RequestSource, Stage
from graduated.ehc.tests.factories import ACTOR, RECEIVED, advice, assessing, drafted, final, not_assessing, received
from graduated.ehc.timeline import timeline_for
from graduated.lib.exports import Facts, Paragraphs
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.pupils import services as pupil_services
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil, SENStatusPeriod


def test_a_request_starts_the_six_week_clock(world: World) -> None:
    case = received(world.p1)
    assert case.stage == Stage.RECEIVED
    assert case.deadlines.decision_to_assess == date(2025, 4, 14)
    timeline = timeline_for(case, date(2025, 4, 11))
    assert timeline.next_deadline is timeline.decision_to_assess
    assert timeline.decision_to_assess.state(date(2025, 4, 11)) == "3 days left"
    assert timeline.decision_to_assess.rag(date(2025, 4, 11)) == "red"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="ehc.ehcrequest").count() == 1


def test_a_second_open_request_and_one_from_a_school_without_the_school_are_refused(world: World) -> None:
    received(world.p1)
    with pytest.raises(services.EHCError, match="already has an open request, received on 3 March 2025"):
        received(world.p1, RECEIVED + timedelta(days=3))
    with pytest.raises(services.EHCError, match="Choose the school or setting"):
        received(world.p2, source=RequestSource.EDUCATION_SETTING)


def test_a_pupil_of_another_la_cannot_be_logged(world: World) -> None:
    with pytest.raises(services.EHCError, match="neither lives in nor attends a setting in Northshire"):
        services.receive_request(
            actor=ACTOR, la=world.la_north, pupil=world.p4, received_on=RECEIVED, source=1, requested_by="Parent"
        )
    assert not EHCRequest.objects.exists()


def test_steps_out_of_order_are_refused_with_the_missing_step(world: World) -> None:
    case = received(world.p1)
    with pytest.raises(services.EHCError, match="Record the decision whether to assess first"):
        services.issue_draft_plan(
            actor=ACTOR, request=case, draft_issued_on=RECEIVED, sections={}, expected_version=case.version
        )
    refused = not_assessing(world.p2)
    with pytest.raises(services.EHCError, match="The decision was not to assess, so there can be no draft plan"):
        services.issue_draft_plan(
            actor=ACTOR, request=refused, draft_issued_on=date(2025, 5, 1), sections={},
            expected_version=refused.version,
        )  # fmt: skip
    with pytest.raises(services.EHCError, match="no request for advice"):
        services.request_advice(
            actor=ACTOR, request=refused, adviser_kind="ep", adviser="EPS", asked_on=date(2025, 5, 1)
        )


def test_a_decision_before_the_request_and_a_stale_decision_are_refused(world: World) -> None:
    case = received(world.p1)
    with pytest.raises(services.EHCError, match="on or after the date the request was received"):
        services.decide_whether_to_assess(
            actor=ACTOR, request=case, to_assess=True, decided_on=RECEIVED - timedelta(days=1), reasons="x",
            expected_version=case.version,
        )  # fmt: skip
    with pytest.raises(StaleEditError):
        services.decide_whether_to_assess(
            actor=ACTOR, request=case, to_assess=True, decided_on=RECEIVED, reasons="x",
            expected_version=case.version + 1,
        )  # fmt: skip
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED


def test_the_final_plan_waits_for_the_familys_15_days(world: World) -> None:
    plan = drafted(world.p1)  # served 21 June 2025: the 15 days run to 5 July
    assert plan.comments_close == date(2025, 7, 5)
    with pytest.raises(services.EHCError, match="run to 5 July 2025: the final plan can be issued from 6 July 2025"):
        services.issue_final_plan(
            actor=ACTOR, plan=plan, final_issued_on=date(2025, 7, 5), expected_version=plan.version
        )
    assert SENStatusPeriod.objects.current().get(pupil=world.p1).status == "K"


def test_issuing_the_final_plan_makes_the_pupil_e_from_the_issue_date(world: World) -> None:
    plan = final(world.p1)  # issued 16 July 2025, 135 days after the request
    assert plan.final_issued_on == date(2025, 7, 16)
    current = SENStatusPeriod.objects.current().get(pupil=world.p1)
    assert (current.status, current.start_date) == ("E", date(2025, 7, 16))
    assert SENStatusPeriod.objects.get(pupil=world.p1, status="K").end_date == date(2025, 7, 15)
    assert ChronologyEntry.objects.filter(
        pupil=world.p1, kind=ChronologyKind.STATUS_CHANGED, occurred_on=date(2025, 7, 16)
    ).exists()
    plan.request.refresh_from_db()
    assert plan.request.stage == Stage.FINAL
    timeline = timeline_for(plan.request, date(2025, 8, 1))
    assert timeline.final_plan.state(date(2025, 8, 1)) == "Met"
    assert timeline.next_deadline is None


def test_a_final_plan_dated_before_the_pupils_status_is_refused_and_changes_nothing(world: World) -> None:
    plan = drafted(world.p1, on=date(2023, 9, 4))  # p1 has been on SEN support since 8 January 2024
    with pytest.raises(services.EHCError, match="SEN status cannot change to EHC plan"):
        services.issue_final_plan(
            actor=ACTOR, plan=plan, final_issued_on=date(2024, 1, 8), expected_version=plan.version
        )
    plan.refresh_from_db()
    assert plan.final_issued_on is None


def test_advice_is_due_six_weeks_after_asking_and_can_be_received_once(world: World) -> None:
    case = assessing(world.p1)  # decided 7 April 2025
    item = advice(case)  # asked 8 April
    assert item.due == date(2025, 5, 20)
    services.mark_advice_received(actor=ACTOR, advice=item, received_on=date(2025, 5, 27))
    case.refresh_from_db()
    row = timeline_for(case, date(2025, 6, 1)).advice[0]
    assert row.state(date(2025, 6, 1)) == "Late"
    with pytest.raises(services.EHCError, match="already marked received on 27 May 2025"):
        services.mark_advice_received(actor=ACTOR, advice=item, received_on=date(2025, 5, 28))


def _closure_and_missed_appointment(case: EHCRequest, *, confirm: bool) -> None:
    because = "The school could not give its advice while it was shut." if confirm else ""
    services.add_exception(
        actor=ACTOR, request=case, kind="setting_closed", first_day=date(2025, 3, 17), last_day=date(2025, 4, 20),
        reason="Closed after a fire.", impractical_because=because,
    )  # fmt: skip
    services.add_exception(
        actor=ACTOR, request=case, kind="missed_appointment", first_day=date(2025, 5, 1), last_day=date(2025, 5, 7),
        reason="Did not attend the paediatric appointment.", impractical_because=because and "No report without it.",
    )  # fmt: skip


def test_a_confirmed_closure_with_the_school_asked_in_time_applies_where_the_regulations_list_it(
    world: World,
) -> None:
    # Received 3 March 2025 (6 weeks: 14 April; 20 weeks: 21 July). The LA asks P1's school for advice
    # on 10 March; the school is shut 17 March–20 April (35 days; the window for asking is 10 March to
    # 14 April). The decision comes on 22 April, 8 days after the 6 weeks.
    case = received(world.p1)
    school = services.request_advice(
        actor=ACTOR, request=case, adviser_kind="school", adviser="Ash Primary", asked_on=date(2025, 3, 10)
    )
    assert school.setting == world.setting_a  # the school the pupil attends
    _closure_and_missed_appointment(case, confirm=True)
    case = EHCRequest.objects.get(pk=case.pk)
    case = services.decide_whether_to_assess(
        actor=ACTOR, request=case, to_assess=True, decided_on=date(2025, 4, 22), reasons="May need a plan.",
        expected_version=case.version,
    )  # fmt: skip
    item = advice(case)  # from the EPS, asked 23 April
    case = EHCRequest.objects.get(pk=case.pk)
    timeline = timeline_for(case, date(2025, 6, 1))
    decision = timeline.decision_to_assess
    assert decision.statutory == date(2025, 4, 14)  # the law's date stays
    assert decision.excused and decision.state(date(2025, 6, 1)) == "Late, an exception applied"
    assert [effect.counts for effect in decision.effects] == [True, False]  # no appointment under reg 5(4)
    # A closure is no exception to a body's advice (reg 8(2)); a missed appointment is.
    assert item.asked_on == date(2025, 4, 23)
    assert [effect.counts for effect in timeline.advice[1].effects] == [False, True]
    # The 20 weeks: the closure applies, the missed appointment does not (reg 13(3)).
    final_plan = timeline.final_plan
    assert [effect.counts for effect in final_plan.effects] == [True, False]
    assert final_plan.statutory == date(2025, 7, 21)
    assert final_plan.state(date(2025, 6, 1)) == "Exception applies: act as soon as practicable"


def test_an_exception_applies_to_nothing_until_an_officer_confirms_it(world: World) -> None:
    case = assessing(world.p1, decided_after=50)
    services.request_advice(
        actor=ACTOR, request=case, adviser_kind="school", adviser="Ash Primary", asked_on=date(2025, 3, 10)
    )
    _closure_and_missed_appointment(case, confirm=False)
    case = EHCRequest.objects.get(pk=case.pk)
    decision = timeline_for(case, date(2025, 6, 1)).decision_to_assess
    assert not decision.excused and decision.state(date(2025, 6, 1)) == "Late"
    assert "no officer has confirmed" in decision.effects[0].reason
    closure = case.clock_exceptions.get(kind="setting_closed")

    services.confirm_exception(
        actor=ACTOR, request=case, exception_id=closure.pk, impractical_because="The school was shut.",
        confirmed_on=date(2025, 4, 22),
    )  # fmt: skip

    case = EHCRequest.objects.get(pk=case.pk)
    assert timeline_for(case, date(2025, 6, 1)).decision_to_assess.excused
    confirmed = case.clock_exceptions.get(pk=closure.pk)
    assert (confirmed.confirmed_on, confirmed.impractical_because) == (date(2025, 4, 22), "The school was shut.")
    event = AuditEvent.objects.get(
        object_type="ehc.clockexceptionrecord", object_id=str(closure.pk), action=AuditAction.CHANGE
    )
    assert "impractical_because" in event.changed_fields
    with pytest.raises(services.EHCError, match="already confirmed"):
        services.confirm_exception(
            actor=ACTOR, request=case, exception_id=closure.pk, impractical_because="Again.",
            confirmed_on=date(2025, 4, 23),
        )  # fmt: skip
    with pytest.raises(services.EHCError, match="Enter why"):
        services.confirm_exception(
            actor=ACTOR, request=case, exception_id=case.clock_exceptions.get(kind="missed_appointment").pk,
            impractical_because="  ", confirmed_on=date(2025, 5, 8),
        )  # fmt: skip


def test_a_closure_the_school_was_not_asked_about_in_time_does_not_apply(world: World) -> None:
    case = assessing(world.p1, decided_after=50)
    services.request_advice(  # a day too late: less than a week before it reopened on 21 April
        actor=ACTOR, request=case, adviser_kind="school", adviser="Ash Primary", asked_on=date(2025, 4, 15)
    )
    _closure_and_missed_appointment(case, confirm=True)
    case = EHCRequest.objects.get(pk=case.pk)
    decision = timeline_for(case, date(2025, 6, 1)).decision_to_assess
    assert not decision.excused
    assert "between 10 March 2025 and 14 April 2025" in decision.effects[0].reason


def test_the_refusal_letter_tells_the_family_their_rights(world: World) -> None:
    case = not_assessing(world.p1)  # decided 12 April 2025
    outline = refusal_outline(EHCRequest.objects.select_related("pupil", "local_authority").get(pk=case.pk))
    text = " ".join(
        " ".join(block.texts) if isinstance(block, Paragraphs) else " ".join(f"{k} {v}" for k, v in block.rows)
        for section in outline.sections
        for block in section.blocks
        if isinstance(block, Paragraphs | Facts)
    )
    headings = [section.heading for section in outline.sections]
    assert headings == [
        "The decision", "Our reasons", "Your right to appeal", "Mediation", "Disagreement resolution",
        "Where to get advice",
    ]  # fmt: skip
    assert "not to carry out an education, health and care (EHC) needs assessment" in text
    assert "Needs can be met from the setting's resources." in text
    assert "First-tier Tribunal" in text and "by 12 June 2025" in text and "Last day to appeal 12 June 2025" in text
    assert "within 1 month of the date of the mediation certificate" in text
    assert "contact a mediation adviser" in text
    assert "disagreement resolution service" in text
    assert "SENDIASS" in text and "IPSEA" in text


# Ceasing a plan. The plan below is issued 16 July 2025 (p1 is E from then); its review meets on 1 July
# 2026 and the LA decides to cease it on 10 July 2026: the family may appeal until 10 September 2026.
MEETING, DECIDED, APPEAL_BY = date(2026, 7, 1), date(2026, 7, 10), date(2026, 9, 10)


def _cease_decided(pupil: Pupil) -> PlanReview:
    plan = final(pupil)
    return reviews.record_review(
        actor=ACTOR, plan=plan, details={"meeting_on": MEETING, "decision": "cease", "decided_on": DECIDED}
    )


def _ceased(review: PlanReview, ceased_on: date) -> PlanReview:
    details = {"meeting_on": MEETING, "decision": "cease", "decided_on": DECIDED, "ceased_on": ceased_on}
    return reviews.update_review(actor=ACTOR, review=review, details=details, expected_version=review.version)


def _status(pupil: Pupil) -> tuple[str, date]:
    current = SENStatusPeriod.objects.current().get(pupil=pupil)
    return current.status, current.start_date


def test_a_decision_to_cease_keeps_the_plan_until_the_time_to_appeal_has_passed(world: World) -> None:
    review = _cease_decided(world.p1)
    assert _status(world.p1) == ("E", date(2025, 7, 16))
    assert [due.plan for due in selectors.reviews_due(world.la_north, date(2026, 8, 1))] == [review.plan]
    decision = ChronologyEntry.objects.get(pupil=world.p1, kind=ChronologyKind.EHC_REVIEW_DECIDED)
    assert (decision.occurred_on, decision.summary) == (
        DECIDED,
        "After the review, Northshire decided to cease the EHC plan; the plan stays in place until the time to "
        "appeal has passed or an appeal is decided",
    )
    assert reviews.earliest_cease(DECIDED) == APPEAL_BY + timedelta(days=1)
    with pytest.raises(services.EHCError, match=r"10 September 2026, 2 months after the decision.*from 11 September"):
        _ceased(review, APPEAL_BY)
    with pytest.raises(services.EHCError, match="cannot be in the future"):
        _ceased(review, timezone.localdate() + timedelta(days=1))
    with pytest.raises(services.EHCError, match="only cease after the LA's decision to cease it"):
        reviews.update_review(
            actor=ACTOR, review=review, expected_version=review.version,
            details={"meeting_on": MEETING, "decision": "amend", "decided_on": DECIDED, "ceased_on": date(2026, 10, 1)},
        )  # fmt: skip
    assert _status(world.p1) == ("E", date(2025, 7, 16))


def test_a_ceased_plan_moves_the_pupil_to_sen_support_and_leaves_the_reviews_due(world: World) -> None:
    review = _ceased(_cease_decided(world.p1), APPEAL_BY + timedelta(days=1))
    assert review.ceased_on == date(2026, 9, 11)
    assert _status(world.p1) == ("K", date(2026, 9, 11))
    assert SENStatusPeriod.objects.get(pupil=world.p1, status="E").end_date == date(2026, 9, 10)
    entries = ChronologyEntry.objects.filter(pupil=world.p1, occurred_on=date(2026, 9, 11))
    assert {entry.kind: entry.summary for entry in entries} == {
        ChronologyKind.STATUS_CHANGED: "SEN status changed from EHC plan to SEN support: EHC plan ceased",
        ChronologyKind.EHC_PLAN_CEASED: "EHC plan ceased, after Northshire's decision of 10 July 2026 to cease it",
    }
    assert selectors.reviews_due(world.la_north, date(2026, 12, 1)) == []
    with pytest.raises(services.EHCError, match="ceased on 11 September 2026: a plan that has ceased is not reviewed"):
        reviews.record_review(actor=ACTOR, plan=review.plan, details={"meeting_on": date(2027, 6, 1)})
    with pytest.raises(services.EHCError, match="can no longer be changed"):
        _ceased(review, date(2026, 9, 20))
    assert _status(world.p1) == ("K", date(2026, 9, 11))


def test_a_plan_ceasing_after_the_school_changed_the_status_leaves_the_status_alone(world: World) -> None:
    review = _cease_decided(world.p1)
    pupil_services.change_sen_status(actor=ACTOR, pupil=world.p1, status="N", start_date=date(2026, 8, 3))
    _ceased(review, date(2026, 9, 11))
    assert _status(world.p1) == ("N", date(2026, 8, 3))
    assert ChronologyEntry.objects.filter(pupil=world.p1, kind=ChronologyKind.EHC_PLAN_CEASED).count() == 1


def test_a_refused_status_change_leaves_the_plan_and_the_record_as_they_were(world: World) -> None:
    review = _cease_decided(world.p1)
    # The status record was corrected meanwhile: E again from 1 October 2026, after the day the plan ceased.
    pupil_services.change_sen_status(actor=ACTOR, pupil=world.p1, status="K", start_date=date(2026, 8, 3))
    pupil_services.change_sen_status(actor=ACTOR, pupil=world.p1, status="E", start_date=date(2026, 10, 1))
    entries, events = ChronologyEntry.objects.count(), AuditEvent.objects.count()
    with pytest.raises(
        services.EHCError, match="cannot change to SEN support: The new status must start after the current one"
    ):
        _ceased(review, date(2026, 9, 15))
    review.refresh_from_db()
    assert (review.ceased_on, review.version) == (None, 1)
    assert _status(world.p1) == ("E", date(2026, 10, 1))
    assert (ChronologyEntry.objects.count(), AuditEvent.objects.count()) == (entries, events)
    assert [due.plan for due in selectors.reviews_due(world.la_north, date(2026, 12, 1))] == [review.plan]


def _form_data(decision: str) -> dict[str, object]:
    dates = {"meeting_on": MEETING, "decided_on": DECIDED, "ceased_on": APPEAL_BY + timedelta(days=1)}
    data: dict[str, object] = {"decision": decision, "cease_reason": "2"}
    for name, day in dates.items():
        data |= {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
    return data


def test_the_review_form_takes_the_date_the_plan_ceased_only_after_a_decision_to_cease() -> None:
    form = ReviewForm(_form_data("maintain"))
    assert not form.is_valid()
    assert form.errors["ceased_on"] == ["Enter the date the plan ceased only after a decision to cease it"]
    form = ReviewForm(_form_data("cease"))
    assert form.is_valid(), form.errors
    assert "SEN support (K)" in str(form.fields["ceased_on"].help_text)


def test_the_officer_records_the_ceasing_on_the_review_form(world: World, client_for: Callable[..., Client]) -> None:
    review = _cease_decided(world.p1)
    plan = review.plan
    client = client_for(world.officer_north)
    url = reverse("ehc:edit_review", args=[world.la_north.pk, plan.request_id, review.pk])
    page = client.get(url).content.decode()
    assert "Date the plan ceased" in page and "SEN support (K) from this day" in page
    early = {**_form_data("cease"), "ceased_on_0": 10, "version": review.version}  # the last day to appeal
    response = client.post(url, early)
    assert response.status_code == 400 and "it can cease from 11 September 2026" in response.content.decode()
    response = client.post(url, {**_form_data("cease"), "version": review.version})
    assert response.status_code == 302
    assert _status(world.p1) == ("K", date(2026, 9, 11))
    reviews_page = client.get(reverse("ehc:reviews_due", args=[world.la_north.pk])).content.decode()
    assert world.p1.display_name not in reviews_page
    case_page = client.get(reverse("ehc:case", args=[world.la_north.pk, plan.request_id])).content.decode()
    assert (
        "The plan ceased on 11 September 2026 (decided 10 July 2026; reason: Ongoing education or training needs met"
        in case_page
    )
    assert "Next review due by" not in case_page
