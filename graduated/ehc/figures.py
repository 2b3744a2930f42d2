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

from dataclasses import dataclass
from datetime import date

from graduated.ehc.models import EHCRequest, Stage
from graduated.ehc.timeline import Timeline, timeline_for

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


def timeliness(cases: list[EHCRequest], today: date) -> list[MonthFigures]:
    """Figures per month, newest first, for every month in which a counted deadline fell."""
    decisions: dict[date, _Tally] = {}
    finals: dict[date, _Tally] = {}
    finals_clean: dict[date, _Tally] = {}
    for case in cases:
        timeline = timeline_for(case, today)
        decision = timeline.decision_to_assess
        if decision.applies and (decision.done_on is not None or decision.statutory < today):
            met = decision.done_on is not None and decision.done_on <= decision.statutory
            decisions.setdefault(_month(decision.statutory), _Tally()).add(met)
        final = timeline.final_plan
        on_way_to_plan = case.to_assess is True and final.applies
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


def _outcome(case: EHCRequest, timeline: Timeline) -> tuple[str, date | None]:
    if case.stage == Stage.WITHDRAWN:
        return f"Request withdrawn by {case.get_withdrawn_by_display().lower()}", case.withdrawn_on
    if case.stage == Stage.NOT_ISSUING:
        return "Decided not to issue a plan", case.not_to_issue_on
    plan = timeline.plan
    if plan is not None and plan.final_issued_on is not None:
        return "Plan issued", plan.final_issued_on
    return "", None


def sen2_row(case: EHCRequest, today: date) -> list[str]:
    timeline = timeline_for(case, today)
    decision, final, plan = timeline.decision_to_assess, timeline.final_plan, timeline.plan
    decided = decision.done_on
    outcome, outcome_on = _outcome(case, timeline)
    issued = plan.final_issued_on if plan else None
    on_way_to_plan = case.to_assess is True and final.applies
    pupil = case.pupil
    return [
        str(case.pk), pupil.upn or "", pupil.legal_last_name, pupil.legal_first_name, _iso(pupil.date_of_birth),
        _iso(case.received_on), str(case.source), case.get_source_display(), case.requested_by,
        (case.requesting_setting.urn or "") if case.requesting_setting else "",
        _yes_no(case.to_assess), _iso(decided),
        _yes_no(decided <= decision.statutory) if decided else "", _yes_no(decision.excused),
        outcome, _iso(outcome_on), _iso(plan.draft_issued_on if plan else None), _iso(issued),
        _iso(final.statutory) if on_way_to_plan else "",
        _yes_no(issued <= final.statutory) if issued else "",
        _yes_no(final.excused) if on_way_to_plan else "",
        case.get_stage_display(),
    ]  # fmt: skip


def safe_cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or a tab or return) as formulas: quote them."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
