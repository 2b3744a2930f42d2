"""The measured impact of an intervention run: statistics on plain numbers, no database, so that
every figure can be worked by hand (tests/test_impact_stats.py does so, with the arithmetic).

The definitions, which the pages repeat in plain English under "How these figures are worked out":

Pupils: the pupils with a place in the group (a ``support.Provision`` pointing at it). A pupil whose
place was carried on into their next cycle has two places; they count once, over both.

Attendance: a pupil was *due* at a session when it was held (not cancelled) and one of their places
covered its date, from the day they joined to the day they left (or the group's last day). Their
attendance is the due sessions marked delivered ÷ the due sessions. So a cancelled session counts
against nobody, a late joiner is not marked down for sessions before they joined, and a held session
with no mark for the pupil counts as not attended. A group's rate pools its pupils: every pupil's
attended sessions ÷ every pupil's due sessions.

Scores: change = exit − entry, or entry − exit when lower scores are better, so that a positive
change is always progress. Only pupils with both scores count in the mean entry, mean exit and
mean change (so mean exit − mean entry is the mean change, when higher is better); the pages say how
many pupils have no entry or no exit score.

Ratio gain (age-equivalent measures only): per pupil, months of progress (the change, in months) ÷
months between the entry and exit dates (days ÷ 30.44); the mean over the pupils with both scores
measured at least a day apart. 1 is a month's progress a month; Brooks ("What works for children
and young people with literacy difficulties?", 5th ed., 2016) reads 2 or more as substantial.

Effect size: Becker's standardised mean change (Becker 1988, "Synthesizing standardized mean-change
measures", Br. J. Math. Stat. Psychol. 41, 257–278): d = mean change ÷ the sample standard deviation
(n − 1) of the entry scores of the pupils with both scores. Its approximate 95% interval is
d ± 1.96 × SE with Becker's SE = √(2(1 − r)/n + d²/(2n)), taking the entry–exit correlation r as 0.5
(so SE = √(1/n + d²/(2n))) because a group this small cannot estimate r well (Morris & DeShon 2002,
Psychological Methods 7, 105–125, discuss the choice). No small-sample correction is applied. It
needs at least 2 pupils with both scores and entry scores that are not all equal.

Outcomes: of the outcomes the pupils' places work towards that have been reviewed, the share rated
"achieved" (every other rating, including "no longer relevant", counts as not achieved).

Cost: each pupil's cost is the total of their places' cost lines over the group's dates
(provision/costs.py); the cost per pupil is their mean. The cost per unit of progress is the cost
per pupil ÷ the mean change, only when the mean change is above 0.

Terms: autumn 1 September–31 December, spring 1 January–31 March, summer 1 April–31 August; a group
belongs to the term its start date falls in, and the academic year starting that September.

Small numbers: a figure resting on fewer than 5 pupils is marked "fewer than 5 pupils: treat with
caution".
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property

from graduated.provision.costs import money, pounds

DAYS_A_MONTH = 30.44  # 365.25 ÷ 12
Z_95 = 1.96
ASSUMED_PRE_POST_CORRELATION = 0.5
FEW_PUPILS = 5
CAUTION = "fewer than 5 pupils: treat with caution"
ACHIEVED = "achieved"  # support.models.OutcomeRating.ACHIEVED, kept as a plain string: no Django here


class Season(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def months(self) -> tuple[int, ...]:
        return {"autumn": (9, 10, 11, 12), "spring": (1, 2, 3), "summer": (4, 5, 6, 7, 8)}[self.value]


SEASON_ORDER = (Season.AUTUMN, Season.SPRING, Season.SUMMER)


@dataclass(frozen=True, order=True)
class Term:
    year: int  # the calendar year its academic year starts in
    season_index: int  # 0 autumn, 1 spring, 2 summer: sorts terms in time order

    @property
    def season(self) -> Season:
        return SEASON_ORDER[self.season_index]

    @cached_property  # the LA's page names thousands of lines by their term
    def label(self) -> str:
        """ "Autumn 2026", "Spring 2027": the calendar year the term falls in."""
        return f"{self.season.label} {self.year if self.season == Season.AUTUMN else self.year + 1}"

    @property
    def academic_year(self) -> str:
        return academic_year_label(self.year)


def academic_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def term_of(day: date) -> Term:
    season = next(s for s in SEASON_ORDER if day.month in s.months)
    return Term(day.year if season == Season.AUTUMN else day.year - 1, SEASON_ORDER.index(season))


def academic_year_dates(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


# Attendance -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    due: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.due if self.due else None

    def __add__(self, other: "Attendance") -> "Attendance":
        return Attendance(self.due + other.due, self.attended + other.attended)

    @property
    def text(self) -> str:
        if not self.due:
            return "No sessions held yet"
        return f"{percent(self.attended, self.due)}% ({self.attended} of {self.due} sessions)"


def attendance(
    sessions: Iterable[tuple[date, bool]], spans: Iterable[tuple[date, date]], delivered_on: Iterable[date]
) -> Attendance:
    """``sessions``: (day, held) for each register of the group, False for a cancelled one; ``spans``:
    (joined, left or the group's last day) of each of the pupil's places; ``delivered_on``: the days
    the pupil was marked as having had the session."""
    spans = list(spans)
    due = {day for day, held in sessions if held and any(joined <= day <= left for joined, left in spans)}
    return Attendance(due=len(due), attended=len(due & set(delivered_on)))


# One pupil's figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    kind: str  # provision.models.MeasureKind value
    higher_is_better: bool = True

    @property
    def is_age_equivalent(self) -> bool:
        return self.kind == "age_equivalent"

    @property
    def unit_word(self) -> str:
        return self.unit or ("months" if self.is_age_equivalent else "points")


@dataclass(frozen=True)
class Scores:
    entry: float | None = None
    exit: float | None = None
    entry_on: date | None = None
    exit_on: date | None = None

    @property
    def complete(self) -> bool:
        return self.entry is not None and self.exit is not None


def change(scores: Scores, higher_is_better: bool) -> float | None:
    """Progress on the measure: exit − entry, turned round when lower scores are better."""
    if scores.entry is None or scores.exit is None:
        return None
    difference = scores.exit - scores.entry
    return difference if higher_is_better else -difference


def months_between(start: date, end: date) -> float:
    return (end - start).days / DAYS_A_MONTH


def ratio_gain(scores: Scores, higher_is_better: bool = True) -> float | None:
    """Months of progress ÷ months elapsed; None without both scores or a day between them."""
    gained = change(scores, higher_is_better)
    if gained is None or scores.entry_on is None or scores.exit_on is None or scores.exit_on <= scores.entry_on:
        return None
    return gained / months_between(scores.entry_on, scores.exit_on)


@dataclass(frozen=True)
class PupilResult:
    scores: Scores
    attendance: Attendance
    cost: Decimal | None  # None: some of their provision could not be priced (see cost_missing)
    cost_missing: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()  # the ratings of their linked outcomes that were reviewed
    unreviewed_outcomes: int = 0


# Summary statistics -----------------------------------------------------------------------------


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sample_sd(values: Sequence[float]) -> float | None:
    """Standard deviation with n − 1 in the denominator; None for fewer than 2 values."""
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    return math.sqrt(sum((v - centre) ** 2 for v in values) / (len(values) - 1))


@dataclass(frozen=True)
class EffectSize:
    d: float | None = None
    low: float | None = None
    high: float | None = None
    reason: str = ""  # why there is none, in words

    @property
    def text(self) -> str:
        if self.d is None or self.low is None or self.high is None:
            return self.reason
        return f"{fixed(self.d, 2)} (95% interval {fixed(self.low, 2)} to {fixed(self.high, 2)})"


def effect_size(entries: Sequence[float], changes: Sequence[float]) -> EffectSize:
    """Becker's d with its approximate 95% interval (see the module docstring)."""
    n = len(changes)
    if n == 0:
        return EffectSize(reason="Not enough pupils: no pupil has both scores")
    if n == 1:
        return EffectSize(reason="Not enough pupils: only 1 pupil has both scores, and one score has no spread")
    spread = sample_sd(entries)
    if not spread:
        return EffectSize(reason="No effect size: every pupil started on the same score, so there is no spread")
    d = sum(changes) / n / spread
    r = ASSUMED_PRE_POST_CORRELATION
    se = math.sqrt(2 * (1 - r) / n + d * d / (2 * n))
    return EffectSize(d=d, low=d - Z_95 * se, high=d + Z_95 * se)


@dataclass(frozen=True)
class Impact:
    """The figures of one run, or of several runs pooled."""

    measure: Measure | None
    pupils: int
    scored: int  # pupils with both scores
    no_entry: int
    no_exit: int
    attendance: Attendance
    mean_entry: float | None
    mean_exit: float | None
    mean_change: float | None
    ratio_gain: float | None
    effect: EffectSize
    outcomes_reviewed: int
    outcomes_achieved: int
    outcomes_unreviewed: int
    cost_per_pupil: Decimal | None
    cost_note: str = ""
    scores_note: str = ""  # why there are no score figures at all

    @property
    def few_pupils(self) -> bool:
        return self.pupils < FEW_PUPILS

    @property
    def few_scored(self) -> bool:
        return self.scored < FEW_PUPILS

    @property
    def missing_scores_text(self) -> str:
        parts = []
        if self.no_exit:
            parts.append(f"{self.no_exit} {'pupil has' if self.no_exit == 1 else 'pupils have'} no exit score")
        if self.no_entry:
            parts.append(f"{self.no_entry} {'pupil has' if self.no_entry == 1 else 'pupils have'} no entry score")
        if not parts:
            return ""
        return " and ".join(parts) + ": left out of the score figures."

    @property
    def outcomes_share(self) -> float | None:
        return self.outcomes_achieved / self.outcomes_reviewed if self.outcomes_reviewed else None

    @property
    def outcomes_text(self) -> str:
        if not self.outcomes_reviewed:
            return "No linked outcomes reviewed yet"
        return (
            f"{percent(self.outcomes_achieved, self.outcomes_reviewed)}% "
            f"({self.outcomes_achieved} of {self.outcomes_reviewed} reviewed)"
        )

    @property
    def cost_per_unit(self) -> Decimal | None:
        if self.cost_per_pupil is None or self.mean_change is None or self.mean_change <= 0:
            return None
        return pounds(self.cost_per_pupil / Decimal(repr(self.mean_change)))

    @property
    def cost_per_unit_text(self) -> str:
        if self.cost_per_pupil is None:
            return "Not known: the cost per pupil is not known"
        if self.mean_change is None:
            return "Not known: no pupil has both scores"
        per_unit = self.cost_per_unit
        if per_unit is None:
            return "None: the mean change is not above 0, so there is no progress to price"
        unit = self.measure.unit_word if self.measure else "points"
        return f"{money(per_unit)} per {singular(unit)} of progress"

    @property
    def cost_text(self) -> str:
        return money(self.cost_per_pupil) if self.cost_per_pupil is not None else f"Not known: {self.cost_note}"

    def score_text(self, value: float | None, signed: bool = False) -> str:
        if value is None:
            return self.scores_note or "No pupil has both scores"
        return signed_fixed(value, 1) if signed else fixed(value, 1)

    @property
    def mean_entry_text(self) -> str:
        return self.score_text(self.mean_entry)

    @property
    def mean_exit_text(self) -> str:
        return self.score_text(self.mean_exit)

    @property
    def mean_change_text(self) -> str:
        return self.score_text(self.mean_change, signed=True)

    @property
    def ratio_gain_text(self) -> str:
        if self.measure is None or not self.measure.is_age_equivalent:
            return "Not an age-equivalent measure"
        if self.ratio_gain is None:
            return "No pupil has both scores a day or more apart"
        return fixed(self.ratio_gain, 1)


def summarise(pupils: Sequence[PupilResult], measure: Measure | None, scores_note: str = "") -> Impact:
    """The figures of a run (or runs pooled) from its pupils' results. ``measure`` None: the pupils'
    scores are not on one measure (``scores_note`` says why), so no score figures are given."""
    return figures(tally(pupils), measure, scores_note)


# Tallies: what the figures are worked from, kept ahead ------------------------------------------


@dataclass(frozen=True)
class Tally:
    """The parts of a run's pupils' results that its figures are worked from: counts and sums that
    add up across runs, and each scored pupil's scores in the pupils' order. Runs pooled are their
    tallies combined in the runs' order, which gives exactly the figures of their pupils' results
    summarised together: the same numbers, added in the same order (``figures``)."""

    pupils: int = 0
    no_entry: int = 0
    no_exit: int = 0
    due: int = 0
    attended: int = 0
    # (entry, exit, days from the entry date to the exit date or None) of each pupil with both scores.
    scored: tuple[tuple[float, float, int | None], ...] = ()
    cost_total: Decimal = Decimal(0)  # of the pupils whose cost is known
    cost_unknown: int = 0  # pupils whose cost is not known
    cost_missing: frozenset[str] = frozenset()  # why not
    reviewed: int = 0  # ratings of linked outcomes reviewed
    achieved: int = 0
    unreviewed: int = 0


def tally(pupils: Sequence[PupilResult]) -> Tally:
    scored = []
    for p in pupils:
        s = p.scores
        if s.entry is not None and s.exit is not None:
            days = (s.exit_on - s.entry_on).days if s.entry_on is not None and s.exit_on is not None else None
            scored.append((s.entry, s.exit, days))
    ratings = [rating for p in pupils for rating in p.ratings]
    return Tally(
        pupils=len(pupils),
        no_entry=sum(1 for p in pupils if p.scores.entry is None),
        no_exit=sum(1 for p in pupils if p.scores.exit is None),
        due=sum(p.attendance.due for p in pupils),
        attended=sum(p.attendance.attended for p in pupils),
        scored=tuple(scored),
        cost_total=sum((p.cost for p in pupils if p.cost is not None), Decimal(0)),
        cost_unknown=sum(1 for p in pupils if p.cost is None),
        cost_missing=frozenset(reason for p in pupils for reason in p.cost_missing),
        reviewed=len(ratings),
        achieved=sum(1 for rating in ratings if rating == ACHIEVED),
        unreviewed=sum(p.unreviewed_outcomes for p in pupils),
    )


def combined(tallies: Sequence[Tally]) -> Tally:
    """Several runs' tallies as one, in the order given (the order their pupils' scores are added in)."""
    if len(tallies) == 1:
        return tallies[0]
    return Tally(
        pupils=sum(t.pupils for t in tallies),
        no_entry=sum(t.no_entry for t in tallies),
        no_exit=sum(t.no_exit for t in tallies),
        due=sum(t.due for t in tallies),
        attended=sum(t.attended for t in tallies),
        scored=tuple(s for t in tallies for s in t.scored),
        cost_total=sum((t.cost_total for t in tallies), Decimal(0)),
        cost_unknown=sum(t.cost_unknown for t in tallies),
        cost_missing=frozenset().union(*(t.cost_missing for t in tallies)),
        reviewed=sum(t.reviewed for t in tallies),
        achieved=sum(t.achieved for t in tallies),
        unreviewed=sum(t.unreviewed for t in tallies),
    )


def _gain(change_: float, days: int | None) -> float | None:
    """``ratio_gain`` from the change and the days between the scores' dates."""
    if days is None or days <= 0:
        return None
    return change_ / (days / DAYS_A_MONTH)


def figures(t: Tally, measure: Measure | None, scores_note: str = "") -> Impact:
    """The figures of a tally (see ``summarise``). Money adds up exactly in any order (pence); the
    scores are added in the pupils' order, as ``mean`` and ``effect_size`` always add them."""
    no_measure = measure is None
    scored = t.scored if not no_measure else ()
    higher = measure.higher_is_better if measure is not None else True
    entries = [entry for entry, _, _ in scored]
    exits = [exit for _, exit, _ in scored]
    # change(): exit − entry, turned round when lower is better.
    changes = [exit - entry for entry, exit, _ in scored] if higher else [-(exit - entry) for entry, exit, _ in scored]
    gains = [g for c, (_, _, days) in zip(changes, scored, strict=True) if (g := _gain(c, days)) is not None]
    missing = sorted(t.cost_missing)
    if not t.pupils:
        cost_per_pupil, cost_note = None, "no pupils"
    elif missing or t.cost_unknown:
        cost_per_pupil, cost_note = None, "; ".join(missing) or "some provision could not be priced"
    else:
        cost_per_pupil, cost_note = pounds(t.cost_total / t.pupils), ""
    return Impact(
        measure=measure,
        pupils=t.pupils,
        scored=len(scored),
        no_entry=0 if no_measure else t.no_entry,
        no_exit=0 if no_measure else t.no_exit,
        attendance=Attendance(t.due, t.attended),
        mean_entry=mean(entries),
        mean_exit=mean(exits),
        mean_change=mean(changes),
        ratio_gain=mean(gains) if measure is not None and measure.is_age_equivalent else None,
        effect=effect_size(entries, changes) if not no_measure else EffectSize(reason=scores_note),
        outcomes_reviewed=t.reviewed,
        outcomes_achieved=t.achieved,
        outcomes_unreviewed=t.unreviewed,
        cost_per_pupil=cost_per_pupil,
        cost_note=cost_note,
        scores_note=scores_note,
    )


# Numbers in words -------------------------------------------------------------------------------


def _half_up(value: float, places: int) -> Decimal:
    # Rounds as people do by hand (2.25 → 2.3), not to even as float formatting does.
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fixed(value: float, places: int) -> str:
    """``places`` decimals, with a true minus sign (read aloud as "minus")."""
    rounded = _half_up(value, places) + 0  # + 0 turns −0.0 into 0.0
    return f"{rounded:.{places}f}".replace("-", "−")


def signed_fixed(value: float, places: int) -> str:
    text = fixed(value, places)
    return "+" + text if _half_up(value, places) > 0 else text


def percent(part: int, whole: int) -> int:
    return int((Decimal(100 * part) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def singular(unit: str) -> str:
    return unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit
