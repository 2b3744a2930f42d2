"""School terms and days, near enough for invented data: three terms a year, weekdays only."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# (month, day) each term starts and ends, moved to a weekday.
TERMS = {"autumn": ((9, 3), (12, 18)), "spring": ((1, 6), (3, 27)), "summer": ((4, 20), (7, 21))}


@dataclass(frozen=True)
class Term:
    season: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.season} {self.start.year}"


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def term(year: int, season: str) -> Term:
    (start_month, start_day), (end_month, end_day) = TERMS[season]
    return Term(
        season,
        weekday_on_or_after(date(year, start_month, start_day)),
        weekday_on_or_before(date(year, end_month, end_day)),
    )


def terms_from(first: date, today: date) -> list[Term]:
    """Every term that starts on or after ``first`` and by ``today``, in order (the last may be running)."""
    found = [
        term(year, season) for year in range(first.year, today.year + 1) for season in ("spring", "summer", "autumn")
    ]
    return [t for t in found if first <= t.start <= today]


def next_term_start(day: date) -> date:
    """The first day of the first term that starts on or after ``day``."""
    for year in (day.year, day.year + 1):
        for season in ("spring", "summer", "autumn"):
            candidate = term(year, season)
            if candidate.start >= day:
                return candidate.start
    raise AssertionError("a term starts within a year")


def term_of(day: date) -> Term | None:
    for season in ("spring", "summer", "autumn"):
        candidate = term(day.year, season)
        if candidate.start <= day <= candidate.end:
            return candidate
    return None


def is_school_day(day: date) -> bool:
    return day.weekday() < 5 and term_of(day) is not None


def school_day_between(rng: random.Random, earliest: date, latest: date) -> date:
    """A weekday in term from ``earliest`` to ``latest`` (``earliest`` itself when there is none)."""
    span = (latest - earliest).days
    if span <= 0:
        return earliest
    for _ in range(20):
        day = earliest + timedelta(days=rng.randrange(span + 1))
        if is_school_day(day):
            return day
    return weekday_on_or_after(earliest) if weekday_on_or_after(earliest) <= latest else earliest


def days_on(weekdays: set[int], first: date, last: date) -> list[date]:
    """Each day from ``first`` to ``last`` (inclusive) that falls on one of ``weekdays`` (0 is Monday)."""
    days = []
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def at(day: date, rng: random.Random) -> datetime:
    """A moment in the school day of ``day``, in UK time."""
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60), rng.randrange(60)), LONDON)


def academic_year_start(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
