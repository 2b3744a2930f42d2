"""What a full e-mail says beyond its sentence, read from the records when it is sent.

A chronology entry holds a date and staff wording, not a link to its record, so each kind finds
its record by the child and the day (the plan agreed that day, the review held that day). When
none is found (changed since, or never linked) the e-mail says the sentence alone: it never guesses.
Short e-mails use none of this.
"""

from collections.abc import Callable
from datetime import date

from graduated.ehc.models import EHCPlan, EHCRequest
from graduated.meetings.models import Meeting
from graduated.pupils.models import ChronologyEntry
from graduated.pupils.models import ChronologyKind as K
from graduated.specialists.models import Referral
from graduated.support.models import Cycle, CycleStatus, OutcomeRating, Review, ReviewDecision

RATING_WORDS: dict[str, str] = {
    OutcomeRating.ACHIEVED: "done",
    OutcomeRating.PARTLY_ACHIEVED: "partly done",
    OutcomeRating.NOT_ACHIEVED: "not yet",
    OutcomeRating.NO_LONGER_RELEVANT: "no longer needed",
}
NEXT_STEP_WORDS: dict[str, str] = {
    ReviewDecision.ANOTHER_CYCLE: "a new plan, to keep going",
    ReviewDecision.INVOLVE_SPECIALIST: "asking a specialist for help",
    ReviewDecision.PERSON_CENTRED_PLANNING: "a meeting with you, to plan together",
    ReviewDecision.CONSIDER_EHC_REQUEST: "thinking about asking the council to check if an EHC plan is needed",
    ReviewDecision.END_SEN_SUPPORT: "the extra help can stop, because it is not needed now",
}


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _next_review(cycle: Cycle) -> list[str]:
    if cycle.review_date and cycle.status == CycleStatus.DO:
        return [f"The next review is on {_long(cycle.review_date)}."]
    return []


def _plan_agreed(entry: ChronologyEntry) -> list[str]:
    # Only what the family may see: a plan the SENCO has not shared gives the sentence alone.
    cycle = (
        Cycle.objects.filter(pupil_id=entry.pupil_id, plan_agreed_on=entry.occurred_on, shared_with_family=True)
        .order_by("-number")
        .first()
    )
    if cycle is None:
        return []
    aims = [f"- {outcome.description} (by {_long(outcome.by_when)})" for outcome in cycle.outcomes.order_by("position")]
    return ["What we are aiming for:", *aims, *_next_review(cycle)]


def _outcome_added(entry: ChronologyEntry) -> list[str]:
    cycle = Cycle.objects.filter(pupil_id=entry.pupil_id, status=CycleStatus.DO, shared_with_family=True).first()
    newest = cycle.outcomes.order_by("-pk").first() if cycle else None
    if cycle is None or newest is None:
        return []
    return [f"The new aim: {newest.description} (by {_long(newest.by_when)}).", *_next_review(cycle)]


def _review(entry: ChronologyEntry) -> list[str]:
    review = (
        Review.objects.filter(cycle__pupil_id=entry.pupil_id, held_on=entry.occurred_on, cycle__shared_with_family=True)
        .order_by("-cycle__number")
        .first()
    )
    if review is None:
        return []
    rated = review.outcome_reviews.select_related("outcome").order_by("outcome__position")
    lines = ["How the aims went:", *(f"- {r.outcome.description}: {RATING_WORDS[r.rating]}" for r in rated)]
    if review.decision in NEXT_STEP_WORDS:
        lines.append(f"What happens next: {NEXT_STEP_WORDS[review.decision]}.")
    return lines


def _meeting_shared(entry: ChronologyEntry) -> list[str]:
    meeting = Meeting.objects.filter(pupil_id=entry.pupil_id, shared_with_parents_on=entry.occurred_on).first()
    if meeting is None:
        return []
    actions = [f"- {action.description}: {action.owner_name}" for action in meeting.actions.order_by("due_on", "id")]
    return [f"The meeting was on {_long(meeting.held_on)}.", *(["What was agreed:", *actions] if actions else [])]


def _referral(entry: ChronologyEntry) -> list[str]:
    referral = Referral.objects.filter(pupil_id=entry.pupil_id, referred_on=entry.occurred_on).select_related("service")
    found = referral.first()
    return [f"The service: {found.service.name}."] if found else []


def _report(entry: ChronologyEntry) -> list[str]:
    found = (
        Referral.objects.filter(pupil_id=entry.pupil_id, report_received_on=entry.occurred_on)
        .select_related("service")
        .first()
    )
    return [f"It is from: {found.service.name}. The school will talk to you about it."] if found else []


def _assessment_decided(entry: ChronologyEntry) -> list[str]:
    request = EHCRequest.objects.filter(pupil_id=entry.pupil_id, assessment_decided_on=entry.occurred_on).first()
    if request is None or request.to_assess is None:
        return []
    if request.to_assess:
        return ["The council will check what help is needed. It will ask people who know the child for advice."]
    return ["The council decided not to check now. Its letter says why, and what you can do if you disagree."]


def _draft_plan(entry: ChronologyEntry) -> list[str]:
    plan = EHCPlan.objects.filter(pupil_id=entry.pupil_id, draft_issued_on=entry.occurred_on).first()
    return [f"You can tell the council what you think until {_long(plan.comments_close)}."] if plan else []


DETAILS: dict[str, Callable[[ChronologyEntry], list[str]]] = {
    K.PLAN_AGREED: _plan_agreed,
    K.OUTCOME_ADDED: _outcome_added,
    K.REVIEW_RECORDED: _review,
    K.MEETING_SHARED: _meeting_shared,
    K.REFERRAL_MADE: _referral,
    K.SPECIALIST_REPORT_RECEIVED: _report,
    K.EHC_ASSESSMENT_DECIDED: _assessment_decided,
    K.EHC_DRAFT_PLAN: _draft_plan,
}


def details_of(entry: ChronologyEntry) -> list[str]:
    builder = DETAILS.get(entry.kind)
    return builder(entry) if builder else []
