"""A case's statutory timeline, read from its stored dates with ``graduated.statutory.clock``.

Pure: a request (with its advice requests, exceptions and plan already loaded) and ``today`` go in,
rows come out. Nothing here queries the database, so the inbox and the case page cost a fixed number
of queries whatever the number of cases.

Each deadline is the clock's statutory date, and stays so. Where a recorded exception applies to it
(the clock reads which kinds the provision lists, the facts they need, and the officer's
confirmation), the deadline is *excused*: the law then asks for the act as soon as practicable, which
is what the case and the inbox say, with no invented deadline.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from graduated.ehc.models import AdviceRequest, ClockExceptionRecord, EHCPlan, EHCRequest, Stage
from graduated.statutory import clock

STEP_LABELS = {
    clock.Step.DECISION_TO_ASSESS: "Decision whether to assess (6 weeks)",
    clock.Step.ADVICE: "Advice",
    clock.Step.DECISION_NOT_TO_ISSUE: "Decision whether to issue a plan (16 weeks)",
    clock.Step.FINAL_PLAN: "Final plan issued (20 weeks)",
}


def plan_of(request: EHCRequest) -> EHCPlan | None:
    """The request's plan, if it has one (loaded with the request by the selectors)."""
    try:
        return request.plan
    except EHCPlan.DoesNotExist:
        return None


@dataclass(frozen=True)
class CaseFacts:
    """What the clock reads for a case's exceptions: each exception, and the advice asked of schools."""

    exceptions: list[clock.ClockException]
    school_advice: list[clock.AdviceAsked]


def _facts(request: EHCRequest) -> CaseFacts:
    return facts_of(request.clock_exceptions.all(), request.advice_requests.all())


def facts_of(exceptions: Iterable[ClockExceptionRecord], advice: Iterable[AdviceRequest]) -> CaseFacts:
    asked = [item.as_school_advice() for item in advice]
    return CaseFacts([record.as_clock() for record in exceptions], [item for item in asked if item is not None])


def final_plan_excused(request: EHCRequest, facts: CaseFacts) -> bool:
    """Whether an exception excuses the 20 weeks: ``timeline_for(request, ...).final_plan.excused``, from facts
    the caller loaded (the SEN2 return reads it for thousands of cases)."""
    return _deadline(request, clock.Step.FINAL_PLAN, facts).excused


#: What the case says of a deadline an exception applies to, in place of a count of days.
AS_SOON_AS_PRACTICABLE = "Exception applies: act as soon as practicable"


@dataclass(frozen=True)
class Deadline:
    """One time limit of a case: the law's date, the exceptions read against it, and when it was met."""

    label: str
    excepted: clock.ExceptedDeadline
    done_on: date | None = None
    applies: bool = True  # False once the case took a path where this limit no longer matters

    @property
    def statutory(self) -> date:
        return self.excepted.statutory

    @property
    def excused(self) -> bool:
        return self.excepted.excused

    def state(self, today: date) -> str:
        """In words: met, late, an exception applies, or how long is left."""
        if not self.applies:
            return "Not needed"
        if self.done_on is not None:
            if self.done_on <= self.statutory:
                return "Met"
            return "Late, an exception applied" if self.excused else "Late"
        if self.excused:
            return AS_SOON_AS_PRACTICABLE
        left = clock.days_left(self.statutory, today)
        if left < 0:
            return f"Overdue by {-left} day{'s' if left != -1 else ''}"
        if left == 0:
            return "Due today"
        return f"{left} day{'s' if left != 1 else ''} left"

    def rag(self, today: date) -> clock.Rag:
        return clock.rag_status(self.statutory, today)

    @property
    def effects(self) -> tuple[clock.ExceptionEffect, ...]:
        return self.excepted.effects


def _deadline(request: EHCRequest, step: clock.Step, facts: CaseFacts, **kwargs: object) -> Deadline:
    excepted = clock.deadline_with_exceptions(step, request.received_on, facts.exceptions, facts.school_advice)
    return Deadline(label=STEP_LABELS[step], excepted=excepted, **kwargs)  # type: ignore[arg-type]


def advice_deadline(advice: AdviceRequest, facts: CaseFacts) -> Deadline:
    excepted = clock.deadline_with_exceptions(clock.Step.ADVICE, advice.asked_on, facts.exceptions)
    label = f"Advice from {advice.adviser} ({advice.get_adviser_kind_display().lower()})"
    return Deadline(label=label, excepted=excepted, done_on=advice.received_on)


@dataclass
class Timeline:
    request: EHCRequest
    decision_to_assess: Deadline
    advice: list[Deadline]
    decision_not_to_issue: Deadline
    final_plan: Deadline
    plan: EHCPlan | None
    next_deadline: Deadline | None = None

    @property
    def rows(self) -> list[Deadline]:
        return [self.decision_to_assess, *self.advice, self.decision_not_to_issue, self.final_plan]

    def overdue_advice(self, today: date) -> int:
        return sum(1 for row in self.advice if row.done_on is None and not row.excused and row.statutory < today)


class StepsThatApply(NamedTuple):  # a tuple: the figures make one for each of an LA's thousands of cases
    decision_to_assess: bool
    decision_not_to_issue: bool
    final_plan: bool


def steps_that_apply(
    *, stage: str, to_assess: bool | None, assessment_decided_on: date | None, has_plan: bool
) -> StepsThatApply:
    """Which time limits still matter on the path the case took. Also read by the LA's figures, which work
    from a case's columns alone (``figures.py``), so the rule lives here once."""
    assessing_path = to_assess is not False
    # A withdrawn request needs nothing more: only the steps already taken stay on its timeline.
    withdrawn = stage == Stage.WITHDRAWN
    return StepsThatApply(
        decision_to_assess=not withdrawn or assessment_decided_on is not None,
        decision_not_to_issue=assessing_path and not has_plan and not withdrawn,
        final_plan=assessing_path and stage != Stage.NOT_ISSUING and not withdrawn,
    )


def timeline_for(request: EHCRequest, today: date) -> Timeline:
    """Every deadline of the case, and the next one the LA must meet (None once the case is closed)."""
    facts = _facts(request)
    plan = plan_of(request)
    stage = request.stage
    applies = steps_that_apply(
        stage=stage, to_assess=request.to_assess, assessment_decided_on=request.assessment_decided_on,
        has_plan=plan is not None,
    )  # fmt: skip
    decision = _deadline(
        request, clock.Step.DECISION_TO_ASSESS, facts, done_on=request.assessment_decided_on,
        applies=applies.decision_to_assess,
    )  # fmt: skip
    not_to_issue = _deadline(
        request, clock.Step.DECISION_NOT_TO_ISSUE, facts, done_on=request.not_to_issue_on,
        applies=applies.decision_not_to_issue,
    )  # fmt: skip
    final = _deadline(
        request, clock.Step.FINAL_PLAN, facts, done_on=plan.final_issued_on if plan else None,
        applies=applies.final_plan,
    )  # fmt: skip
    advice = [advice_deadline(item, facts) for item in request.advice_requests.all()]
    timeline = Timeline(request, decision, advice, not_to_issue, final, plan)
    if stage == Stage.RECEIVED:
        timeline.next_deadline = decision
    elif stage == Stage.ASSESSING:
        # Until the 16 weeks have run the LA may still decide not to issue; after that the 20 weeks remain.
        timeline.next_deadline = not_to_issue if today <= not_to_issue.statutory else final
    elif stage == Stage.DRAFT:
        timeline.next_deadline = final
    return timeline


def latest_draft_date(request: EHCRequest) -> date:
    """The last day a draft can be served and the family's 15 days still end before the 20 weeks."""
    return request.deadlines.latest_draft_plan
