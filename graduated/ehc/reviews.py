"""Annual reviews of final EHC plans: when the next is due, the phase transfer deadline (found in
``transfers.py`` from the setting the pupil attends), and recording a review meeting with the steps
around it (reg 20). Dates come from ``graduated.statutory.clock``.

The next review is due within 12 months starting with the day the plan was issued or, once reviewed,
with the last review meeting (s.44(1) CFA 2014). For a child under 5 on that day the LA's practice
interval is used instead (Code of Practice 9.178: every 3 to 6 months): the one in its rule pack in
force on that day (``rulepacks.selectors.under_five_review_months``), or
``clock.UNDER_FIVE_REVIEW_MONTHS`` (6) when the LA has none.

A decision to cease the plan does not end it: the LA must keep the plan until the time to appeal
has passed or an appeal is decided (s.45 CFA 2014). The day it then ceases is recorded on the review
that decided it, and from that day the pupil's census status goes from E to K (SEN support), through
``pupils.services.change_sen_status``. A plan that has ceased is no longer reviewed.

The meeting, the LA's decision and the plan ceasing go on the pupil's chronology; a meeting only
once its day has come, since a meeting may be recorded when it is arranged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc.models import EHCPlan, PlanReview, ReviewDecision
from graduated.ehc.services import EHCError, long_date, status_refusal
from graduated.ehc.transfers import PhaseTransfer, transfer_for_pupil
from graduated.lib.versioning import lock_for_edit, save_versioned
from graduated.pupils import services as pupil_services
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.statutory import clock

REVIEW_FIELDS = [
    "meeting_on", "papers_sent_on", "report_received_on", "decision", "decided_on", "ceased_on", "cease_reason",
]  # fmt: skip
# Once the plan has ceased and the pupil's status has changed, these are no longer changed here.
CEASE_FIELDS = ["decision", "decided_on", "ceased_on"]
DECISION_SUMMARIES = {
    ReviewDecision.MAINTAIN: "After the review, {la} decided to keep the EHC plan as it is",
    ReviewDecision.AMEND: "After the review, {la} decided to amend the EHC plan",
    ReviewDecision.CEASE: (
        "After the review, {la} decided to cease the EHC plan; the plan stays in place until the time to appeal "
        "has passed or an appeal is decided"
    ),
}


def age_on(pupil: Pupil, day: date) -> int:
    return _age(pupil.date_of_birth, day)


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _default_under_five(day: date) -> int:
    return clock.UNDER_FIVE_REVIEW_MONTHS


def review_interval_months(pupil: Pupil, basis: date, under_five: Callable[[date], int] = _default_under_five) -> int:
    return under_five(basis) if age_on(pupil, basis) < 5 else 12


@dataclass(frozen=True)
class ReviewDue:
    plan: EHCPlan
    basis: date  # the plan's issue or the last review meeting
    basis_label: str
    interval_months: int
    due: date
    transfer: PhaseTransfer | None  # the transfer between phases at the end of this academic year

    @property
    def phase_transfer(self) -> date | None:
        """The last day to amend the plan for the transfer between phases (reg 18(1))."""
        return self.transfer.deadline if self.transfer else None

    @property
    def phase_transfer_label(self) -> str:
        return self.transfer.label if self.transfer else ""


def review_due(
    plan: EHCPlan, reviews: list[PlanReview], today: date, under_five: Callable[[date], int] = _default_under_five
) -> ReviewDue:
    """When the plan's next review is due, and the pupil's transfer between phases. ``reviews`` are the plan's
    reviews (any order); ``under_five`` gives the LA's interval for a child under 5 on a day
    (``rulepacks.selectors.under_five_review_months``). The pupil's current settings come from
    ``transfers.current_enrolments_prefetch`` when the plans were loaded with it, else from one query."""
    assert plan.final_issued_on is not None, "only a final plan is reviewed"
    held = [review.meeting_on for review in reviews if review.meeting_on <= today]
    basis, label, interval, due = next_review(plan.final_issued_on, max(held, default=None), plan.pupil.date_of_birth,
                                              under_five)  # fmt: skip
    return ReviewDue(plan, basis, label, interval, due, transfer_for_pupil(plan.pupil, today))


def next_review(
    issued: date, last_held: date | None, born: date, under_five: Callable[[date], int] = _default_under_five
) -> tuple[date, str, int, date]:
    """The basis of the plan's next review (its issue, or the last meeting held by today), its label, the
    interval in months and the day the review is due. From dates alone: ``selectors.review_order`` reads
    them for each of an LA's thousands of plans as columns, and ``review_due`` from a loaded plan."""
    basis, label = (last_held, "last review") if last_held is not None else (issued, "plan issued")
    interval = under_five(basis) if _age(born, basis) < 5 else 12
    return basis, label, interval, clock.annual_review_due(basis, interval_months=interval)


def earliest_cease(decided_on: date) -> date:
    """The first day a plan may cease after a decision to cease made on ``decided_on``: the day after the
    time to appeal, counted from the decision (its letter goes out on that day or later)."""
    return clock.appeal_deadline(decided_on) + timedelta(days=1)


def _check_ceased(details: dict[str, object]) -> None:
    ceased, decided = details.get("ceased_on"), details.get("decided_on")
    if not isinstance(ceased, date):
        return
    if details.get("decision") != ReviewDecision.CEASE or not isinstance(decided, date):
        raise EHCError("The plan can only cease after the LA's decision to cease it: record that decision first.")
    if ceased > timezone.localdate():
        raise EHCError("The date the plan ceased cannot be in the future: record it once the plan has ceased.")
    if ceased < earliest_cease(decided):
        appeal_by, earliest = long_date(clock.appeal_deadline(decided)), long_date(earliest_cease(decided))
        raise EHCError(
            f"The plan stays in place until the time to appeal has passed ({appeal_by}, 2 months after the decision) "
            f"or an appeal is decided: it can cease from {earliest}."
        )


def _check(plan: EHCPlan, details: dict[str, object]) -> None:
    meeting = details["meeting_on"]
    if plan.final_issued_on is None:
        raise EHCError("Only a final plan is reviewed: issue the final plan first.")
    if not isinstance(meeting, date):
        raise EHCError("Enter the date of the review meeting.")
    if meeting < plan.final_issued_on:
        raise EHCError(
            f"The review meeting must be on or after the plan was issued ({long_date(plan.final_issued_on)})."
        )
    for name, label in (("report_received_on", "The report date"), ("decided_on", "The decision date")):
        day = details.get(name)
        if isinstance(day, date) and day < meeting:
            raise EHCError(f"{label} must be on or after the review meeting ({long_date(meeting)}).")
    papers = details.get("papers_sent_on")
    if isinstance(papers, date) and papers > meeting:
        raise EHCError(f"The papers must go out before the review meeting ({long_date(meeting)}).")
    if details.get("decision") and not details.get("decided_on"):
        raise EHCError("Enter the date of the LA's decision.")
    if details.get("decided_on") and not details.get("decision"):
        raise EHCError("Choose the LA's decision, or leave its date empty.")
    if details.get("decision") and details["decision"] not in ReviewDecision.values:
        raise EHCError("Choose the LA's decision from the list.")
    _check_ceased(details)


def _details(details: dict[str, object]) -> dict[str, object]:
    return {name: details.get(name) or ("" if name == "decision" else None) for name in REVIEW_FIELDS}


def _ceasing_review(plan: EHCPlan) -> PlanReview | None:
    """The review whose decision the plan ceased by, once it has; the plan's row is locked first, so that
    two officers cannot cease it twice."""
    EHCPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    return plan.reviews.exclude(ceased_on=None).first()


def _end_ehc_status(actor: Actor, plan: EHCPlan, ceased_on: date) -> None:
    """The plan has ceased: the pupil's census status goes from E to K (SEN support) from that day,
    unless the school has already changed it. A refusal saves nothing, saying why."""
    current = pupil_services.current_status(plan.pupil)
    if current is None or current.status != SENProvision.EHC_PLAN:
        return
    try:
        pupil_services.change_sen_status(
            actor=actor, pupil=plan.pupil, status=SENProvision.SEN_SUPPORT, start_date=ceased_on,
            reason="EHC plan ceased",
        )  # fmt: skip
    except ValidationError as error:
        raise EHCError(f"The pupil's SEN status cannot change to SEN support: {status_refusal(error)}") from error


def _add_to_chronology(actor: Actor, review: PlanReview, before: dict[str, object]) -> None:
    """The meeting once held, a new or changed decision, and the plan ceasing."""
    plan = review.plan
    pupil, la = plan.pupil, plan.local_authority.name
    meeting_noted = ChronologyEntry.objects.filter(
        pupil=pupil, kind=ChronologyKind.EHC_REVIEW_MEETING, occurred_on=review.meeting_on
    ).exists()
    if review.meeting_on <= timezone.localdate() and not meeting_noted:
        add_to_chronology(
            pupil, actor, ChronologyKind.EHC_REVIEW_MEETING, review.meeting_on, "EHC plan review meeting held"
        )
    decided = (review.decision, review.decided_on)
    if review.decision and review.decided_on and decided != (before.get("decision"), before.get("decided_on")):
        summary = DECISION_SUMMARIES[ReviewDecision(review.decision)].format(la=la)
        add_to_chronology(pupil, actor, ChronologyKind.EHC_REVIEW_DECIDED, review.decided_on, summary)
    if review.ceased_on and review.decided_on and review.ceased_on != before.get("ceased_on"):
        add_to_chronology(
            pupil, actor, ChronologyKind.EHC_PLAN_CEASED, review.ceased_on,
            f"EHC plan ceased, after {la}'s decision of {long_date(review.decided_on)} to cease it",
        )  # fmt: skip


@transaction.atomic
def record_review(*, actor: Actor, plan: EHCPlan, details: dict[str, object]) -> PlanReview:
    values = _details(details)
    _check(plan, values)
    ceasing = _ceasing_review(plan)
    if ceasing is not None:
        assert ceasing.ceased_on is not None
        raise EHCError(f"The plan ceased on {long_date(ceasing.ceased_on)}: a plan that has ceased is not reviewed.")
    review = PlanReview.objects.create(plan=plan, **values)
    if review.ceased_on is not None:
        _end_ehc_status(actor, plan, review.ceased_on)
    record(actor, AuditAction.CREATE, obj=review, pupil_id=plan.pupil_id, changed_fields=REVIEW_FIELDS)
    _add_to_chronology(actor, review, before={})
    return review


@transaction.atomic
def update_review(*, actor: Actor, review: PlanReview, details: dict[str, object], expected_version: int) -> PlanReview:
    review = lock_for_edit(review, expected_version)
    values = _details(details)
    _check(review.plan, values)
    before = {name: getattr(review, name) for name in REVIEW_FIELDS}
    ceasing = _ceasing_review(review.plan)
    if ceasing is not None and ceasing.ceased_on is not None and ceasing.pk != review.pk and values["ceased_on"]:
        raise EHCError(f"The plan already ceased on {long_date(ceasing.ceased_on)}, after another review.")
    if review.ceased_on is not None and any(before[name] != values[name] for name in CEASE_FIELDS):
        raise EHCError(
            f"The plan ceased on {long_date(review.ceased_on)}: the decision to cease and the date the plan ceased "
            "can no longer be changed here."
        )
    changed = [name for name in REVIEW_FIELDS if before[name] != values[name]]
    for name, value in values.items():
        setattr(review, name, value)
    save_versioned(review, update_fields=REVIEW_FIELDS)
    if review.ceased_on is not None and before["ceased_on"] is None:
        _end_ehc_status(actor, review.plan, review.ceased_on)
    record(actor, AuditAction.CHANGE, obj=review, pupil_id=review.plan.pupil_id, changed_fields=changed)
    _add_to_chronology(actor, review, before)
    return review
