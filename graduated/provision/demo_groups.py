"""Demo provision mapping beyond the catalogue: what an hour of each staff role costs every demo
setting, their notional SEN budgets, and at Millbeck Primary School intervention groups over three
terms (spring and summer 2026 finished, autumn 2026 running) with places, registers and scores.

A pupil's place is a ``support.Provision`` in the support demo's cycle that was running while they
were in the group, so a place never starts before its cycle did nor outlasts its review. A cycle's
own free-text provision that is the same intervention becomes the place, keeping its logged days.

Everything here is bulk-created, with one audit event per group and one per place (as the support
demo does for its older sessions), so the demo stays quick to load. Deterministic: fixed plans, and
attendance and scores drawn from ``random.Random`` with a fixed seed.
"""

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.demo.catalogue import TEACHER, TEACHING_ASSISTANT
from graduated.demo.data import LATEST_EVENT, SEED
from graduated.organisations.models import Membership, Role, Setting
from graduated.provision.models import (
    CatalogueItem,
    DeliveryRole,
    GroupScore,
    GroupSession,
    GroupSlot,
    InterventionGroup,
    MeasureKind,
    SenBudget,
    SessionStatus,
    StaffCost,
)
from graduated.support.models import (
    Cycle,
    CycleStatus,
    DeliveryRecord,
    DeliveryStatus,
    MissedReason,
    Provision,
    ProvisionJudgement,
    ProvisionKind,
    ProvisionReview,
)

MILLBECK_URN = "146208"

# Cost an hour with on-costs (employer's National Insurance and pension), England 2026, by setting
# URN, in DeliveryRole order: teacher, teaching assistant, SENCO, specialist teacher, therapist. A
# nursery pays its staff less, the academy a little more; specialists and therapists are bought in.
STAFF_COSTS = {
    "509417": ("34.50", "15.80", "38.00", "52.00", "62.00"),  # Little Wrens Day Nursery
    "146208": ("41.50", "18.20", "47.80", "50.00", "60.00"),  # Millbeck Primary School
    "148731": ("44.00", "18.90", "51.50", "52.50", "61.50"),  # Ravensmoor Academy
    "130742": ("38.50", "17.60", "45.00", "51.00", "60.00"),  # Northshire College
    "152964": ("40.20", "17.80", "46.50", "49.00", "58.50"),  # Tidewell Primary School
}
# Notional SEN budget for 2025/26 and 2026/27, roughly £650 a primary pupil and £800 a secondary
# one, with a small school's share of its lump sum; the nursery's and college's are their SEN
# inclusion fund and element 2 place funding, which they set provision against in the same way.
SEN_BUDGETS = {
    "509417": ("4800.00", "5200.00"),
    "146208": ("58500.00", "61200.00"),
    "148731": ("88000.00", "92400.00"),
    "130742": ("18000.00", "18600.00"),
    "152964": ("21500.00", "22400.00"),
}

# The school holidays of Northshire's term dates (demo.TERM_DATES, which the costs count by), and the
# early May bank holiday, on which no group meets.
HOLIDAYS = [
    (date(2026, 2, 16), date(2026, 2, 20)),  # February half term
    (date(2026, 3, 30), date(2026, 4, 10)),  # Easter
    (date(2026, 5, 4), date(2026, 5, 4)),  # early May bank holiday
    (date(2026, 5, 25), date(2026, 5, 29)),  # May half term
    (date(2026, 7, 23), date(2026, 9, 2)),  # summer
    (date(2026, 10, 26), date(2026, 10, 30)),  # October half term
    (date(2026, 12, 21), date(2027, 1, 1)),  # Christmas
]
CANCELLED_REASONS = ["Staff training", "School trip", "Staff absent, no cover", "Whole-school assembly",
                     "Class assessments"]  # fmt: skip
# A free-text provision of the support demo that is the same intervention as a catalogue item.
SAME_INTERVENTION = {
    "Lego-based social skills group": "Social communication group",
    "Lunchtime nurture club": "Lunchtime club",
    "Fine motor skills group (Clever Fingers)": "Handwriting and fine motor group",
}
MIN_DAYS_IN_GROUP = 21  # a pupil who could only join for the last few weeks is not placed
MAX_GROUPS_AT_ONCE = 2  # time out of class is limited


@dataclass(frozen=True)
class Scores:
    """How a group's measure moves. Age-equivalent: ``entry`` is months behind the pupil's age and
    ``gain`` the ratio gain (months gained a month); otherwise both are points on the measure."""

    entry: tuple[float, float]
    gain: tuple[float, float] = (0.0, 0.0)  # none for a group still running: no exit test yet
    spread: float = 0.0
    ceiling: float | None = None
    exits_missing: int = 0  # pupils whose exit test was never done


@dataclass(frozen=True)
class GroupPlan:
    name: str
    item: str
    deliverer: str  # e-mail of a demo account of the setting
    location: str
    starts_on: date
    ends_on: date
    slots: tuple[tuple[int, str, str], ...]  # (weekday, starts, ends); Monday is 0
    scores: Scores | None = None
    also_for: tuple[str, ...] = ()  # broad areas it takes pupils from besides the item's own


def _days(weekdays: str, starts: str, ends: str) -> tuple[tuple[int, str, str], ...]:
    return tuple((int(day), starts, ends) for day in weekdays)


SPRING, SUMMER, AUTUMN = (date(2026, 3, 16), date(2026, 5, 22)), (date(2026, 6, 15), date(2026, 7, 17)), (
    date(2026, 10, 5), date(2026, 12, 11))  # fmt: skip
TA, ROOM = TEACHING_ASSISTANT, "Small-group room"
PLANS = [
    GroupPlan("Paired reading, spring 2026", "Paired reading", TA, "Library corner", *SPRING,
              _days("0123", "08:45", "09:00"), Scores(entry=(14, 26), gain=(1.6, 3.0)), also_for=("SEMH",)),
    GroupPlan("Phonics catch-up, summer 2026", "Phonics catch-up group", TA, ROOM, *SUMMER,
              _days("0123", "10:40", "11:00"), Scores(entry=(12, 22), gain=(6, 11), spread=2, ceiling=40,
                                                      exits_missing=1)),
    GroupPlan("Maths recap, summer 2026", "Maths recap with concrete resources", TEACHER, "Intervention room",
              *SUMMER, _days("13", "13:15", "13:45"), Scores(entry=(79, 89), gain=(-1, 2), spread=2.5)),
    GroupPlan("Handwriting and fine motor, summer 2026", "Handwriting and fine motor group", TA, ROOM, *SUMMER,
              _days("024", "14:30", "14:50"), Scores(entry=(12, 24), gain=(4, 9), spread=2, exits_missing=1),
              also_for=("CI", "SEMH", "CL")),
    GroupPlan("Lunchtime club, summer 2026", "Lunchtime club", TA, "Quiet room", *SUMMER,
              _days("0123", "12:15", "12:45")),
    GroupPlan("Number fact fluency, autumn 2026", "Number fact fluency", TA, ROOM, *AUTUMN,
              _days("024", "09:00", "09:15"), Scores(entry=(6, 18))),
    # Friday's phonics moved to 09:10 for assembly and now overlaps number facts: the clash the
    # staff timetable shows.
    GroupPlan("Phonics catch-up, autumn 2026", "Phonics catch-up group", TA, ROOM, *AUTUMN,
              (*_days("013", "10:40", "11:00"), (4, "09:10", "09:30")), Scores(entry=(10, 24))),
    GroupPlan("Maths recap, autumn 2026", "Maths recap with concrete resources", TEACHER, "Intervention room",
              *AUTUMN, _days("13", "13:15", "13:45"), Scores(entry=(78, 90))),
    GroupPlan("Social communication, autumn 2026", "Social communication group", TA, ROOM, *AUTUMN,
              _days("2", "13:30", "14:15")),
    GroupPlan("Lunchtime club, autumn 2026", "Lunchtime club", TA, "Quiet room", date(2026, 9, 14),
              date(2026, 12, 16), _days("0123", "12:15", "12:45")),
]  # fmt: skip


def meeting_days(starts_on: date, ends_on: date, weekdays: set[int]) -> Iterator[date]:
    """The school days from ``starts_on`` to ``ends_on`` on which a group with those weekdays meets."""
    day = starts_on
    while day <= ends_on:
        if day.weekday() in weekdays and not any(first <= day <= last for first, last in HOLIDAYS):
            yield day
        day += timedelta(days=1)


@dataclass
class _Place:
    cycle: Cycle
    joined: date
    left: date | None  # None: still in the group
    reused: Provision | None = None
    provision: Provision | None = None

    def covers(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or day <= self.left)


def _cycle_end(cycle: Cycle) -> date | None:
    review = getattr(cycle, "review", None) if cycle.status == CycleStatus.CLOSED else None
    return review.held_on if review is not None else None


class _Planner:
    """Chooses each group's pupils from the setting's cycles."""

    def __init__(self, setting: Setting) -> None:
        self.cycles = list(
            Cycle.objects.filter(setting=setting)
            .select_related("review", "pupil")
            .prefetch_related("outcomes", "provisions")
            .order_by("pupil_id", "number")
        )
        self.placed: dict[int, list[_Place]] = {}  # pupil id -> their places so far

    def places(self, plan: GroupPlan, item: CatalogueItem) -> list[_Place]:
        finished = plan.ends_on < LATEST_EVENT
        best: dict[int, tuple[int, _Place]] = {}  # pupil id -> (days in group, place)
        for cycle in self.cycles:
            end = _cycle_end(cycle)
            reused = next(
                (p for p in cycle.provisions.all() if SAME_INTERVENTION.get(p.description) == item.name), None
            )
            joined = max(
                plan.starts_on, cycle.started_on, reused.starts_on if reused and reused.starts_on else plan.starts_on
            )
            until = min(plan.ends_on, end) if end else plan.ends_on
            days = (until - joined).days
            if days < MIN_DAYS_IN_GROUP or days <= best.get(cycle.pupil_id, (0, None))[0]:
                continue
            left = until if finished or end else None
            best[cycle.pupil_id] = (days, _Place(cycle, joined, left, reused))
        areas = set(item.areas)
        ranked = sorted(
            (place for _, place in best.values() if self._areas(place.cycle) & (areas | set(plan.also_for))),
            key=lambda p: (not self._areas(p.cycle) & areas, p.joined > plan.starts_on, p.cycle.pupil_id),
        )
        chosen: list[_Place] = []
        for place in ranked:
            late = place.joined > plan.starts_on
            if (late and any(p.joined > plan.starts_on for p in chosen)) or self._busy(place, plan):
                continue
            chosen.append(place)
            self.placed.setdefault(place.cycle.pupil_id, []).append(place)
            if len(chosen) == item.group_size:
                break
        return chosen

    @staticmethod
    def _areas(cycle: Cycle) -> set[str]:
        return {outcome.area for outcome in cycle.outcomes.all()}

    def _busy(self, place: _Place, plan: GroupPlan) -> bool:
        until = place.left or plan.ends_on
        overlapping = [p for p in self.placed.get(place.cycle.pupil_id, []) if p.joined <= until and
                       (p.left or date.max) >= place.joined]  # fmt: skip
        return len(overlapping) >= MAX_GROUPS_AT_ONCE


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    settings = {setting.urn: setting for setting in Setting.objects.filter(urn__in=STAFF_COSTS)}
    if not settings or StaffCost.objects.filter(setting__in=settings.values()).exists():
        return {}  # not the demo world, or loaded already
    system = Actor.system("demo")
    StaffCost.objects.bulk_create(
        StaffCost(setting=settings[urn], role=role, hourly_cost=Decimal(cost))
        for urn, costs in STAFF_COSTS.items() if urn in settings
        for role, cost in zip(DeliveryRole.values, costs, strict=True)
    )  # fmt: skip
    SenBudget.objects.bulk_create(
        SenBudget(setting=settings[urn], year_starting=year, amount=Decimal(amount))
        for urn, amounts in SEN_BUDGETS.items() if urn in settings
        for year, amount in zip((2025, 2026), amounts, strict=True)
    )  # fmt: skip
    for setting in settings.values():
        record(system, AuditAction.CREATE, object_type="provision.staffcost", description=f"Demo data: {setting}")
        record(system, AuditAction.CREATE, object_type="provision.senbudget", description=f"Demo data: {setting}")
    counts = {"staff hourly costs": StaffCost.objects.count(), "notional SEN budgets": SenBudget.objects.count()}
    millbeck = settings.get(MILLBECK_URN)
    return counts | (_GroupWriter(millbeck).write() if millbeck else {})


class _GroupWriter:
    def __init__(self, setting: Setting) -> None:
        self.setting = setting
        self.rng = random.Random(SEED + 4)  # noqa: S311 - repeatable demo data, not security
        memberships = list(Membership.objects.filter(setting=setting).select_related("user"))
        senco = next(m.user for m in memberships if m.role == Role.SENCO)
        self.actor = Actor(user=senco, role=Role.SENCO, setting_id=setting.pk)
        self.members: dict[str, User] = {m.user.email: m.user for m in memberships}
        self.items = {item.name: item for item in CatalogueItem.objects.filter(setting=setting)}
        self.counts: Counter[str] = Counter()

    def write(self) -> dict[str, int]:
        planner = _Planner(self.setting)
        for plan in PLANS:
            item = self.items.get(plan.item)
            if item is not None:
                self._write_group(plan, item, planner.places(plan, item))
        return {
            "intervention groups": self.counts["groups"],
            "pupils' places in groups": self.counts["places"],
            "group registers": self.counts["registers"],
            "entry and exit scores": self.counts["scores"],
        }

    def _write_group(self, plan: GroupPlan, item: CatalogueItem, places: list[_Place]) -> None:
        deliverer = self.members.get(plan.deliverer)
        group = InterventionGroup.objects.create(
            setting=self.setting, catalogue_item=item, name=plan.name, deliverer=deliverer,
            deliverer_role=item.delivered_by_role, location=plan.location, starts_on=plan.starts_on,
            ends_on=plan.ends_on, created_at=_moment(plan.starts_on - timedelta(days=7), time(16)),
        )  # fmt: skip
        slots = GroupSlot.objects.bulk_create(
            GroupSlot(group=group, weekday=day, starts_at=time.fromisoformat(start), ends_at=time.fromisoformat(end))
            for day, start, end in _slots(plan, places)
        )  # fmt: skip
        self._write_places(group, item, places, deliverer)
        sessions = self._write_register(group, slots, places, deliverer)
        if plan.scores is not None and item.measure_kind:
            self._write_scores(group, item, plan.scores, places)
        record(self.actor, AuditAction.CREATE, obj=group,
               description=f"Demo data: {len(places)} places, {sessions} registers")  # fmt: skip
        self.counts.update(groups=1, places=len(places), registers=sessions)

    def _write_places(
        self, group: InterventionGroup, item: CatalogueItem, places: list[_Place], by: User | None
    ) -> None:
        role_label = DeliveryRole(group.deliverer_role).label
        new = []
        for place in places:
            # Sessions, minutes and group size left blank: the group's slots and pupils price the place.
            fields = {"group": group, "catalogue_item": item, "delivered_by": by, "delivered_by_role": role_label,
                      "location": group.location, "starts_on": place.joined, "ends_on": place.left,
                      "sessions_per_week": None, "minutes_per_session": None, "group_size": None}  # fmt: skip
            if place.reused is not None:
                for name, value in fields.items():
                    setattr(place.reused, name, value)
                place.reused.save(update_fields=[*fields])
                place.provision = place.reused
            else:
                place.provision = Provision(
                    cycle=place.cycle, kind=ProvisionKind.INTERVENTION, description=item.name,
                    expected_impact=f"Progress on the {item.measure_name.lower()} by the end of the group."
                    if item.measure_name else "Takes part confidently by the end of the group.",
                    **fields,
                )  # fmt: skip
                new.append(place.provision)
        Provision.objects.bulk_create(new)
        links, judgements = [], []
        for place in places:
            provision = place.provision
            assert provision is not None
            outcomes = [o for o in place.cycle.outcomes.all() if o.area in item.areas]
            chosen = self.rng.sample(outcomes, min(len(outcomes), self.rng.choice([1, 2])))
            links += [Provision.outcomes.through(provision=provision, outcome=o) for o in chosen]
            review = getattr(place.cycle, "review", None) if place.cycle.status == CycleStatus.CLOSED else None
            if review is not None and place.reused is None:
                ran_on = place.left is not None and place.left >= review.held_on and group.ends_on > review.held_on
                judgements.append(ProvisionReview(
                    review=review, provision=provision,
                    judgement=ProvisionJudgement.CONTINUE if ran_on else ProvisionJudgement.STOP,
                    note="The group runs on past the review." if ran_on else "The group has finished.",
                ))  # fmt: skip
        Provision.outcomes.through.objects.bulk_create(links)
        ProvisionReview.objects.bulk_create(judgements)

    def _write_register(
        self, group: InterventionGroup, slots: list[GroupSlot], places: list[_Place], by: User | None
    ) -> int:
        rng = self.rng
        weekdays = {slot.weekday: slot.ends_at for slot in slots}
        days = list(meeting_days(group.starts_on, min(group.ends_on, LATEST_EVENT), set(weekdays)))
        already = set(
            DeliveryRecord.objects.filter(provision__in=[p.reused for p in places if p.reused]).values_list(
                "provision_id", "on"
            )
        )
        attendance = {id(p): min(0.98, max(0.6, rng.gauss(0.88, 0.06))) for p in places}
        sessions, records = [], []
        for day in days:
            recorded_at = _moment(day, weekdays[day.weekday()])
            reason = rng.choice(CANCELLED_REASONS) if rng.random() < 1 / 25 else ""
            sessions.append(GroupSession(
                group=group, on=day, status=SessionStatus.CANCELLED if reason else SessionStatus.HELD,
                cancelled_reason=reason, recorded_by=by, recorded_at=recorded_at,
            ))  # fmt: skip
            for place in places:
                provision = place.provision
                assert provision is not None
                if not place.covers(day) or (provision.pk, day) in already:
                    continue
                present = not reason and rng.random() < attendance[id(place)]
                missed = MissedReason.CANCELLED if reason else "" if present else MissedReason.PUPIL_ABSENT
                records.append(DeliveryRecord(
                    provision=provision, on=day, status=DeliveryStatus.MISSED if missed else DeliveryStatus.DELIVERED,
                    missed_reason=missed, note=reason, recorded_by=by, recorded_at=recorded_at,
                ))  # fmt: skip
        GroupSession.objects.bulk_create(sessions)
        DeliveryRecord.objects.bulk_create(records)
        for place in places:
            assert place.provision is not None
            logged = sum(1 for r in records if r.provision is place.provision)
            record(self.actor, AuditAction.CREATE, obj=place.provision, pupil_id=place.cycle.pupil_id,
                   description=f"Demo data: place in {group.name}, {logged} sessions on the register")  # fmt: skip
        return len(sessions)

    def _write_scores(self, group: InterventionGroup, item: CatalogueItem, plan: Scores, places: list[_Place]) -> None:
        rng = self.rng
        finished = group.ends_on < LATEST_EVENT
        missing = set(rng.sample(range(len(places)), min(plan.exits_missing, len(places))))
        rows = []
        for index, place in enumerate(places):
            if item.measure_kind == MeasureKind.AGE_EQUIVALENT:
                age = _months_between(place.cycle.pupil.date_of_birth, place.joined)
                entry = round(age - rng.uniform(*plan.entry))
            else:
                entry = round(rng.uniform(*plan.entry))
            exit_score = None
            if finished and place.left is not None and index not in missing:
                if item.measure_kind == MeasureKind.AGE_EQUIVALENT:
                    exit_score = entry + round(rng.uniform(*plan.gain) * _months_between(place.joined, place.left))
                else:
                    exit_score = round(entry + rng.uniform(*plan.gain) + rng.gauss(0, plan.spread))
                    exit_score = min(exit_score, int(plan.ceiling)) if plan.ceiling else exit_score
            rows.append(GroupScore(
                group=group, pupil=place.cycle.pupil, entry_score=Decimal(entry), entry_on=place.joined,
                exit_score=None if exit_score is None else Decimal(exit_score),
                exit_on=place.left if exit_score is not None else None,
            ))  # fmt: skip
        GroupScore.objects.bulk_create(rows)
        self.counts["scores"] += len(rows)


def _slots(plan: GroupPlan, places: list[_Place]) -> tuple[tuple[int, str, str], ...]:
    """A weekly group meets on the day a reused provision's sessions were already logged on, so
    that pupil's log keeps one session a week."""
    logged = Counter(r.on.weekday() for p in places if p.reused for r in p.reused.deliveries.all())
    if len(plan.slots) != 1 or not logged:
        return plan.slots
    (_, starts, ends), weekday = plan.slots[0], logged.most_common(1)[0][0]
    return ((weekday, starts, ends),)


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.44


def _moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))
