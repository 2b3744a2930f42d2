"""The statutory clock: the dates the SEND Regulations 2014 (SI 2014/1530) set, worked out from dates.

Pure arithmetic: a ``date`` goes in, dates come out. No database, no clock on the wall (callers pass
``today``), no bank holidays. Every function names the provision it follows.

Conventions (one for each kind of period, used everywhere in this module):

* **"within N weeks of" an event** (regs 5, 8, 10, 13; reg 20 for reviews): the day of the event is
  not counted, so the last day in time is the same weekday N weeks later, ``event + 7 × N`` days.
  A request received on Monday 2 March 2026 must be decided by Monday 13 April 2026 (6 weeks) and the
  final plan sent by Monday 20 July 2026 (20 weeks = 140 days). Every deadline returned here is the
  *last day on which the act is still in time*.
* **"N days beginning with" a day** (reg 13(1), the draft plan): that day counts as day 1, so 15 days
  beginning with the day a draft is served end 14 days later; a final plan may follow the day after.
* **Months** (annual review, appeals): calendar months by the corresponding-date rule (Dodds v Walker
  [1981] 1 WLR 1441): the same day of the month N months on, or the last day of that month when it
  has no such day. So 31 January + 1 month is 28 February (29 in a leap year) and 29 February 2028
  + 12 months is 28 February 2029. Where the law speaks of a period of N months *starting with* a
  day (the annual review, s.44(1) of the Children and Families Act 2014), the period ends the day
  before the corresponding date (or on the month's last day when there is none).
* **"before" a date** (reg 18(1), phase transfer) means by the day before it.

What this module does not do: deemed service of posted letters, moving a Tribunal deadline that falls
on a non-working day to the next working day (Tribunal Procedure Rules 2008, r.12(2)), and the
judgement whether an exception really made a time limit impractical to meet. Those are for people.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

DAYS_IN_WEEK = 7
#: "a continuous period of not less than 4 weeks" (regs 5(4), 8(2), 10(4)): 28 days counted inclusively.
MINIMUM_CONTINUOUS_DAYS = 4 * DAYS_IN_WEEK
#: reg 13(1)(a): "at least 15 days, beginning with the day on which the draft plan was served".
DRAFT_COMMENT_DAYS = 15


def weeks_after(event: date, weeks: int) -> date:
    """The last day of a period of ``weeks`` weeks after ``event`` (the event's own day not counted)."""
    return event + timedelta(days=DAYS_IN_WEEK * weeks)


def months_after(start: date, months: int) -> date:
    """The corresponding date ``months`` calendar months on (or back, if negative).

    When the target month is too short for the day, the month's last day: 31 January + 1 month is
    28/29 February; 29 February + 12 months is 28 February of the next year.
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def last_day_of_months_starting(start: date, months: int) -> date:
    """The last day of a period of ``months`` calendar months starting with (and including) ``start``.

    It is the day before the corresponding date, or the target month's last day when that month has no
    corresponding date: 12 months starting with 1 March 2025 end on 28 February 2026; 12 months
    starting with 29 February 2028 end on 28 February 2029.
    """
    corresponding = months_after(start, months)
    if corresponding.day != start.day:  # no corresponding date: the period runs to the month's end
        return corresponding
    return corresponding - timedelta(days=1)


# --- The EHC needs assessment -------------------------------------------------------------------


class Step(StrEnum):
    """A time limit in an EHC needs assessment, and when its clock starts."""

    DECISION_TO_ASSESS = "decision_to_assess"  # from the LA receiving the request
    ADVICE = "advice"  # from the professional body receiving the LA's request for advice
    DECISION_NOT_TO_ISSUE = "decision_not_to_issue"  # from the LA receiving the request
    FINAL_PLAN = "final_plan"  # from the LA receiving the request


STEP_WEEKS = {Step.DECISION_TO_ASSESS: 6, Step.ADVICE: 6, Step.DECISION_NOT_TO_ISSUE: 16, Step.FINAL_PLAN: 20}
STEP_REGULATION = {
    Step.DECISION_TO_ASSESS: "regulation 5(1)",
    Step.ADVICE: "regulation 8(1)",
    Step.DECISION_NOT_TO_ISSUE: "regulation 10(1)",
    Step.FINAL_PLAN: "regulation 13(2)",
}
EXCEPTION_REGULATION = {
    Step.DECISION_TO_ASSESS: "regulation 5(4)",
    Step.ADVICE: "regulation 8(2)",
    Step.DECISION_NOT_TO_ISSUE: "regulation 10(4)",
    Step.FINAL_PLAN: "regulation 13(3)",
}


def statutory_deadline(step: Step, clock_start: date) -> date:
    """The last day in time for ``step`` as the Regulations set it, with no exception applied.

    ``clock_start`` is the day the request was received (or, for ``Step.ADVICE``, the day the body
    received the LA's request for advice). Regs 5(1) and 8(1): 6 weeks; reg 10(1): 16 weeks;
    reg 13(2): 20 weeks.
    """
    return weeks_after(clock_start, STEP_WEEKS[step])


def advice_due(requested: date) -> date:
    """Reg 8(1): a body asked for advice must give it within 6 weeks of receiving the request."""
    return statutory_deadline(Step.ADVICE, requested)


def draft_comments_close(draft_served: date) -> date:
    """Reg 13(1)(a): the last of the (at least) 15 days, beginning with the day the draft was served."""
    return draft_served + timedelta(days=DRAFT_COMMENT_DAYS - 1)


def earliest_final_plan(draft_served: date) -> date:
    """The first day a final plan may be sent after a draft served on ``draft_served`` (reg 13(1)(a), 14).

    The family's 15 days must have run out first, so this is the 16th day counting the day of service.
    Earlier is allowed only if the family has already made its representations (not modelled here).
    """
    return draft_comments_close(draft_served) + timedelta(days=1)


@dataclass(frozen=True)
class AssessmentDeadlines:
    """The assessment clock for one request, as the Regulations set it (no exceptions applied)."""

    received: date
    decision_to_assess: date  # reg 5(1): 6 weeks
    decision_not_to_issue: date  # reg 10(1): 16 weeks
    latest_draft_plan: date  # the last day a draft can be served and the 20 weeks still be met
    final_plan: date  # reg 13(2): 20 weeks


def assessment_deadlines(received: date) -> AssessmentDeadlines:
    """Every request-based deadline for a request for an EHC needs assessment received on ``received``."""
    final_plan = statutory_deadline(Step.FINAL_PLAN, received)
    return AssessmentDeadlines(
        received=received,
        decision_to_assess=statutory_deadline(Step.DECISION_TO_ASSESS, received),
        decision_not_to_issue=statutory_deadline(Step.DECISION_NOT_TO_ISSUE, received),
        latest_draft_plan=final_plan - timedelta(days=DRAFT_COMMENT_DAYS),
        final_plan=final_plan,
    )


# --- Exceptions to the time limits --------------------------------------------------------------


class ExceptionKind(StrEnum):
    SETTING_CLOSED = "setting_closed"  # school, post-16 institution or early years provider closed 4+ weeks
    ABSENT_FROM_AREA = "absent_from_area"  # child, parent or young person away from the LA's area 4+ weeks
    PERSONAL_CIRCUMSTANCES = "personal_circumstances"  # exceptional personal circumstances
    MISSED_APPOINTMENT = "missed_appointment"  # failed to keep an appointment for an examination or test


EXCEPTION_LABELS = {
    ExceptionKind.SETTING_CLOSED: "the school or setting was closed",
    ExceptionKind.ABSENT_FROM_AREA: "the family was away from the area",
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "exceptional personal circumstances",
    ExceptionKind.MISSED_APPOINTMENT: "a missed appointment",
}
#: Kinds that only count when they lasted a continuous period of not less than 4 weeks.
NEEDS_FOUR_WEEKS = frozenset({ExceptionKind.SETTING_CLOSED, ExceptionKind.ABSENT_FROM_AREA})

_ALL_KINDS = frozenset(ExceptionKind)
#: Which exceptions each provision lists. Reg 13(3) (as made) lists only reg 10(4)(a) to (d), so a
#: missed appointment does not excuse the 20-week limit. Reg 5(4) has no appointment to miss. Reg 8(2)
#: (the body giving advice) is read as personal circumstances, absence and a missed appointment with it.
EXCEPTIONS_ALLOWED = {
    Step.DECISION_TO_ASSESS: _ALL_KINDS - {ExceptionKind.MISSED_APPOINTMENT},
    Step.ADVICE: _ALL_KINDS - {ExceptionKind.SETTING_CLOSED},
    Step.DECISION_NOT_TO_ISSUE: _ALL_KINDS,
    Step.FINAL_PLAN: _ALL_KINDS - {ExceptionKind.MISSED_APPOINTMENT},
}


@dataclass(frozen=True)
class ClockException:
    """One exception as recorded: its kind, the days it covered (both ends included), and the facts
    the Regulations make it depend on.

    A missed appointment covers the day of the appointment up to the day before the rearranged one.
    For a closure, ``setting_id`` names the setting that was shut: it counts only if the LA asked that
    setting for advice in the window regs 5(4)(a) and 10(4)(a) describe. ``confirmed`` says an officer
    has confirmed that it made the time limit impractical to meet ("need not comply ... where it is
    impractical to do so because ..."): the law's test, which is a judgement, not arithmetic.
    """

    kind: ExceptionKind
    first_day: date
    last_day: date
    setting_id: int | None = None
    confirmed: bool = False

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("An exception's last day must be the same as or after its first day.")

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def reopened_on(self) -> date:
        """For a closure, the day the setting opened again: the day after the last day it was shut."""
        return self.last_day + timedelta(days=1)


@dataclass(frozen=True)
class AdviceAsked:
    """The LA asking a school or setting for advice (reg 6(1)(b)), as a closure exception reads it."""

    setting_id: int | None
    asked_on: date


def closure_advice_window(exception: ClockException) -> tuple[date, date]:
    """Regs 5(4)(a), 10(4)(a): advice asked of the head teacher or principal "during a period beginning
    one week before" the day the setting closed "and ending one week before the date on which it
    re-opens", both ends included."""
    week = timedelta(days=DAYS_IN_WEEK)
    return exception.first_day - week, exception.reopened_on - week


@dataclass(frozen=True)
class ExceptionEffect:
    exception: ClockException
    counts: bool
    reason: str


@dataclass(frozen=True)
class ExceptedDeadline:
    """A deadline read together with the exceptions recorded against it.

    ``statutory`` is the law's date, and stays the date shown and reported: an exception does not
    move it. ``excused`` says that at least one exception applies: its kind is one the provision
    lists, it fell inside the time limit, the facts the provision needs are recorded (4 weeks for a
    closure or an absence; advice asked of the closed setting in time), and an officer confirmed it
    made the limit impractical to meet. The law then asks for the act "as soon as practicable"
    instead (SEN2 reports the 20 weeks met or not "with an exception").
    """

    step: Step
    clock_start: date
    statutory: date
    effects: tuple[ExceptionEffect, ...]

    @property
    def excused(self) -> bool:
        return any(effect.counts for effect in self.effects)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _duration(days: int) -> str:
    weeks, rest = divmod(days, DAYS_IN_WEEK)
    parts = [f"{weeks} week{'s' if weeks != 1 else ''}"] if weeks else []
    if rest or not weeks:
        parts.append(f"{rest} day{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def _why_closure_does_not_count(
    exception: ClockException, statutory: date, school_advice: Iterable[AdviceAsked]
) -> str | None:
    if exception.setting_id is None:
        return "It does not say which school or setting was closed, so it cannot be checked against the advice asked."
    opens, closes = closure_advice_window(exception)
    closes = min(closes, statutory)  # advice asked after the deadline cannot have made it impractical
    for advice in school_advice:
        if advice.setting_id == exception.setting_id and opens <= advice.asked_on <= closes:
            return None
    return (
        f"It counts only if the LA asked the school or setting for advice between {_long_date(opens)} and "
        f"{_long_date(closes)} (from a week before it closed to a week before it reopened, and by the deadline); "
        "no such request for advice is recorded."
    )


def _why_not_applied(
    step: Step, exception: ClockException, clock_start: date, statutory: date, school_advice: Iterable[AdviceAsked]
) -> str | None:
    """Why this exception does not disapply this time limit, or None if it does."""
    label = EXCEPTION_LABELS[exception.kind]
    regulation = EXCEPTION_REGULATION[step]
    if exception.kind not in EXCEPTIONS_ALLOWED[step]:
        return f"{regulation.capitalize()} does not list {label} as an exception to this time limit."
    if exception.kind in NEEDS_FOUR_WEEKS and exception.days < MINIMUM_CONTINUOUS_DAYS:
        return (
            f"It lasted {_duration(exception.days)}; {regulation} counts a closure or an absence "
            "only when it lasts a continuous period of at least 4 weeks."
        )
    if exception.last_day <= clock_start:
        return f"It ended by {_long_date(clock_start)}, when the clock started; only later days count."
    if exception.first_day > statutory:
        return (
            f"It began on {_long_date(exception.first_day)}, after the deadline of {_long_date(statutory)}, "
            "so it cannot have made the deadline impractical to meet."
        )
    if exception.kind == ExceptionKind.SETTING_CLOSED:
        closure_reason = _why_closure_does_not_count(exception, statutory, school_advice)
        if closure_reason is not None:
            return closure_reason
    if not exception.confirmed:
        return (
            "It may apply, but no officer has confirmed that it made this time limit impractical to meet; "
            "until then the time limit stands."
        )
    return None


def deadline_with_exceptions(
    step: Step, clock_start: date, exceptions: Iterable[ClockException], school_advice: Iterable[AdviceAsked] = ()
) -> ExceptedDeadline:
    """The statutory deadline for ``step`` and, for every exception recorded, whether it applies and why.

    ``school_advice`` is every request for advice the LA made of a school or setting on the case: a
    closure applies only when the closed setting was asked within the window of regs 5(4)(a)/10(4)(a).
    ``effects`` lists the exceptions in date order, each with the reason it applies or does not.
    """
    statutory = statutory_deadline(step, clock_start)
    advice = tuple(school_advice)
    effects = []
    for exception in sorted(exceptions, key=lambda exception: (exception.first_day, exception.last_day)):
        reason = _why_not_applied(step, exception, clock_start, statutory, advice)
        effects.append(ExceptionEffect(exception, counts=reason is None, reason=reason or _applies(exception)))
    return ExceptedDeadline(step=step, clock_start=clock_start, statutory=statutory, effects=tuple(effects))


def _applies(exception: ClockException) -> str:
    return (
        f"Applies: {EXCEPTION_LABELS[exception.kind]} from {_long_date(exception.first_day)} "
        f"to {_long_date(exception.last_day)}, confirmed by an officer. Act as soon as practicable."
    )


# --- Reviews and phase transfer -----------------------------------------------------------------

#: Code of Practice 9.178: for children under 5, reviews every 3 to 6 months are good practice (not law).
UNDER_FIVE_REVIEW_MONTHS = 6


def annual_review_due(plan_made_or_last_reviewed: date, *, interval_months: int = 12) -> date:
    """The last day the plan's next review may take place.

    Children and Families Act 2014 s.44(1): a plan must be reviewed in the 12 months starting with the
    date it was made, then in each 12 months starting with the date it was last reviewed. So the
    review is due by the day *before* the anniversary: plan made 1 March 2025, review by 28 February
    2026; plan made 29 February 2028, review by 28 February 2029. For under-5s pass a shorter
    ``interval_months`` (e.g. ``UNDER_FIVE_REVIEW_MONTHS``): that is practice, the law's limit stays 12.
    """
    if not 1 <= interval_months <= 12:
        raise ValueError("A review interval must be between 1 and 12 months.")
    return last_day_of_months_starting(plan_made_or_last_reviewed, interval_months)


def review_papers_due(meeting: date) -> date:
    """Reg 20 (reg 21 outside school): advice and information go out at least 2 weeks before the meeting."""
    return meeting - timedelta(weeks=2)


def review_report_due(meeting: date) -> date:
    """Reg 20 (reg 21 outside school): the report of the review meeting within 2 weeks of it."""
    return weeks_after(meeting, 2)


def review_decision_due(meeting: date) -> date:
    """Reg 20 (reg 21 outside school): the LA's decision to keep, amend or cease the plan within 4 weeks
    of the meeting."""
    return weeks_after(meeting, 4)


def phase_transfer_deadline(year_of_transfer: int, *, secondary_to_post_16: bool) -> date:
    """The last day to review and amend a plan for a transfer between phases (reg 18(1)).

    The plan must be amended *before* 15 February of the calendar year of transfer (before 31 March
    for a move from secondary school to a post-16 institution), so the last day in time is 14 February
    (30 March). The Code's "by 15 February" is looser than the Regulation; this follows the Regulation.
    """
    if secondary_to_post_16:
        return date(year_of_transfer, 3, 31) - timedelta(days=1)
    return date(year_of_transfer, 2, 15) - timedelta(days=1)


def post_16_transfer_deadline(transfer: date) -> date:
    """Reg 18(2): a move between post-16 institutions at another time needs the plan amended at least 5
    months before the transfer; this is the last day that is still 5 months before."""
    return months_after(transfer, -5)


# --- Appeals ------------------------------------------------------------------------------------


def appeal_deadline(decision_sent: date, *, mediation_certificate_issued: date | None = None) -> date:
    """The last day to appeal to the First-tier Tribunal (SEND).

    Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008, r.20(1)(a): 2 months after the
    decision letter was sent or, if later, 1 month after the mediation certificate was issued
    (s.55 Children and Families Act 2014). Not moved off weekends or bank holidays (see module notes).
    """
    deadline = months_after(decision_sent, 2)
    if mediation_certificate_issued is not None:
        deadline = max(deadline, months_after(mediation_certificate_issued, 1))
    return deadline


# --- How close a deadline is ---------------------------------------------------------------------


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


#: Defaults: red when overdue or 7 days or fewer are left, amber up to 14 days, green beyond.
RED_WITHIN_DAYS = 7
AMBER_WITHIN_DAYS = 14


def days_left(deadline: date, today: date) -> int:
    """Whole days from ``today`` to ``deadline``: 0 on the day itself, negative once overdue."""
    return (deadline - today).days


def rag_status(
    deadline: date, today: date, *, red_within_days: int = RED_WITHIN_DAYS, amber_within_days: int = AMBER_WITHIN_DAYS
) -> Rag:
    """Red if overdue or ``red_within_days`` or fewer are left, amber up to ``amber_within_days``, else green."""
    if red_within_days > amber_within_days:
        raise ValueError("The red threshold must not be greater than the amber threshold.")
    left = days_left(deadline, today)
    if left <= red_within_days:
        return Rag.RED
    if left <= amber_within_days:
        return Rag.AMBER
    return Rag.GREEN
