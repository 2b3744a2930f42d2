"""Reading pupils: the SEN register and a pupil's record, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from graduated.organisations.models import Setting
from graduated.pupils.codes import ON_REGISTER, types_in_area
from graduated.pupils.models import ChronologyEntry, Enrolment, Need, Pupil, SENStatusPeriod
from graduated.pupils.services import remember_current_status
from graduated.pupils.year_groups import academic_year_start


@dataclass(frozen=True)
class RegisterFilters:
    q: str = ""
    status: str = "register"
    need: str = ""
    area: str = ""
    year: int | None = None
    sort: str = "name"
    direction: str = "asc"


def _current_status() -> Subquery:
    return Subquery(SENStatusPeriod.objects.filter(pupil=OuterRef("pk"), end_date__isnull=True).values("status")[:1])


def _current_status_since() -> Subquery:
    return Subquery(
        SENStatusPeriod.objects.filter(pupil=OuterRef("pk"), end_date__isnull=True).values("start_date")[:1]
    )


def _primary_need() -> Subquery:
    return Subquery(Need.objects.current().filter(pupil=OuterRef("pk"), rank=1).values("sen_type")[:1])


def with_current_needs[PupilsT: QuerySet[Any]](pupils: PupilsT) -> PupilsT:
    """Load each pupil's current needs, by rank, into ``pupil.current_needs`` in one query."""
    return pupils.prefetch_related(
        Prefetch("needs", queryset=Need.objects.current().order_by("rank"), to_attr="current_needs")
    )


def with_current_status(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    return pupils.annotate(current_status=_current_status(), current_status_since=_current_status_since())


def date_of_birth_range_for_year(year: int, on: date) -> tuple[date, date]:
    """Pupils in National Curriculum year ``year`` during the academic year containing ``on``."""
    cohort = academic_year_start(on) - year - 5
    return date(cohort, 9, 1), date(cohort + 1, 8, 31)


def in_year_group(year: int, on: date) -> Q:
    earliest, latest = date_of_birth_range_for_year(year, on)
    return Q(year_group_override=year) | Q(
        year_group_override__isnull=True, date_of_birth__gte=earliest, date_of_birth__lte=latest
    )


SORTS = {
    "name": ["legal_last_name", "legal_first_name", "id"],
    # Older pupils are in higher year groups, so ascending year group is descending birth date.
    "year": ["-date_of_birth", "legal_last_name", "id"],
    "status": ["current_status", "legal_last_name", "id"],
    "need": ["primary_need", "legal_last_name", "id"],
}


def register(setting: Setting, filters: RegisterFilters, on: date | None = None) -> QuerySet[Pupil]:
    """Pupils currently enrolled at ``setting``, filtered and sorted, with status and needs loaded."""
    on = on or timezone.localdate()
    pupils = Pupil.objects.enrolled_in(setting, on).annotate(
        current_status=_current_status(),
        current_status_since=_current_status_since(),
        primary_need=_primary_need(),
    )
    pupils = with_current_needs(pupils)
    if filters.status == "register":
        pupils = pupils.filter(current_status__in=ON_REGISTER)
    elif filters.status in ("K", "E", "N"):
        pupils = pupils.filter(current_status=filters.status)
    if filters.need:
        pupils = pupils.filter(id__in=Need.objects.current().filter(sen_type=filters.need).values("pupil_id"))
    if filters.area:
        pupils = pupils.filter(
            id__in=Need.objects.current().filter(sen_type__in=types_in_area(filters.area)).values("pupil_id")
        )
    if filters.year is not None:
        pupils = pupils.filter(in_year_group(filters.year, on))
    if filters.q:
        pupils = pupils.filter(search_filter(filters.q))
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.direction == "desc":
        order = [_reverse(order[0]), *order[1:]]
    return pupils.order_by(*order)


def _reverse(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


def search_filter(text: str) -> Q:
    """Every word must match a name (legal or preferred); a UPN-like word matches the UPN's start."""
    condition = Q()
    for word in text.split()[:5]:
        condition &= (
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_first_name__icontains=word)
            | Q(preferred_last_name__icontains=word)
            | Q(upn__startswith=word.upper())
        )
    return condition


def chronology_entries(pupil: Pupil) -> "QuerySet[ChronologyEntry]":
    """The pupil's chronology, newest first, each entry with the name of who recorded it
    (``recorded_by_name``, what pupils/_chronology_list.html shows) rather than their whole user."""
    return pupil.chronology.annotate(recorded_by_name=F("recorded_by__full_name"))


HISTORY_SHOWN = 50  # status periods and past needs on the pupil page


def pupil_record(pupil: Pupil, *, remember_status: bool = False) -> dict[str, object]:
    """Everything the pupil page shows, in a fixed number of queries whatever the history size.

    ``remember_status``: keep the current SEN status found on ``pupil`` for the rest of the
    request, so that the pupil page's panels asking ``services.current_status`` read it again for
    nothing. Only for a page that changes nothing (the pupil page)."""
    statuses = list(pupil.sen_statuses.order_by("-start_date", "-id")[:HISTORY_SHOWN])
    current = next((s for s in statuses if s.end_date is None), None)
    if remember_status and (current is not None or len(statuses) < HISTORY_SHOWN):
        remember_current_status(pupil, current)
    # Current needs (no end date) first, by rank; then past ones, latest ended first: one query.
    # Ranks of current needs are unique and there are fewer census types than the room left here.
    needs = list(pupil.needs.order_by(F("end_date").desc(nulls_first=True), "rank")[: HISTORY_SHOWN * 2])
    current_needs = [need for need in needs if need.end_date is None]
    return {
        "current_status": current,
        "status_history": statuses,
        "current_needs": current_needs,
        "past_needs": needs[len(current_needs) :][:HISTORY_SHOWN],
        "enrolments": list(
            Enrolment.objects.filter(pupil=pupil).select_related("setting").order_by("-start_date")[:20]
        ),
        "staff_links": list(pupil.staff_links.select_related("user").order_by("user__full_name")),
        "chronology": list(chronology_entries(pupil)[:20]),
    }
