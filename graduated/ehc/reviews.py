"""Annual reviews of final EHC plans: when the next is due, the phase transfer deadline, and recording
a review meeting with the steps around it (reg 20). Dates come from ``graduated.statutory.clock``.

The next review is due within 12 months starting with the day the plan was issued or, once reviewed,
with the last review meeting (s.44(1) CFA 2014). For a child under 5 on that day the LA's practice
interval (``clock.UNDER_FIVE_REVIEW_MONTHS``, 6 months; Code of Practice 9.178) is used instead.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc.models import EHCPlan, PlanReview, ReviewDecision
from graduated.ehc.services import EHCError, lock_for_change, long_date, save_new_version
from graduated.pupils.models import Pupil
from graduated.pupils.year_groups import academic_year_start
from graduated.statutory import clock

REVIEW_FIELDS = ["meeting_on", "papers_sent_on", "report_received_on", "decision", "decided_on"]
PRIMARY_TO_SECONDARY_YEAR = 6  # Year 6 moves to Year 7
SECONDARY_TO_POST_16_YEAR = 11  # Year 11 moves to post-16


def age_on(pupil: Pupil, day: date) -> int:
    born = pupil.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def review_interval_months(pupil: Pupil, basis: date) -> int:
    return clock.UNDER_FIVE_REVIEW_MONTHS if age_on(pupil, basis) < 5 else 12


@dataclass(frozen=True)
class ReviewDue:
    plan: EHCPlan
    basis: date  # the plan's issue or the last review meeting
    basis_label: str
    interval_months: int
    due: date
    phase_transfer: date | None  # the last day to amend the plan for a transfer between phases
    phase_transfer_label: str


def phase_transfer(pupil: Pupil, today: date) -> tuple[date | None, str]:
    """The reg 18 deadline for a pupil in the year before a transfer between phases, or (None, "")."""
    year = pupil.year_group(today)
    transfer_year = academic_year_start(today) + 1
    if year == PRIMARY_TO_SECONDARY_YEAR:
        return clock.phase_transfer_deadline(transfer_year, secondary_to_post_16=False), "Year 6 to Year 7"
    if year == SECONDARY_TO_POST_16_YEAR:
        return clock.phase_transfer_deadline(transfer_year, secondary_to_post_16=True), "Year 11 to post-16"
    return None, ""


def review_due(plan: EHCPlan, reviews: list[PlanReview], today: date) -> ReviewDue:
    """When the plan's next review is due. ``reviews`` are the plan's reviews (any order)."""
    assert plan.final_issued_on is not None, "only a final plan is reviewed"
    held = [review.meeting_on for review in reviews if review.meeting_on <= today]
    basis, label = (max(held), "last review") if held else (plan.final_issued_on, "plan issued")
    interval = review_interval_months(plan.pupil, basis)
    transfer, transfer_label = phase_transfer(plan.pupil, today)
    due = clock.annual_review_due(basis, interval_months=interval)
    return ReviewDue(plan, basis, label, interval, due, transfer, transfer_label)


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


def _details(details: dict[str, object]) -> dict[str, object]:
    return {name: details.get(name) or ("" if name == "decision" else None) for name in REVIEW_FIELDS}


@transaction.atomic
def record_review(*, actor: Actor, plan: EHCPlan, details: dict[str, object]) -> PlanReview:
    values = _details(details)
    _check(plan, values)
    review = PlanReview.objects.create(plan=plan, **values)
    record(actor, AuditAction.CREATE, obj=review, pupil_id=plan.pupil_id, changed_fields=REVIEW_FIELDS)
    return review


@transaction.atomic
def update_review(*, actor: Actor, review: PlanReview, details: dict[str, object], expected_version: int) -> PlanReview:
    review = lock_for_change(review, expected_version)
    values = _details(details)
    _check(review.plan, values)
    changed = [name for name in REVIEW_FIELDS if getattr(review, name) != values[name]]
    for name, value in values.items():
        setattr(review, name, value)
    save_new_version(review, REVIEW_FIELDS)
    record(actor, AuditAction.CHANGE, obj=review, pupil_id=review.plan.pupil_id, changed_fields=changed)
    return review
