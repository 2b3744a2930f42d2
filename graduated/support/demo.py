"""Demo APDR cycles: most pupils on SEN support at Millbeck Primary School, some elsewhere.

Each chosen pupil has one to three cycles, the earlier ones reviewed (their unmet outcomes and
continuing provision carried forward by ``start_cycle``), the latest in Do with sessions logged
over recent weeks. A few reviews fall due within two weeks of ``LATEST_EVENT`` and a few are
overdue. Everything goes through the services, as the demo SENCOs would type it, except the
sessions before the last two weeks: those are stored in one batch per provision (with one audit
event each) to keep the demo fast.
"""

import random
from collections import Counter
from datetime import date, timedelta

from django.db import transaction

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.demo.data import LATEST_EVENT, SEED
from graduated.organisations.models import Membership, Role, Setting
from graduated.provision.models import DeliveryRole
from graduated.pupils.codes import BROAD_AREA_OF_TYPE, BroadArea, SENProvision
from graduated.pupils.models import Pupil, SENStatusPeriod
from graduated.support import reviews, services
from graduated.support.models import (
    Cycle,
    DeliveryRecord,
    DeliveryStatus,
    MissedReason,
    NotificationMethod,
    OutcomeRating,
    Provision,
    ProvisionJudgement,
    ProvisionKind,
    ReviewDecision,
)

# (setting name, share of its pupils on SEN support who have cycles)
SETTINGS = [("Millbeck Primary School", 0.85), ("Ravensmoor Academy", 0.4), ("Tidewell Primary School", 0.5)]

OUTCOMES: dict[str, list[tuple[str, str, str, str]]] = {
    BroadArea.COMMUNICATION_INTERACTION: [
        ("Asks an adult for help using a sentence starter", "Tally in lessons over a week", "Once a week", "Daily"),
        ("Takes turns in a small-group game for 10 minutes", "Adult observation", "2 minutes", "10 minutes"),
        ("Follows a two-part instruction without a visual prompt", "Teacher checklist", "2 of 10", "8 of 10"),
        ("Uses 10 new topic words correctly in speech", "Word list check", "3 words", "10 words"),
    ],
    BroadArea.COGNITION_LEARNING: [
        ("Reads the Year 2 common exception words", "Word check each half term", "12 of 64", "40 of 64"),
        ("Recalls number bonds to 10 without counting", "Timed quiz", "4 of 10", "10 of 10"),
        ("Writes three linked sentences using full stops", "Independent writing sample", "1 sentence", "3 sentences"),
        ("Decodes CVCC words using phonics", "Phonics assessment", "5 of 20", "16 of 20"),
    ],
    BroadArea.SEMH: [
        ("Uses the calm corner instead of leaving the room", "Incident log", "4 exits a week", "None"),
        ("Names their feeling using the zones chart", "Check-ins with key adult", "Rarely", "Most days"),
        ("Joins in with a structured playtime game", "Playground observation", "Never", "3 times a week"),
    ],
    BroadArea.SENSORY_PHYSICAL: [
        ("Forms letters correctly on lined paper", "Handwriting sample", "Half of letters", "All letters"),
        ("Uses a radio aid in every lesson", "Staff checklist", "2 lessons a day", "Every lesson"),
        ("Moves around the classroom safely with the agreed layout", "Adult observation", "With help", "Alone"),
    ],
}
PROVISION: dict[str, list[tuple[str, str, int | None, int | None, int | None, str]]] = {
    # (kind, description, sessions a week, minutes, group size, delivered by role)
    BroadArea.COMMUNICATION_INTERACTION: [
        (ProvisionKind.INTERVENTION, "Talk Boost language group", 3, 30, 4, "Teaching assistant"),
        (ProvisionKind.STRATEGY, "Visual timetable and now-and-next board", None, None, None, "Class teacher"),
        (ProvisionKind.INTERVENTION, "Lego-based social skills group", 1, 45, 3, "Teaching assistant"),
    ],
    BroadArea.COGNITION_LEARNING: [
        (ProvisionKind.INTERVENTION, "Precision teaching of sight words", 3, 10, 1, "Teaching assistant"),
        (ProvisionKind.INTERVENTION, "Catch Up Numeracy", 2, 15, 1, "Teaching assistant"),
        (ProvisionKind.STRATEGY, "Pre-teaching of key vocabulary before each topic", None, None, None, "Class teacher"),
    ],
    BroadArea.SEMH: [
        (ProvisionKind.INTERVENTION, "ELSA sessions with the emotional literacy support assistant", 1, 30, 1, "ELSA"),
        (
            ProvisionKind.STRATEGY,
            "Meet and greet at the classroom door each morning",
            None,
            None,
            None,
            "Class teacher",
        ),
        (ProvisionKind.INTERVENTION, "Lunchtime nurture club", 2, 30, 6, "Teaching assistant"),
    ],
    BroadArea.SENSORY_PHYSICAL: [
        (ProvisionKind.INTERVENTION, "Fine motor skills group (Clever Fingers)", 3, 15, 4, "Teaching assistant"),
        (ProvisionKind.RESOURCE, "Writing slope and pencil grip", None, None, None, "Class teacher"),
        (ProvisionKind.STRATEGY, "Seat near the front, away from the door", None, None, None, "Class teacher"),
    ],
}
# Which staff role's hourly cost prices each kind of deliverer in the costed provision maps.
STAFF_ROLE_FOR_COSTS = {"Teaching assistant": DeliveryRole.TEACHING_ASSISTANT, "Class teacher": DeliveryRole.TEACHER}
RATINGS = [OutcomeRating.ACHIEVED] * 4 + [OutcomeRating.PARTLY_ACHIEVED] * 4 + [OutcomeRating.NOT_ACHIEVED] * 2
RATINGS += [OutcomeRating.NO_LONGER_RELEVANT]
JUDGEMENTS = [ProvisionJudgement.CONTINUE] * 3 + [ProvisionJudgement.ADAPT] * 2 + [ProvisionJudgement.STOP] * 2
LATEST_CYCLE_STARTS = (date(2026, 9, 7), date(2026, 10, 12))


def _school_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _area(pupil: Pupil) -> str:
    need = pupil.needs.current().order_by("rank").first()
    area = BROAD_AREA_OF_TYPE.get(need.sen_type) if need else None
    return area.value if area else BroadArea.COGNITION_LEARNING.value


def _pupils(setting: Setting) -> list[tuple[Pupil, date]]:
    """Pupils currently on SEN support at ``setting``, with the day their SEN support began."""
    periods = (
        SENStatusPeriod.objects.filter(
            status=SENProvision.SEN_SUPPORT, end_date__isnull=True, pupil__in=Pupil.objects.enrolled_in(setting)
        )
        .select_related("pupil")
        .order_by("pupil_id")
    )
    return [(period.pupil, period.start_date) for period in periods]


def _cycle_starts(rng: random.Random, since: date, latest_start: date) -> list[date]:
    wanted = rng.choice([1, 2, 2, 3, 3])
    starts = [latest_start]
    while len(starts) < wanted:
        earlier = _school_day(starts[0] - timedelta(days=rng.randint(84, 112)))
        if earlier < since:
            break
        starts.insert(0, earlier)
    return starts


class _Writer:
    def __init__(self, rng: random.Random, actor: Actor, staff: dict[str, User]) -> None:
        self.rng, self.actor, self.staff = rng, actor, staff
        self.counts: Counter[str] = Counter()

    def plan(self, cycle: Cycle, area: str, agreed: date, review_date: date) -> Cycle:
        rng = self.rng
        services.update_assessment(
            actor=self.actor, cycle=cycle, expected_version=cycle.version,
            changes={
                "analysis_by_area": {area: "Progress is slower than peers from the same starting point; "
                                           "difficulties are seen across lessons and at home."},
                "parents_views": rng.choice(["Worried about friendships.", "Keen to help with reading at home.",
                                             "Wants more notice of changes to routine."]),
                "pupil_views": rng.choice(["I like working with Miss in the small room.", "Reading is hard.",
                                           "I want to play with the others."]),
            },
        )  # fmt: skip
        existing = cycle.outcomes.count()
        choices = [o for o in OUTCOMES[area] if o[0] not in set(cycle.outcomes.values_list("description", flat=True))]
        for description, measure, baseline, target in rng.sample(choices, min(len(choices), max(0, 3 - existing))):
            services.save_outcome(
                actor=self.actor, cycle=cycle, expected_version=_version(cycle),
                data={"description": description, "measure": measure, "baseline": baseline, "target": target,
                      "by_when": review_date, "area": area},
            )  # fmt: skip
        if not cycle.provisions.exists():
            for kind, description, sessions, minutes, group, role in rng.sample(PROVISION[area], 2):
                services.save_provision(
                    actor=self.actor, cycle=cycle, expected_version=_version(cycle),
                    data={"kind": kind, "description": description, "sessions_per_week": sessions,
                          "minutes_per_session": minutes, "group_size": group, "delivered_by_role": role,
                          "staff_role": STAFF_ROLE_FOR_COSTS.get(role, ""),
                          "delivered_by": self.staff.get(role), "location": "Small-group room" if sessions else "",
                          "starts_on": agreed, "ends_on": None,
                          "expected_impact": "Closes the gap with peers by the review."},
                )  # fmt: skip
        services.agree_plan(
            actor=self.actor, cycle=cycle, plan_agreed_on=agreed, review_date=review_date,
            parents_notified_on=agreed, parents_notified_how=rng.choice(NotificationMethod.values),
            expected_version=_version(cycle),
        )  # fmt: skip
        self.counts["cycles"] += 1
        return cycle

    def sessions(self, cycle: Cycle, until: date, *, typed_from: date) -> None:
        """Sessions up to ``until``: those from ``typed_from`` logged one by one through the
        service, as staff would; earlier ones stored in one batch per provision."""
        rng = self.rng
        for provision in Provision.objects.filter(cycle=cycle, sessions_per_week__isnull=False).order_by("id"):
            weekdays = sorted(rng.sample(range(5), min(5, provision.sessions_per_week or 1)))
            day = max(provision.starts_on or cycle.started_on, cycle.plan_agreed_on or cycle.started_on)
            made = []
            while day <= until:
                if day.weekday() in weekdays:
                    missed = rng.random() < 0.12
                    values = {
                        "status": DeliveryStatus.MISSED if missed else DeliveryStatus.DELIVERED,
                        "missed_reason": rng.choice(MissedReason.values) if missed else "",
                    }
                    made.append((day, values))
                day += timedelta(days=1)
            batch = [(on, values) for on, values in made if on < typed_from]
            if batch:
                by = self.staff.get(provision.delivered_by_role) or self.actor.user
                DeliveryRecord.objects.bulk_create(
                    DeliveryRecord(provision=provision, on=on, recorded_by=by, **values) for on, values in batch
                )
                record(self.actor, AuditAction.CREATE, object_type="support.deliveryrecord",
                       pupil_id=cycle.pupil_id, description=f"Demo data: {len(batch)} sessions")  # fmt: skip
            user = self.staff.get(provision.delivered_by_role)
            actor = self.actor
            if user is not None:
                actor = Actor(user=user, role=Role.TEACHING_ASSISTANT, setting_id=self.actor.setting_id)
            for on, values in made[len(batch) :]:
                reviews.log_delivery(actor=actor, provision=provision, on=on, **values)
            self.counts["sessions"] += len(made)

    def review(self, cycle: Cycle, held_on: date) -> None:
        rng = self.rng
        ratings = {o.pk: {"rating": rng.choice(RATINGS), "measure_now": "Improving", "evidence": "Teacher assessment"}
                   for o in cycle.outcomes.order_by("position")}  # fmt: skip
        judgements = {p.pk: {"judgement": rng.choice(JUDGEMENTS), "note": ""} for p in cycle.provisions.order_by("id")}
        reviews.record_review(
            actor=self.actor, cycle=cycle, expected_version=_version(cycle), outcome_ratings=ratings,
            provision_judgements=judgements,
            review={"held_on": held_on, "decision": ReviewDecision.ANOTHER_CYCLE,
                    "parents_views_on_progress": "Pleased with progress in reading.",
                    "pupil_views_on_progress": "I can do more on my own now.", "notes": ""},
        )  # fmt: skip
        self.counts["reviews"] += 1


def _version(cycle: Cycle) -> int:
    cycle.refresh_from_db()
    return cycle.version


def _staff(setting: Setting) -> tuple[Actor, dict[str, User]]:
    memberships = {m.role: m.user for m in Membership.objects.filter(setting=setting).select_related("user")}
    senco = memberships[Role.SENCO]
    staff = {
        "Teaching assistant": memberships.get(Role.TEACHING_ASSISTANT),
        "Class teacher": memberships.get(Role.TEACHER),
    }
    return Actor(user=senco, role=Role.SENCO, setting_id=setting.pk), {k: v for k, v in staff.items() if v}


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    rng = random.Random(SEED + 2)  # noqa: S311 - repeatable demo data, not security
    counts: Counter[str] = Counter()
    due_soon = overdue = 0
    for name, share in SETTINGS:
        setting = Setting.objects.filter(name=name).first()
        if setting is None:
            continue
        actor, staff = _staff(setting)
        writer = _Writer(rng, actor, staff)
        for pupil, since in _pupils(setting):
            if rng.random() > share:
                continue
            first, last_possible = LATEST_CYCLE_STARTS
            latest_start = _school_day(first + timedelta(days=rng.randint(0, (last_possible - first).days)))
            latest_start = max(latest_start, since)
            if latest_start > LATEST_EVENT - timedelta(days=14):
                continue
            starts = _cycle_starts(rng, since, latest_start)
            area = _area(pupil)
            for index, start in enumerate(starts):
                cycle = services.start_cycle(actor=actor, pupil=pupil, setting=setting, started_on=start)
                agreed = _school_day(start + timedelta(days=rng.randint(3, 9)))
                last = index == len(starts) - 1
                if not last:
                    review_date = _school_day(starts[index + 1] - timedelta(days=rng.randint(1, 7)))
                elif due_soon < 3 and rng.random() < 0.3:
                    review_date, due_soon = LATEST_EVENT + timedelta(days=rng.randint(1, 14)), due_soon + 1
                elif overdue < 2 and rng.random() < 0.2:
                    review_date, overdue = LATEST_EVENT - timedelta(days=rng.randint(2, 10)), overdue + 1
                else:
                    review_date = agreed + timedelta(weeks=rng.randint(10, 12))
                review_date = max(review_date, agreed + timedelta(days=14))
                writer.plan(cycle, area, agreed, review_date)
                if last:
                    writer.sessions(cycle, LATEST_EVENT, typed_from=LATEST_EVENT - timedelta(days=14))
                    for user in (staff.get("Teaching assistant"), staff.get("Class teacher")):
                        if user and pupil.staff_links.filter(user=user).exists() and rng.random() < 0.7:
                            role = Role.TEACHING_ASSISTANT if user == staff.get("Teaching assistant") else Role.TEACHER
                            reader = Actor(user=user, role=role, setting_id=setting.pk)
                            reviews.acknowledge_plan(actor=reader, cycle=cycle)
                            counts["acknowledgements"] += 1
                else:
                    writer.sessions(cycle, review_date, typed_from=review_date + timedelta(days=1))
                    writer.review(cycle, review_date)
        counts.update(writer.counts)
    return {
        "support cycles": counts["cycles"],
        "cycle reviews": counts["reviews"],
        "sessions logged": counts["sessions"],
        "plans read by staff": counts["acknowledgements"],
    }
