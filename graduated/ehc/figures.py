"""The LA's timeliness figures and its SEN2-style return, worked out from every case's timeline.

Timeliness, per calendar month in which the statutory deadline fell (the month a case became due,
so a month's figure does not change once the month is over, except by corrections to dates):

* **Decided within 6 weeks**: of the requests whose 6-week deadline fell in the month and that are
  due (decided, or the deadline has passed), those decided on or before it. A request withdrawn
  before its decision is not counted.
* **Final plans within 20 weeks**: of the requests on the way to a plan (decided to assess and not
  decided against a plan) whose 20-week deadline fell in the month and that are due (the plan
  issued, or the deadline passed), those issued on or before it. Shown twice: for every case, and
  for the cases where no recorded exception counts against the 20 weeks (SEN2's "excluding
  exceptions"). Cases still inside their time limit are not counted yet, either way.

A percentage of very few cases says little: below ``SMALL_NUMBER`` cases the page shows the counts
and says why there is no percentage.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, cast

from django.db.models import Field

from graduated.ehc import selectors
from graduated.ehc.models import EHCRequest, Stage
from graduated.ehc.timeline import Deadline, steps_that_apply, timeline_for
from graduated.organisations.models import LocalAuthority
from graduated.statutory import clock

SMALL_NUMBER = 5


@dataclass(frozen=True)
class Share:
    met: int
    due: int

    @property
    def percentage(self) -> int | None:
        """Rounded to a whole number, or None when there are too few cases to give one."""
        if self.due < SMALL_NUMBER:
            return None
        return round(100 * self.met / self.due)

    @property
    def words(self) -> str:
        if self.due == 0:
            return "None due"
        counts = f"{self.met} of {self.due}"
        if self.percentage is None:
            return f"{counts} (too few for a percentage)"
        return f"{self.percentage}% ({counts})"


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first of the month
    decisions: Share
    final_plans: Share
    final_plans_without_exceptions: Share

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


@dataclass
class _Tally:
    met: int = 0
    due: int = 0

    def add(self, met: bool) -> None:
        self.due += 1
        self.met += int(met)

    def share(self) -> Share:
        return Share(self.met, self.due)


def _month(day: date) -> date:
    return day.replace(day=1)


class Limit(NamedTuple):
    """A time limit as the figures read it: the law's date, when it was met, whether it still matters on
    the case's path, and whether a recorded exception excuses it. A tuple, as are ``CaseClock`` and
    ``StepsThatApply``: one is made for each of an LA's thousands of cases."""

    statutory: date
    done_on: date | None
    applies: bool
    excused: bool

    @classmethod
    def of(cls, deadline: Deadline) -> "Limit":
        return cls(deadline.statutory, deadline.done_on, deadline.applies, deadline.excused)


class CaseClock(NamedTuple):
    row: dict[str, Any]  # the case's columns, ``selectors.CASE_COLUMNS``
    decision: Limit
    final: Limit


DECISION, FINAL = clock.Step.DECISION_TO_ASSESS, clock.Step.FINAL_PLAN


def case_clocks(
    la: LocalAuthority, today: date, columns: tuple[str, ...] = selectors.CASE_COLUMNS
) -> Iterator[CaseClock]:
    """Every case of the LA, oldest first, with its decision and final-plan time limits. Only a recorded
    exception can excuse a limit, so only the cases with one are loaded whole and read by ``timeline_for``;
    for the others the limits follow from the columns (the law's dates, ``steps_that_apply``). 4 queries."""
    timelines = {case.pk: timeline_for(case, today) for case in selectors.cases_with_exceptions(la)}
    for row in selectors.case_columns(la, columns):
        timeline = timelines.get(row["id"])
        if timeline is not None:
            yield CaseClock(row, Limit.of(timeline.decision_to_assess), Limit.of(timeline.final_plan))
            continue
        received, decided = row["received_on"], row["assessment_decided_on"]
        applies = steps_that_apply(
            stage=row["stage"], to_assess=row["to_assess"], assessment_decided_on=decided,
            has_plan=row["plan__id"] is not None,
        )  # fmt: skip
        issued = row["plan__final_issued_on"]
        decision = Limit(clock.statutory_deadline(DECISION, received), decided, applies.decision_to_assess, False)
        final = Limit(clock.statutory_deadline(FINAL, received), issued, applies.final_plan, False)
        yield CaseClock(row, decision, final)


def timeliness(la: LocalAuthority, today: date) -> list[MonthFigures]:
    """Figures per month, newest first, for every month in which a counted deadline fell. 4 queries."""
    decisions: dict[date, _Tally] = {}
    finals: dict[date, _Tally] = {}
    finals_clean: dict[date, _Tally] = {}
    for case in case_clocks(la, today, selectors.CLOCK_COLUMNS):
        decision = case.decision
        if decision.applies and (decision.done_on is not None or decision.statutory < today):
            met = decision.done_on is not None and decision.done_on <= decision.statutory
            decisions.setdefault(_month(decision.statutory), _Tally()).add(met)
        final = case.final
        on_way_to_plan = case.row["to_assess"] is True and final.applies
        if on_way_to_plan and (final.done_on is not None or final.statutory < today):
            met = final.done_on is not None and final.done_on <= final.statutory
            month = _month(final.statutory)
            finals.setdefault(month, _Tally()).add(met)
            if not final.excused:
                finals_clean.setdefault(month, _Tally()).add(met)
    months = sorted(set(decisions) | set(finals), reverse=True)
    return [
        MonthFigures(
            month,
            decisions.get(month, _Tally()).share(),
            finals.get(month, _Tally()).share(),
            finals_clean.get(month, _Tally()).share(),
        )
        for month in months
    ]


# -- The SEN2-style return ---------------------------------------------------------------------------

SEN2_HEADER = [
    "Case", "UPN", "Legal surname", "Legal forename", "Date of birth", "Request received", "Request source code",
    "Request source", "Requested by", "Requesting setting URN", "Decision to assess", "Decision date",
    "Decided within 6 weeks", "Decision-to-assess exception", "Assessment outcome", "Assessment outcome date",
    "Draft plan served", "Final plan issued", "20-week deadline", "Issued within 20 weeks", "20-week exception",
    "Stage",
]  # fmt: skip


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


_LABELS = {
    name: dict(cast(Field[Any, Any], EHCRequest._meta.get_field(name)).flatchoices)
    for name in ("source", "stage", "withdrawn_by")
}


def _display(field: str, value: Any) -> str:
    """What ``get_<field>_display()`` gives, from a column's value."""
    return _LABELS[field].get(value, value)


def _outcome(row: dict[str, Any]) -> tuple[str, date | None]:
    if row["stage"] == Stage.WITHDRAWN:
        return f"Request withdrawn by {_display('withdrawn_by', row['withdrawn_by']).lower()}", row["withdrawn_on"]
    if row["stage"] == Stage.NOT_ISSUING:
        return "Decided not to issue a plan", row["not_to_issue_on"]
    if row["plan__final_issued_on"] is not None:
        return "Plan issued", row["plan__final_issued_on"]
    return "", None


def sen2_row(case: CaseClock) -> list[str]:
    row, decision, final = case.row, case.decision, case.final
    decided = decision.done_on
    outcome, outcome_on = _outcome(row)
    issued = row["plan__final_issued_on"]
    on_way_to_plan = row["to_assess"] is True and final.applies
    source = row["source"]
    return [
        str(row["id"]), row["pupil__upn"] or "", row["pupil__legal_last_name"], row["pupil__legal_first_name"],
        _iso(row["pupil__date_of_birth"]), _iso(row["received_on"]), str(source),
        _display("source", source), row["requested_by"],
        row["requesting_setting__urn"] or "",
        _yes_no(row["to_assess"]), _iso(decided),
        _yes_no(decided <= decision.statutory) if decided else "", _yes_no(decision.excused),
        outcome, _iso(outcome_on), _iso(row["plan__draft_issued_on"]), _iso(issued),
        _iso(final.statutory) if on_way_to_plan else "",
        _yes_no(issued <= final.statutory) if issued else "",
        _yes_no(final.excused) if on_way_to_plan else "",
        _display("stage", row["stage"]),
    ]  # fmt: skip


def safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or a tab or return) as formulas: quote them."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
