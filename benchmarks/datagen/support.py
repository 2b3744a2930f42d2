"""Stage 3: Assess, Plan, Do, Review over the last three years, as the services record it.

Every pupil on the register (and those who left it) has one cycle a term from the day their SEN
support began, or from the start of the history: two to four SMART outcomes (partly or not
achieved ones carried into the next cycle), an intervention from their setting's catalogue (a
place in a group run that term for small-group ones, one to one otherwise), sometimes a second
and a strategy, the sessions delivered or missed, and a review that rates each outcome and
judges each provision. The current term's cycle is open: most in Do with sessions logged up to
today, a few still in Assess or Plan, some with the review overdue.

Groups run for the catalogue item's typical number of weeks, scaled so that the delivery records
come to about the scale's figure (``fit_weeks``); each has its weekly slots, a register per
session day (a few cancelled), and entry and exit scores when its item has a measure.
"""

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from benchmarks.datagen.calendar import at, days_on, school_day_between, term_of, terms_from, weekday_on_or_after
from benchmarks.datagen.store import Store
from benchmarks.datagen.world import CycleInfo, PupilInfo, World
from graduated.plans.models import SEN_SUPPORT_PLAN, PlanType
from graduated.provision.models import DeliveryRole, GroupScore, GroupSession, GroupSlot, InterventionGroup
from graduated.pupils.models import ChronologyEntry, ChronologyKind
from graduated.support.demo import JUDGEMENTS, OUTCOMES, PROVISION, RATINGS
from graduated.support.models import (
    CARRIED_JUDGEMENTS,
    CARRIED_RATINGS,
    Cycle,
    CycleStatus,
    DeliveryRecord,
    MissedReason,
    NotificationMethod,
    Outcome,
    OutcomeReview,
    PlanAcknowledgement,
    Provision,
    ProvisionKind,
    ProvisionReview,
    Review,
    ReviewDecision,
)

ROLE_LABEL = dict(DeliveryRole.choices)
CANCELLED_BECAUSE = ["Staff absent", "School trip", "Assembly overran", "Room needed for exams"]
STRATEGIES = {area: [p for p in rows if p[0] != ProvisionKind.INTERVENTION] for area, rows in PROVISION.items()}


@dataclass(slots=True)
class _Group:
    id: int
    starts_on: date
    ends_on: date
    deliverer: int
    role: str
    sessions: dict[date, bool]  # day -> held


@dataclass(slots=True)
class _Outcome:
    id: int
    text: tuple[str, str, str, str]
    rating: str = ""


@dataclass(slots=True)
class _Provision:
    id: int
    item: int | None  # catalogue item (adopted copy)
    details: tuple[object, ...]  # the provision's own fields, for a copy carried forward
    judgement: str = ""
    outcomes: list[int] = field(default_factory=list)


class _Writer:
    def __init__(self, world: World, store: Store, rng: random.Random, weeks_factor: float) -> None:
        self.world, self.store, self.rng, self.weeks_factor = world, store, rng, weeks_factor
        # Every cycle is the platform's SEN support plan, as the app's start_cycle makes a first one.
        self.plan_type_id = PlanType.objects.get(key=SEN_SUPPORT_PLAN).pk
        self.cycles = store.table(Cycle, [
            "pupil_id", "setting_id", "number", "previous_id", "status", "started_on", "started_by_id",
            "analysis_by_area", "parents_views", "pupil_views", "advice_received", "review_date", "plan_agreed_on",
            "parents_notified_on", "parents_notified_how", "shared_with_family", "created_at", "version",
            "plan_type_id",
        ])  # fmt: skip
        self.outcomes = store.table(Outcome, [
            "cycle_id", "position", "description", "measure", "baseline", "target", "by_when", "area",
            "carried_from_id",
        ])  # fmt: skip
        self.provisions = store.table(Provision, [
            "cycle_id", "catalogue_item_id", "group_id", "staff_role", "kind", "description", "delivered_by_id",
            "delivered_by_role", "location", "sessions_per_week", "minutes_per_session", "group_size", "starts_on",
            "ends_on", "expected_impact", "carried_from_id",
        ])  # fmt: skip
        self.links = store.table(Provision.outcomes.through, ["provision_id", "outcome_id"])
        self.deliveries = store.table(
            DeliveryRecord, ["provision_id", "on", "status", "missed_reason", "note", "recorded_by_id", "recorded_at"]
        )
        self.reviews = store.table(Review, [
            "cycle_id", "held_on", "parents_views_on_progress", "pupil_views_on_progress", "decision", "notes",
            "recorded_by_id", "recorded_at",
        ])  # fmt: skip
        self.outcome_reviews = store.table(
            OutcomeReview, ["review_id", "outcome_id", "rating", "evidence", "measure_now"]
        )
        self.provision_reviews = store.table(ProvisionReview, ["review_id", "provision_id", "judgement", "note"])
        self.acknowledgements = store.table(PlanAcknowledgement, ["cycle_id", "user_id", "acknowledged_at"])
        self.groups = store.table(InterventionGroup, [
            "setting_id", "catalogue_item_id", "name", "deliverer_id", "deliverer_role", "location", "starts_on",
            "ends_on", "created_at", "version",
        ])  # fmt: skip
        self.slots = store.table(GroupSlot, ["group_id", "weekday", "starts_at", "ends_at"])
        self.sessions = store.table(
            GroupSession, ["group_id", "on", "status", "cancelled_reason", "recorded_by_id", "recorded_at"]
        )
        self.scores = store.table(GroupScore, [
            "group_id", "pupil_id", "entry_score", "entry_on", "exit_score", "exit_on", "version",
        ])  # fmt: skip
        self.chronology = store.table(
            ChronologyEntry, ["pupil_id", "kind", "occurred_on", "recorded_at", "recorded_by_id", "summary"]
        )
        self.open_groups: dict[tuple[int, date, int], _Group | None] = {}
        self.terms = terms_from(world.window_start, world.today)

    def chronicle(self, pupil: PupilInfo, kind: str, on: date, summary: str) -> None:
        self.chronology.add(pupil.id, kind, on, at(on, self.rng), pupil.setting.senco_id, summary[:300])

    # Cycle dates --------------------------------------------------------------------------------

    def cycle_starts(self, pupil: PupilInfo) -> list[date]:
        rng, today = self.rng, self.world.today
        began = pupil.sen_start or pupil.plan_from
        assert began is not None
        end = pupil.removed_on or today
        starts = [began] if began >= self.world.window_start else []
        for term in self.terms:
            start = school_day_between(rng, term.start, term.start + timedelta(days=7))
            if start <= began or start > end or start > today:
                continue
            if starts and (start - starts[-1]).days < 40:
                continue  # SEN support began late in the term before: one cycle across both
            starts.append(start)
        if pupil.removed_on:
            starts = [s for s in starts if (pupil.removed_on - s).days >= 21]
        return starts

    def _review_due(self, started: date, agreed: date) -> date:
        """The review date of the open cycle: near the end of its term; now and then already past."""
        rng, today = self.rng, self.world.today
        term = term_of(started)
        end = term.end if term else started + timedelta(days=84)
        due = school_day_between(rng, max(agreed + timedelta(days=14), end - timedelta(days=12)), end)
        if rng.random() < 0.08 and today - timedelta(days=20) > agreed + timedelta(days=14):
            due = school_day_between(rng, today - timedelta(days=20), today - timedelta(days=1))  # overdue
        return max(due, agreed + timedelta(days=14))

    # One pupil ----------------------------------------------------------------------------------

    def pupil(self, pupil: PupilInfo) -> None:
        rng, today = self.rng, self.world.today
        starts = self.cycle_starts(pupil)
        previous: tuple[int, list[_Outcome], list[_Provision]] | None = None
        for number, started in enumerate(starts, start=1):
            last = number == len(starts)
            agreed: date | None = min(today, weekday_on_or_after(started + timedelta(days=rng.randint(3, 9))))
            if last and not pupil.removed_on:
                age = (today - started).days
                status = CycleStatus.ASSESS if age < 5 else CycleStatus.PLAN if age < 10 else CycleStatus.DO
                review_on = self._review_due(started, agreed) if status == CycleStatus.DO else None  # type: ignore[arg-type]
                if status != CycleStatus.DO:
                    agreed = None
            else:
                status = CycleStatus.CLOSED
                following = pupil.removed_on if last else starts[number]
                assert following is not None
                review_on = school_day_between(rng, following - timedelta(days=6), following - timedelta(days=1))
                if agreed >= review_on - timedelta(days=7):  # type: ignore[operator]
                    agreed = started
            previous = self.cycle(pupil, number, started, agreed, review_on, status, previous, last)
        pupil.cycles = len(starts)

    def cycle(
        self,
        pupil: PupilInfo,
        number: int,
        started: date,
        agreed: date | None,
        review_on: date | None,
        status: str,
        previous: tuple[int, list[_Outcome], list[_Provision]] | None,
        last: bool,
    ) -> tuple[int, list[_Outcome], list[_Provision]]:
        rng, setting, area = self.rng, pupil.setting, pupil.area
        area = area if area in OUTCOMES else "CL"
        created = at(started, rng)
        cycle_id = self.cycles.add(
            pupil.id, setting.id, number, previous[0] if previous else None, status, started, setting.senco_id,
            {area: "Progress is slower than peers from the same starting point; seen across lessons and at home."},
            rng.choice(["Worried about friendships.", "Keen to help with reading at home.", ""]),
            rng.choice(["I like working in the small room.", "Reading is hard.", ""]), "", review_on, agreed, agreed,
            rng.choice(NotificationMethod.values) if agreed else "", True, created, 6 if agreed else 2,
            self.plan_type_id,
        )  # fmt: skip
        summary = f"Cycle {number} of SEN support started"
        self.chronicle(pupil, ChronologyKind.CYCLE_STARTED, started, summary)
        info = CycleInfo(cycle_id, pupil, number, started, agreed, review_on, status == CycleStatus.CLOSED)
        self.world.cycles.append(info)
        if status == CycleStatus.ASSESS:
            return cycle_id, [], []
        outcomes = self._outcomes(cycle_id, area, review_on or started + timedelta(days=84), previous)
        provisions = self._provisions(pupil, cycle_id, area, started, agreed, review_on, outcomes, previous)
        if agreed:
            self.chronicle(pupil, ChronologyKind.PLAN_AGREED, agreed, f"Cycle {number} plan agreed")
            self.chronicle(pupil, ChronologyKind.PARENTS_NOTIFIED, agreed, f"Parents told of the cycle {number} plan")
        if status == CycleStatus.CLOSED:
            assert review_on is not None
            self._review(pupil, cycle_id, review_on, outcomes, provisions, last)
        elif status == CycleStatus.DO:
            for user in (setting.teacher_id, setting.ta_id):
                if rng.random() < 0.7:
                    self.acknowledgements.add(cycle_id, user, at(agreed or started, rng))
        return cycle_id, outcomes, provisions

    def _outcomes(
        self, cycle_id: int, area: str, by_when: date, previous: tuple[int, list[_Outcome], list[_Provision]] | None
    ) -> list[_Outcome]:
        rng = self.rng
        carried = [o for o in previous[1] if o.rating in CARRIED_RATINGS][:3] if previous else []
        wanted = rng.randint(2, 4)
        used = {o.text[0] for o in carried}
        fresh = [text for text in OUTCOMES[area] if text[0] not in used]
        chosen = [(o.text, o.id) for o in carried] + [
            (text, None) for text in rng.sample(fresh, min(len(fresh), max(0, wanted - len(carried))))
        ]
        made = []
        for position, (text, carried_from) in enumerate(chosen, start=1):
            description, measure, baseline, target = text
            pk = self.outcomes.add(
                cycle_id, position, description, measure, baseline, target, by_when, area, carried_from
            )
            made.append(_Outcome(pk, text))
        return made

    def _provisions(
        self,
        pupil: PupilInfo,
        cycle_id: int,
        area: str,
        started: date,
        agreed: date | None,
        review_on: date | None,
        outcomes: list[_Outcome],
        previous: tuple[int, list[_Outcome], list[_Provision]] | None,
    ) -> list[_Provision]:
        rng, world, setting = self.rng, self.world, pupil.setting
        matching = [pk for pk in setting.adopted if area in world.items[pk][0]] or setting.adopted
        carried = [p for p in previous[2] if p.judgement in CARRIED_JUDGEMENTS] if previous else []
        items = [p.item for p in carried if p.item] or [rng.choice(matching)]
        if rng.random() < 0.25 and len(matching) > 1:
            items.append(rng.choice([pk for pk in matching if pk not in items] or matching))
        made = []
        begins = agreed or started
        for item in dict.fromkeys(items):  # once each, in order
            if item is None:
                continue
            from_ = next((p.id for p in carried if p.item == item), None)
            made.append(self._intervention(pupil, cycle_id, item, begins, agreed, review_on, from_))
        if rng.random() < 0.6 and STRATEGIES.get(area):
            kind, description, *_ = rng.choice(STRATEGIES[area])
            details = (None, None, DeliveryRole.TEACHER.value, kind, description, setting.teacher_id, "Class teacher",
                       "", None, None, None, begins, None, "Closes the gap with peers by the review.")  # fmt: skip
            made.append(_Provision(self.provisions.add(cycle_id, *details, None), None, details))
        for provision in made:
            linked = rng.sample(outcomes, min(len(outcomes), rng.randint(1, 2))) if outcomes else []
            for outcome in linked:
                self.links.add(provision.id, outcome.id)
            provision.outcomes = [o.id for o in linked]
        return made

    def _intervention(
        self,
        pupil: PupilInfo,
        cycle_id: int,
        item: int,
        begins: date,
        agreed: date | None,
        review_on: date | None,
        carried_from: int | None,
    ) -> _Provision:
        rng, world, setting = self.rng, self.world, pupil.setting
        _, role, size, per_week, minutes, weeks, name, measured = world.items[item]
        deliverer = setting.teacher_id if role == DeliveryRole.TEACHER else setting.ta_id
        group = self._group(setting.id, item, begins, deliverer) if size > 1 else None
        joined = max(begins, group.starts_on) if group else begins
        if group is not None and joined > group.ends_on:
            group, joined = None, begins
        if group is not None:  # as place_pupil saves it: the group says how often and who
            details: tuple[object, ...] = (item, group.id, group.role, ProvisionKind.INTERVENTION.value, name,
                                           group.deliverer, ROLE_LABEL[group.role], "Small-group room", None, None,
                                           None, joined, None, "")  # fmt: skip
        else:
            details = (item, None, role, ProvisionKind.INTERVENTION.value, name, deliverer, ROLE_LABEL[role],
                       "Small-group room", per_week, minutes, size, joined, None,
                       "Closes the gap with peers by the review.")  # fmt: skip
        provision = _Provision(self.provisions.add(cycle_id, *details, carried_from), item, details)
        if agreed is None:
            return provision
        until = min(review_on or world.today, world.today)
        if group is not None:
            days = [(day, held) for day, held in group.sessions.items() if joined <= day <= until]
            by = group.deliverer
            if measured:
                self._score(group, pupil, joined, rng)
        else:
            weekdays = set(rng.sample(range(5), min(5, per_week)))
            last = min(until, joined + timedelta(days=round(weeks * self.weeks_factor * 7)))
            days = [(day, True) for day in days_on(weekdays, joined, last)]
            by = deliverer
        for day, held in days:
            if not held:
                values = ("missed", MissedReason.CANCELLED.value, "Session cancelled")
            elif rng.random() < 0.09:
                values = ("missed", rng.choice([MissedReason.PUPIL_ABSENT, MissedReason.STAFF_ABSENT]).value, "")
            else:
                values = ("delivered", "", "")
            self.deliveries.add(provision.id, day, *values, by, at(day, rng))
        return provision

    def _group(self, setting_id: int, item: int, begins: date, deliverer: int) -> _Group | None:
        """The group run of ``item`` at the setting in the term of ``begins``, made the first time it is asked for."""
        term = term_of(begins)
        if term is None:
            return None
        key = (setting_id, term.start, item)
        if key in self.open_groups:
            return self.open_groups[key]
        rng, world = self.rng, self.world
        _, role, _, per_week, minutes, weeks, name, _ = world.items[item]
        starts = weekday_on_or_after(term.start + timedelta(days=7))
        ends = min(term.end, starts + timedelta(days=max(7, round(weeks * self.weeks_factor * 7)) - 1))
        if ends < starts:
            self.open_groups[key] = None
            return None
        pk = self.groups.add(setting_id, item, f"{name}, {term.label}"[:120], deliverer, role, "Small-group room",
                             starts, ends, at(starts - timedelta(days=3), rng), 1)  # fmt: skip
        world.groups.append((pk, setting_id))
        weekdays = sorted(rng.sample(range(5), min(5, per_week)))
        begins_at = time(9 + rng.randrange(6), rng.choice([0, 15, 30]))
        for weekday in weekdays:
            finish = (begins_at.hour * 60 + begins_at.minute + minutes) % (24 * 60)
            self.slots.add(pk, weekday, begins_at, time(finish // 60, finish % 60))
        sessions = {}
        for day in days_on(set(weekdays), starts, min(ends, world.today)):
            held = rng.random() >= 0.04
            sessions[day] = held
            reason = "" if held else rng.choice(CANCELLED_BECAUSE)
            self.sessions.add(pk, day, "held" if held else "cancelled", reason, deliverer, at(day, rng))
        group = _Group(pk, starts, ends, deliverer, role, sessions)
        self.open_groups[key] = group
        return group

    def _score(self, group: _Group, pupil: PupilInfo, joined: date, rng: random.Random) -> None:
        entry = Decimal(rng.randint(70, 100))
        exit_score, exit_on = None, None
        if group.ends_on <= self.world.today:
            exit_score, exit_on = entry + Decimal(rng.randint(-2, 12)), group.ends_on
        self.scores.add(group.id, pupil.id, entry, joined, exit_score, exit_on, 1)

    def _review(
        self,
        pupil: PupilInfo,
        cycle_id: int,
        held_on: date,
        outcomes: list[_Outcome],
        provisions: list[_Provision],
        last: bool,
    ) -> None:
        rng = self.rng
        decision = ReviewDecision.ANOTHER_CYCLE
        if last and pupil.removed_on:
            decision = ReviewDecision.END_SEN_SUPPORT
        elif rng.random() < 0.05:
            decision = ReviewDecision.INVOLVE_SPECIALIST
        review_id = self.reviews.add(
            cycle_id, held_on, "Pleased with progress in reading.", "I can do more on my own now.", decision, "",
            pupil.setting.senco_id, at(held_on, rng),
        )  # fmt: skip
        for outcome in outcomes:
            outcome.rating = rng.choice(RATINGS)
            self.outcome_reviews.add(review_id, outcome.id, outcome.rating, "Teacher assessment", "Improving")
        for provision in provisions:
            provision.judgement = rng.choice(JUDGEMENTS)
            self.provision_reviews.add(review_id, provision.id, provision.judgement, "")
        self.chronicle(pupil, ChronologyKind.REVIEW_RECORDED, held_on, f"Review held: {decision.label}")


def _register(world: World) -> list[PupilInfo]:
    return [p for p in world.pupils if p.sen_start or p.plan_from]


def fit_weeks(world: World) -> float:
    """The factor on the interventions' typical weeks that brings the delivery records to the scale's
    figure: worked out on every ``sample_every``-th pupil, written nowhere, twice (lengths are capped
    by the terms, so the count does not grow in proportion)."""
    pupils = _register(world)[:: max(1, len(_register(world)) // 1000)]
    factor = 1.0
    for attempt in range(2):
        store = Store(world.now, dry=True)
        trial = World(world.scale, world.seed, world.today, world.now, settings=world.settings, items=world.items)
        writer = _Writer(trial, store, random.Random(world.seed * 100 + 30 + attempt), factor)  # noqa: S311
        for pupil in pupils:
            writer.pupil(pupil)
        made = writer.deliveries.written + len(writer.deliveries.rows)
        expected = made * len(_register(world)) / max(1, len(pupils))
        factor *= world.scale.deliveries / max(1.0, expected)
        for pupil in pupils:
            pupil.cycles = 0
    return max(0.2, min(factor, 3.0))


def build(world: World, store: Store) -> None:
    factor = fit_weeks(world)
    print(f"    interventions run for {factor:.2f} × their typical weeks (fitted to the delivery records' figure)")
    writer = _Writer(world, store, random.Random(world.seed * 100 + 3), factor)  # noqa: S311
    for pupil in _register(world):
        writer.pupil(pupil)
