"""A setting's census check: its pupils' SEN fields as a school census will read them on census
day, and the pupils whose data would fail the census's checks, each with the reasons.

The pupils on roll on the day are read with their SEN status history and needs in three queries,
whatever their number; ``census.py`` (pure) says what the census reads and what fails.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from graduated.organisations.models import Setting
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Need, Pupil, SENStatusPeriod
from graduated.records.census import (
    CensusInput,
    CensusRow,
    NeedPeriod,
    StatusPeriod,
    census_days,
    census_problems,
    census_view,
)

SEASON_NAMES = {"autumn": "Autumn", "spring": "Spring", "summer": "Summer"}


@dataclass(frozen=True)
class CensusDay:
    season: str
    day: date

    @property
    def key(self) -> str:
        return self.day.isoformat()

    @property
    def label(self) -> str:
        return f"{SEASON_NAMES[self.season]} census, {self.day:%-d %B %Y}"


@dataclass(frozen=True)
class PupilOnCensus:
    pupil: Pupil
    row: CensusRow
    problems: list[str]


@dataclass(frozen=True)
class CensusCheck:
    day: CensusDay
    on_roll: int
    sen_support: int
    ehc_plans: int
    failing: list[PupilOnCensus]
    returned: list[PupilOnCensus]  # pupils with SEN provision other than N, as the census reads them


def academic_year_start(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def census_days_around(today: date) -> list[CensusDay]:
    """This academic year's three census days and last year's, latest first."""
    start = academic_year_start(today)
    days = [CensusDay(season, day) for year in (start, start - 1) for season, day in census_days(year).items()]
    return sorted(days, key=lambda census: census.day, reverse=True)


def default_day(days: list[CensusDay], today: date) -> CensusDay:
    """The next census day (what the SENCO is preparing for), or the last one if none is to come."""
    coming = [census for census in days if census.day >= today]
    return min(coming, key=lambda census: census.day) if coming else days[0]


def _plain(periods: list[StatusPeriod]) -> bool:
    """Only the one "no SEN" period every pupil starts with, in date order: nothing the census
    returns or would refuse (unless the pupil has needs or a unit place, which are looked at too)."""
    if len(periods) != 1:
        return not periods
    period = periods[0]
    return period.provision == SENProvision.NO_SEN and (period.end is None or period.end >= period.start)


def check(setting: Setting, census: CensusDay) -> CensusCheck:
    """The census check of the pupils on roll on the day: 4 queries. Most of a school's roll has no
    SEN at all; those pupils are counted, and only the others are read whole and checked."""
    on_roll = Q(enrolments__setting=setting, enrolments__start_date__lte=census.day) & (
        Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=census.day)
    )
    roll = Pupil.objects.filter(on_roll)
    # Plain tuples, not prefetched models: a large school has thousands of periods and needs.
    statuses: dict[int, list[StatusPeriod]] = defaultdict(list)
    for pupil_id, status, starts, ends in (
        SENStatusPeriod.objects.filter(pupil__in=roll.values("pk"))
        .order_by("start_date", "pk")
        .values_list("pupil_id", "status", "start_date", "end_date")
    ):
        statuses[pupil_id].append(StatusPeriod(status, starts, ends))
    needs: dict[int, list[NeedPeriod]] = defaultdict(list)
    for pupil_id, sen_type, rank, starts, ends in (
        Need.objects.filter(pupil__in=roll.values("pk"))
        .order_by("rank", "start_date", "pk")
        .values_list("pupil_id", "sen_type", "rank", "start_date", "end_date")
    ):
        needs[pupil_id].append(NeedPeriod(sen_type, rank, starts, ends))
    to_check = {pupil_id for pupil_id, periods in statuses.items() if not _plain(periods)} | set(needs)
    count = roll.distinct().count()
    pupils = (
        roll.filter(Q(pk__in=sorted(to_check)) | Q(sen_unit=True) | Q(resourced_provision=True))
        .distinct()
        .order_by("legal_last_name", "legal_first_name", "pk")
        .only(*("legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name"),
              *("sen_unit", "resourced_provision"))
    )  # fmt: skip
    failing, returned = [], []
    for pupil in pupils:
        held = CensusInput(
            statuses=tuple(statuses[pupil.pk]),
            needs=tuple(needs[pupil.pk]),
            sen_unit=pupil.sen_unit,
            resourced_provision=pupil.resourced_provision,
        )
        row = census_view(held, census.day)
        entry = PupilOnCensus(pupil, row, census_problems(held, census.day, season=census.season))
        if entry.problems:
            failing.append(entry)
        if row.provision != SENProvision.NO_SEN:
            returned.append(entry)
    return CensusCheck(
        day=census,
        on_roll=count,
        sen_support=sum(1 for entry in returned if entry.row.provision == SENProvision.SEN_SUPPORT),
        ehc_plans=sum(1 for entry in returned if entry.row.provision == SENProvision.EHC_PLAN),
        failing=failing,
        returned=returned,
    )
