"""The school census's view of a pupil's SEN data on census day, and what would fail its checks.

Pure functions over a small input (``CensusInput``) that a caller builds from database rows or
from a ``PupilRecord``: SEN provision periods, needs with rank and dates, and the SEN unit and
resourced provision indicators. Census days (domain.md §4): autumn is the first Thursday of
October, spring the third Thursday of January, summer the third Thursday of May.

A period or need counts on a day when it has started on or before that day and has not ended
before it: a status that starts the day after census day is not counted, one that ends on census
day is.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from graduated.pupils.codes import SENProvision, SENType
from graduated.records.record import PupilRecord

THURSDAY = 3
CURRENT_PROVISIONS = {code.value for code in SENProvision.current_codes()}
LEGACY_PROVISIONS = {code.value for code in SENProvision} - CURRENT_PROVISIONS
ALL_PROVISIONS = CURRENT_PROVISIONS | LEGACY_PROVISIONS
SEN_TYPES = {code.value for code in SENType}


def _nth_thursday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(THURSDAY - first.weekday()) % 7 + 7 * (n - 1))


def census_days(academic_year_start: int) -> dict[str, date]:
    """The three census days of the academic year that begins in September ``academic_year_start``."""
    return {
        "autumn": _nth_thursday(academic_year_start, 10, 1),
        "spring": _nth_thursday(academic_year_start + 1, 1, 3),
        "summer": _nth_thursday(academic_year_start + 1, 5, 3),
    }


def season_of(day: date) -> str:
    """The census a day belongs to: autumn (September–December), spring (January–April), summer."""
    if day.month >= 9:
        return "autumn"
    return "spring" if day.month <= 4 else "summer"


@dataclass(frozen=True)
class StatusPeriod:
    """From ``start`` (to ``end``, inclusive, if it has ended) the pupil's SEN provision was ``provision``."""

    provision: str
    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class NeedPeriod:
    sen_type: str
    rank: int
    start: date | None = None  # None: recorded without a start date, counted as always begun
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class CensusInput:
    statuses: tuple[StatusPeriod, ...] = ()
    needs: tuple[NeedPeriod, ...] = ()
    sen_unit: bool = False
    resourced_provision: bool = False

    @classmethod
    def from_record(cls, record: PupilRecord) -> "CensusInput":
        """A record's SEN history is a list of start dates: each status runs until the next begins."""
        history = sorted(record.sen_history, key=lambda entry: entry.start_date)
        statuses = tuple(
            StatusPeriod(
                provision=entry.provision,
                start=entry.start_date,
                end=history[i + 1].start_date - timedelta(days=1) if i + 1 < len(history) else None,
            )
            for i, entry in enumerate(history)
        )
        needs = tuple(NeedPeriod(need.sen_type, need.rank, need.start_date, need.end_date) for need in record.needs)
        return cls(statuses, needs, record.sen_unit, record.resourced_provision)


@dataclass(frozen=True)
class CensusRow:
    """The pupil's SEN fields as the census reads them on ``day``."""

    day: date
    provision: str  # N when no status covers the day
    primary_need: str | None  # SEN type ranked 1, for a pupil with SEN provision other than N
    secondary_need: str | None  # ranked 2
    sen_unit: bool
    resourced_provision: bool


def _as_input(pupil: CensusInput | PupilRecord) -> CensusInput:
    return pupil if isinstance(pupil, CensusInput) else CensusInput.from_record(pupil)


def _current_statuses(pupil: CensusInput, day: date) -> list[StatusPeriod]:
    return sorted((status for status in pupil.statuses if status.covers(day)), key=lambda status: status.start)


def _current_needs(pupil: CensusInput, day: date) -> list[NeedPeriod]:
    return [need for need in pupil.needs if need.covers(day)]


def census_view(pupil: CensusInput | PupilRecord, day: date) -> CensusRow:
    """The provision on the day (the latest-starting status if two overlap, which
    ``census_problems`` reports) and, unless it is N, the needs current on the day ranked 1 and 2
    (the latest-starting of each rank if two share one)."""
    pupil = _as_input(pupil)
    statuses = _current_statuses(pupil, day)
    provision = statuses[-1].provision if statuses else SENProvision.NO_SEN.value
    primary = secondary = None
    if provision != SENProvision.NO_SEN:
        by_start = sorted(_current_needs(pupil, day), key=lambda need: need.start or date.min)
        primary = next((need.sen_type for need in reversed(by_start) if need.rank == 1), None)
        secondary = next((need.sen_type for need in reversed(by_start) if need.rank == 2), None)
    return CensusRow(
        day=day,
        provision=provision,
        primary_need=primary,
        secondary_need=secondary,
        sen_unit=pupil.sen_unit,
        resourced_provision=pupil.resourced_provision,
    )


def census_problems(pupil: CensusInput | PupilRecord, day: date, *, season: str | None = None) -> list[str]:
    """Why the pupil's SEN data would fail the census's checks on ``day``, one plain sentence each.

    ``season`` (autumn, spring or summer) defaults to the census the day falls in; the need for a
    primary need is checked in the spring census, which collects the type of need.
    """
    pupil = _as_input(pupil)
    season = season or season_of(day)
    on = f"{day:%d/%m/%Y}"
    problems = _dates_in_order(pupil)
    statuses = _current_statuses(pupil, day)
    if len(statuses) > 1:
        listed = " and ".join(f"{status.provision} from {status.start:%d/%m/%Y}" for status in statuses)
        problems.append(f"Two SEN provisions cover {on} ({listed}): the census takes one, so end the earlier one.")
    provision = statuses[-1].provision if statuses else SENProvision.NO_SEN.value
    if provision not in ALL_PROVISIONS:
        problems.append(f"“{provision}” is not a census SEN provision: record N, K or E.")
    elif provision in LEGACY_PROVISIONS:
        label = SENProvision(provision).label
        problems.append(
            f"The SEN provision on {on} is {provision} ({label}), a code from before the 2014 reforms that the "
            "census no longer accepts: record K (SEN support) or E (EHC plan) instead."
        )
    needs = _current_needs(pupil, day)
    if provision == SENProvision.NO_SEN:
        if needs:
            listed = ", ".join(need.sen_type for need in needs)
            problems.append(
                f"Needs are current on {on} ({listed}) but the pupil has no SEN provision (N): the census takes "
                "needs only for pupils with SEN support or an EHC plan, so end the needs or record the provision."
            )
    else:
        problems += _need_problems(needs, provision, on, season)
    if provision == SENProvision.NO_SEN and (pupil.sen_unit or pupil.resourced_provision):
        place = "a SEN unit" if pupil.sen_unit else "resourced provision"
        problems.append(
            f"The pupil is recorded in {place} but has no SEN provision (N) on {on}: a place there is for a pupil "
            "with SEN support or an EHC plan."
        )
    if pupil.sen_unit and pupil.resourced_provision:
        problems.append(
            "The pupil is recorded both in a SEN unit and in resourced provision: the census allows one or the other."
        )
    return problems


def _need_problems(needs: list[NeedPeriod], provision: str, on: str, season: str) -> list[str]:
    problems = []
    for need in needs:
        if need.sen_type not in SEN_TYPES:
            problems.append(f"“{need.sen_type}” is not a census SEN type.")
        if need.rank not in (1, 2):
            problems.append(
                f"The {need.sen_type} need has rank {need.rank}: the census takes a primary need (rank 1) and a "
                "secondary need (rank 2) only."
            )
    primaries = [need for need in needs if need.rank == 1]
    secondaries = [need for need in needs if need.rank == 2]
    for rank, ranked in ((1, primaries), (2, secondaries)):
        if len(ranked) > 1:
            listed = " and ".join(need.sen_type for need in ranked)
            problems.append(f"Two needs have rank {rank} on {on} ({listed}): the census takes one of each rank.")
    if secondaries and not primaries:
        problems.append(
            f"A secondary need ({secondaries[0].sen_type}) is current on {on} without a primary need (rank 1): "
            "record the primary need first."
        )
    for sen_type in sorted({need.sen_type for need in primaries} & {need.sen_type for need in secondaries}):
        problems.append(
            f"The primary and the secondary need are both {sen_type}: record a different secondary need, or none."
        )
    if season == "spring" and not primaries and provision in CURRENT_PROVISIONS:
        what = "SEN support (K)" if provision == SENProvision.SEN_SUPPORT else "an EHC plan (E)"
        problems.append(
            f"The pupil has {what} on {on} but no primary need (rank 1): the spring census needs one for every "
            "pupil with SEN support or an EHC plan."
        )
    for need in needs:
        if need.sen_type == SENType.NSA and provision != SENProvision.SEN_SUPPORT:
            problems.append(
                f"NSA (SEN support without a specialist assessment of the type of need) is only valid with SEN "
                f"support (K), but the provision on {on} is {provision}."
            )
    return problems


def _dates_in_order(pupil: CensusInput) -> list[str]:
    problems = []
    for status in pupil.statuses:
        if status.end is not None and status.end < status.start:
            problems.append(
                f"The {status.provision} provision from {status.start:%d/%m/%Y} ends before it starts "
                f"({status.end:%d/%m/%Y})."
            )
    for need in pupil.needs:
        if need.start is not None and need.end is not None and need.end < need.start:
            problems.append(
                f"The {need.sen_type} need from {need.start:%d/%m/%Y} ends before it starts ({need.end:%d/%m/%Y})."
            )
    return problems
