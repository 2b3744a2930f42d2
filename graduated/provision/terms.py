"""School term dates, and the teaching weeks that costs count by them.

An LA records its school term dates for each academic year (``TermDates``: the first and last day of
each of the six half terms). The teaching weeks in a range of days are then:

* in an academic year (1 September to 31 August) whose term dates are recorded: the teaching days
  (Monday to Friday, from the first to the last day of a half term) ÷ 5. The holidays between the
  half terms (half terms, Christmas, Easter, the summer) are not charged, and a provision that runs
  for 12 teaching weeks counts 12;
* in a year with no term dates recorded: the even spread, 39 teaching weeks a year over the
  calendar: days × 39 ÷ 365 (so a whole year still counts 39 weeks, and 73 days count 7.8);
* a range across both: the two added, rounded to 0.1 of a week once, at the end.

39 weeks (195 days, the days a school is open, training days included) stays the yardstick: an LA's
usual year comes to 39.0 weeks, and its term dates page says how many its own year comes to.

A bank holiday inside a half term (the early May one) is counted as a teaching day, as the 195 days
count it. Everything here is pure, on term dates passed in (``TermCalendar``), except
``term_calendars``, which reads them: 1 query for any number of LAs.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from graduated.provision.models import HalfTerm, TermBlock
from graduated.pupils.year_groups import academic_year_start

WEEKS_A_YEAR = Decimal(39)
DAYS_A_YEAR = Decimal(365)
DAYS_A_WEEK = 5
TENTH = Decimal("0.1")
ONE_DAY = timedelta(days=1)
# The holiday that follows each half term (the days before autumn 1 are the summer's end).
HOLIDAY_AFTER = {
    HalfTerm.AUTUMN_1: "the October half term",
    HalfTerm.AUTUMN_2: "the Christmas holidays",
    HalfTerm.SPRING_1: "the February half term",
    HalfTerm.SPRING_2: "the Easter holidays",
    HalfTerm.SUMMER_1: "the May half term",
    HalfTerm.SUMMER_2: "the summer holidays",
}
SUMMER = HOLIDAY_AFTER[HalfTerm.SUMMER_2]


def year_label(year_starting: int) -> str:
    return f"{year_starting}/{(year_starting + 1) % 100:02d}"


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def weekdays(first: date, last: date) -> int:
    """Mondays to Fridays from ``first`` to ``last``, both counted; 0 if it ends first."""
    if last < first:
        return 0
    full_weeks, extra = divmod((last - first).days + 1, 7)
    start = first.weekday()
    return full_weeks * 5 + sum(1 for n in range(extra) if (start + n) % 7 < 5)


def nth_weekday(first: date, n: int) -> date:
    """The ``n``-th Monday-to-Friday day from ``first`` (``first`` itself is the 1st if a weekday)."""
    day = first
    while day.weekday() >= 5:
        day += ONE_DAY
    whole_weeks, rest = divmod(n - 1, 5)
    day += timedelta(weeks=whole_weeks)
    for _ in range(rest):
        day += ONE_DAY
        while day.weekday() >= 5:
            day += ONE_DAY
    return day


def _year_bounds(year_starting: int) -> tuple[date, date]:
    return date(year_starting, 9, 1), date(year_starting + 1, 8, 31)


@dataclass(frozen=True)
class Block:
    half_term: str  # a HalfTerm value
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class TermCalendar:
    """The term dates one LA has recorded: the academic years they cover (by starting year) and their
    half terms, in date order. ``whose`` names them in a sentence ("Northshire's")."""

    years: frozenset[int] = frozenset()
    blocks: tuple[Block, ...] = ()
    whose: str = ""

    @classmethod
    def of(cls, blocks: Iterable[Block], whose: str = "") -> "TermCalendar":
        ordered = tuple(sorted(blocks, key=lambda block: block.starts_on))
        return cls(frozenset(academic_year_start(block.starts_on) for block in ordered), ordered, whose)

    def covers(self, year_starting: int) -> bool:
        return year_starting in self.years

    def blocks_of(self, year_starting: int) -> list[Block]:
        return [block for block in self.blocks if academic_year_start(block.starts_on) == year_starting]

    def holidays_of(self, year_starting: int) -> list[tuple[str, date, date]]:
        """The days of a recorded year outside its half terms, each stretch named by the holiday it is."""
        first, last = _year_bounds(year_starting)
        holidays: list[tuple[str, date, date]] = []
        name, day = SUMMER, first
        for block in self.blocks_of(year_starting):
            if block.starts_on > day:
                holidays.append((name, day, block.starts_on - ONE_DAY))
            name, day = HOLIDAY_AFTER.get(HalfTerm(block.half_term), "a holiday"), block.ends_on + ONE_DAY
        if day <= last:
            holidays.append((name, day, last))
        return holidays

    def teaching_days(self, year_starting: int) -> int:
        """Teaching days in a recorded year: how many its half terms hold, Monday to Friday."""
        return sum(weekdays(block.starts_on, block.ends_on) for block in self.blocks_of(year_starting))


NO_TERM_DATES = TermCalendar()


@dataclass(frozen=True)
class WeeksCounted:
    """How the teaching weeks of a range were counted: its teaching days in years with term dates,
    its calendar days in years without, and the holidays it was not charged for."""

    starts_on: date
    ends_on: date
    teaching_days: int = 0
    spread_days: int = 0
    holidays: tuple[str, ...] = ()  # the holidays with a weekday inside the range, named
    unrecorded: tuple[int, ...] = ()  # the academic years in the range with no term dates
    whose: str = ""  # whose term dates counted some of it ("Northshire's"); "" when none did
    in_terms: bool = False  # some of the range is in a year with term dates

    @property
    def exact(self) -> Decimal:
        return Decimal(self.teaching_days) / DAYS_A_WEEK + Decimal(self.spread_days) * WEEKS_A_YEAR / DAYS_A_YEAR

    @property
    def weeks(self) -> Decimal:
        return self.exact.quantize(TENTH, ROUND_HALF_UP)

    @property
    def sum_in_words(self) -> str:
        """The sum, as it checks on a calculator: "53 school days in Northshire's terms ÷ 5"."""
        parts = []
        if self.in_terms or not self.spread_days:
            terms = f"{self.whose} terms" if self.whose else "term"
            days = "school day" if self.teaching_days == 1 else "school days"
            parts.append(f"{self.teaching_days} {days} in {terms} ÷ {DAYS_A_WEEK}")
        if self.spread_days:
            parts.append(f"{self.spread_days} day{'' if self.spread_days == 1 else 's'} × 39 ÷ 365")
        return " + ".join(parts)

    @property
    def notes(self) -> list[str]:
        notes = []
        if self.holidays:
            notes.append(f"not charged: {_and(list(self.holidays))}")
        if self.unrecorded:
            years = _and([year_label(year) for year in self.unrecorded])
            notes.append(f"no term dates recorded for {years}, so 39 weeks a year spread evenly")
        return notes

    def sentence(self) -> str:
        """ "Weeks counted, 7 September 2026 to 11 December 2026: 65 school days in Northshire's
        terms ÷ 5 = 13.0 (not charged: the October half term)." """
        notes = "; ".join(self.notes)
        return f"Weeks counted, {_day(self.starts_on)} to {_day(self.ends_on)}: {self.sum_in_words} = {self.weeks}" + (
            f" ({notes})." if notes else "."
        )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def count_weeks(starts_on: date, ends_on: date, terms: TermCalendar = NO_TERM_DATES) -> WeeksCounted:
    """The teaching weeks from ``starts_on`` to ``ends_on``, both counted (none if it ends first): see
    the module's note."""
    teaching = spread = 0
    in_terms = False
    holidays: list[str] = []
    unrecorded: list[int] = []
    for year in range(academic_year_start(starts_on), academic_year_start(ends_on) + 1):
        year_first, year_last = _year_bounds(year)
        first, last = max(starts_on, year_first), min(ends_on, year_last)
        if last < first:
            continue
        if not terms.covers(year):
            spread += (last - first).days + 1
            unrecorded.append(year)
            continue
        in_terms = True
        for block in terms.blocks_of(year):
            teaching += weekdays(max(first, block.starts_on), min(last, block.ends_on))
        for name, off, back in terms.holidays_of(year):
            if weekdays(max(first, off), min(last, back)) and name not in holidays:
                holidays.append(name)
    return WeeksCounted(
        starts_on,
        ends_on,
        teaching,
        spread,
        tuple(holidays),
        tuple(unrecorded),
        terms.whose if in_terms else "",
        in_terms,
    )


def teaching_weeks(starts_on: date, ends_on: date, terms: TermCalendar = NO_TERM_DATES) -> Decimal:
    """Teaching weeks from ``starts_on`` to ``ends_on``, both counted, to 0.1 of a week; 0 if it ends first."""
    return count_weeks(starts_on, ends_on, terms).weeks


def end_of_weeks(starts_on: date, weeks: int, terms: TermCalendar = NO_TERM_DATES) -> date:
    """The day a provision that runs for ``weeks`` teaching weeks from ``starts_on`` ends: its
    (5 × ``weeks``)-th teaching day in years with term dates; elsewhere the day on which the even
    spread, to 0.1 of a week, reaches ``weeks``."""
    need = Decimal(weeks) - TENTH / 2  # where the count, rounded to 0.1 of a week, comes to ``weeks``
    done = Decimal(0)
    day, year = starts_on, academic_year_start(starts_on)
    # Years with term dates advance a year at a time; past the last of them one step finishes.
    last_recorded = max(terms.years, default=year)
    while True:
        year_last = _year_bounds(year)[1]
        if terms.covers(year):
            for block in terms.blocks_of(year):
                first = max(day, block.starts_on)
                available = weekdays(first, block.ends_on)
                if not available:
                    continue
                if done + Decimal(available) / DAYS_A_WEEK >= need:
                    wanted = ((need - done) * DAYS_A_WEEK).to_integral_value(ROUND_CEILING)
                    return nth_weekday(first, max(int(wanted), 1))
                done += Decimal(available) / DAYS_A_WEEK
        else:
            days_needed = int(((need - done) * DAYS_A_YEAR / WEEKS_A_YEAR).to_integral_value(ROUND_CEILING))
            days_left = (year_last - day).days + 1
            if days_needed <= days_left or year >= last_recorded:
                return day + timedelta(days=max(days_needed, 1) - 1)
            done += Decimal(days_left) * WEEKS_A_YEAR / DAYS_A_YEAR
        day, year = year_last + ONE_DAY, year + 1


# -- Reading them --------------------------------------------------------------------------------------


@dataclass
class _Blocks:
    whose: str
    blocks: list[Block] = field(default_factory=list)


def term_calendars(la_ids: Iterable[int]) -> dict[int, TermCalendar]:
    """LA id -> the term dates it has recorded, every year of them (a few rows a year): 1 query.
    An LA with none recorded is left out: ``.get(la_id, NO_TERM_DATES)``."""
    ids = set(la_ids)
    if not ids:
        return {}
    rows = TermBlock.objects.filter(term_dates__local_authority_id__in=ids).values_list(
        "term_dates__local_authority_id", "term_dates__local_authority__name", "half_term", "starts_on", "ends_on"
    )
    read: dict[int, _Blocks] = {}
    for la_id, la_name, half_term, starts_on, ends_on in rows:
        read.setdefault(la_id, _Blocks(f"{la_name}'s")).blocks.append(Block(half_term, starts_on, ends_on))
    return {la_id: TermCalendar.of(found.blocks, found.whose) for la_id, found in read.items()}
