"""Reads for the group pages, each a fixed number of queries however long the group's history."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db.models import Count, Q, QuerySet

from graduated.organisations.models import Membership, Setting
from graduated.provision.models import GroupScore, GroupSession, GroupSlot, InterventionGroup, Weekday
from graduated.pupils.models import Enrolment, Pupil
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, DeliveryStatus, Provision, delivery_rate


@dataclass
class Place:
    """A pupil's place in a group: their provision, when they joined and (if they have) left."""

    provision: Provision
    joined_on: date
    left_on: date | None  # their own end date; a reviewed cycle ends the place on the review's day
    delivered: int = 0
    recorded: int = 0
    score: GroupScore | None = None

    @property
    def pupil(self) -> Pupil:
        return self.provision.cycle.pupil

    @property
    def recordable(self) -> bool:
        """Sessions can be logged while the plan is agreed and not yet reviewed (support's rule)."""
        return self.provision.cycle.status == CycleStatus.DO

    @property
    def why_not_recordable(self) -> str:
        if self.provision.cycle.status == CycleStatus.CLOSED:
            return "Their support cycle has been reviewed"
        return "Their plan has not been agreed yet, so sessions cannot be recorded"

    @property
    def rate(self) -> int | None:
        return delivery_rate(self.delivered, self.recorded)

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


def _place(provision: Provision) -> Place:
    cycle = provision.cycle
    left = provision.ends_on
    review = getattr(cycle, "review", None) if cycle.status == CycleStatus.CLOSED else None
    if left is None and review is not None:
        left = review.held_on
    return Place(provision=provision, joined_on=provision.starts_on or cycle.started_on, left_on=left)


def _places(group: InterventionGroup) -> QuerySet[Provision]:
    return (
        Provision.objects.filter(group=group)
        .select_related("cycle__pupil", "cycle__review")
        .order_by("cycle__pupil__legal_last_name", "cycle__pupil__legal_first_name", "starts_on", "id")
    )


def places_on(group: InterventionGroup, day: date) -> list[Place]:
    """The places covering ``day``, one per pupil (a place carried into a new cycle is the later
    one), in name order: 1 query."""
    by_pupil: dict[int, Place] = {}
    for provision in _places(group).exclude(ends_on__lt=day):
        place = _place(provision)
        if place.covers(day):
            by_pupil[provision.cycle.pupil_id] = place  # ordered by start: the latest wins
    return list(by_pupil.values())


def group_page(group: InterventionGroup) -> dict[str, Any]:
    """The group's places with attendance, scores, slots and recent registers: 5 queries."""
    places = [_place(p) for p in _places(group).annotate(
        delivered_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
        recorded_count=Count("deliveries"),
    )]  # fmt: skip
    for place in places:
        place.delivered = place.provision.delivered_count  # type: ignore[attr-defined]
        place.recorded = place.provision.recorded_count  # type: ignore[attr-defined]
    scores = {score.pupil_id: score for score in GroupScore.objects.filter(group=group)}
    for place in places:
        place.score = scores.get(place.pupil.pk)
    sessions = group.sessions.aggregate(
        held=Count("id", filter=Q(status="held")), cancelled=Count("id", filter=Q(status="cancelled"))
    )
    recent = list(group.sessions.select_related("recorded_by")[:6])
    return {
        "slots": list(group.slots.all()), "places": places, "scores": scores, "pupils": pupils_of(places),
        "sessions_held": sessions["held"], "sessions_cancelled": sessions["cancelled"], "recent_sessions": recent,
    }  # fmt: skip


def pupils_of(places: list[Place]) -> list[Pupil]:
    """Each pupil once, in the order of their first place."""
    seen: dict[int, Pupil] = {}
    for place in places:
        seen.setdefault(place.pupil.pk, place.pupil)
    return list(seen.values())


def score_rows(group: InterventionGroup) -> tuple[list[Pupil], dict[int, GroupScore]]:
    """The pupils ever placed in the group and their score rows: 2 queries."""
    pupils = pupils_of([_place(p) for p in _places(group)])
    return pupils, {score.pupil_id: score for score in GroupScore.objects.filter(group=group)}


def register_page(group: InterventionGroup, day: date) -> dict[str, Any]:
    """Who is on the register for ``day``, and what was recorded then, if anything: 3 queries."""
    places = places_on(group, day)
    session = GroupSession.objects.filter(group=group, on=day).select_related("recorded_by").first()
    records = {
        record.provision_id: record
        for record in DeliveryRecord.objects.filter(provision__in=[p.provision.pk for p in places], on=day)
    }
    return {"places": places, "session": session, "records": records}


def pupil_choices(group: InterventionGroup) -> list[tuple[int, str]]:
    """The setting's current pupils, saying who has no support cycle to hold a place: 2 queries."""
    pupils = Pupil.objects.filter(
        pk__in=Enrolment.objects.current().filter(setting_id=group.setting_id).values("pupil_id")
    ).order_by("legal_last_name", "legal_first_name", "id")
    # Names, not Pupil objects: a large school has well over a thousand pupils, and building each
    # object is most of this page's time. The name is Pupil.display_name's (preferred, else legal).
    names = pupils.values_list(
        "pk", "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name"
    )
    in_cycle = set(
        Cycle.objects.filter(setting_id=group.setting_id)
        .exclude(status=CycleStatus.CLOSED)
        .order_by()
        .values_list("pupil_id", flat=True)
    )
    choices = []
    for pk, legal_first, legal_last, preferred_first, preferred_last in names:
        name = f"{preferred_first or legal_first} {preferred_last or legal_last}"
        choices.append((pk, name if pk in in_cycle else f"{name} (no support cycle in progress)"))
    return choices


def staff_of(setting: Setting) -> QuerySet[Membership]:
    return Membership.objects.filter(setting=setting).select_related("user").order_by("user__full_name", "id")


# -- Lists and the timetable -----------------------------------------------------------------------


def _shown(show: str, today: date) -> Q:
    """The groups a list's "show" keeps: running ``today``, starting after it, ended before it, or all."""
    return {
        "current": Q(starts_on__lte=today, ends_on__gte=today), "upcoming": Q(starts_on__gt=today),
        "past": Q(ends_on__lt=today), "all": Q(),
    }[show]  # fmt: skip


def groups_of(
    setting: Setting,
    *,
    deliverer_id: int | None = None,
    between: tuple[date, date] | None = None,
    show: str = "all",
    today: date | None = None,
) -> list[InterventionGroup]:
    """The setting's groups (only ``deliverer_id``'s, if given) that run at some time ``between``
    and are those ``show`` keeps on ``today`` ("current", "upcoming", "past" or "all"), with their
    item, deliverer, slots and how many pupils hold a place: 2 queries."""
    groups = InterventionGroup.objects.filter(setting=setting)
    if show != "all":
        assert today is not None
        groups = groups.filter(_shown(show, today))
    if deliverer_id is not None:
        groups = groups.filter(deliverer_id=deliverer_id)
    if between is not None:
        groups = groups.filter(starts_on__lte=between[1], ends_on__gte=between[0])
    groups = groups.select_related("catalogue_item", "deliverer").prefetch_related("slots")
    return list(groups.annotate(pupil_count=Count("places__cycle__pupil", distinct=True)))


@dataclass
class TimetableEntry:
    slot: GroupSlot
    group: InterventionGroup
    clashes_with: list[InterventionGroup] = field(default_factory=list)


@dataclass
class TimetableDay:
    weekday: Weekday
    entries: list[TimetableEntry]


def _overlap(a: GroupSlot, b: GroupSlot) -> bool:
    return a.weekday == b.weekday and a.starts_at < b.ends_at and b.starts_at < a.ends_at


def timetable(groups: list[InterventionGroup]) -> list[TimetableDay]:
    """The groups' weekly slots by weekday and time. A slot clashes when its deliverer also runs
    another group at an overlapping time on that weekday and the two groups' dates overlap."""
    entries = [TimetableEntry(slot=slot, group=group) for group in groups for slot in group.slots.all()]
    by_deliverer: dict[int, list[TimetableEntry]] = defaultdict(list)
    for entry in entries:
        if entry.group.deliverer_id is not None:
            by_deliverer[entry.group.deliverer_id].append(entry)
    for own in by_deliverer.values():
        for entry in own:
            entry.clashes_with = [
                other.group
                for other in own
                if other.group.pk != entry.group.pk
                and _overlap(entry.slot, other.slot)
                and other.group.starts_on <= entry.group.ends_on
                and entry.group.starts_on <= other.group.ends_on
            ]
    days = []
    for weekday in Weekday:
        todays = sorted(
            (e for e in entries if e.slot.weekday == weekday), key=lambda e: (e.slot.starts_at, e.group.name)
        )
        if todays:
            days.append(TimetableDay(weekday=weekday, entries=todays))
    return days


def slot_label(starts_at: time, ends_at: time) -> str:
    return f"{starts_at:%H:%M} to {ends_at:%H:%M}"


# -- Terms -----------------------------------------------------------------------------------------

TERMS = (
    ("autumn", "Autumn", (9, 1), (12, 31)),
    ("spring", "Spring", (1, 1), (3, 31)),
    ("summer", "Summer", (4, 1), (8, 31)),
)


def term_dates(code: str) -> tuple[date, date]:
    """ "2026-autumn" -> its first and last days. Terms are approximate (Easter moves), which is
    enough to find the groups that ran in one: the autumn term of 2026 is September to December
    2026, its spring and summer terms fall in 2027."""
    year_text, _, name = code.partition("-")
    for term, _label, start, end in TERMS:
        if term == name:
            year = int(year_text) + (0 if term == "autumn" else 1)
            return date(year, *start), date(year, *end)
    raise ValueError(code)


def terms_around(today: date) -> list[tuple[str, str]]:
    """This academic year's terms and last year's, newest first, as (code, label) choices."""
    this_year = today.year if today.month >= 9 else today.year - 1
    choices = []
    for year in (this_year, this_year - 1):
        for term, label, _start, _end in reversed(TERMS):
            choices.append((f"{year}-{term}", f"{label} term {year}/{(year + 1) % 100:02d}"))
    return choices
