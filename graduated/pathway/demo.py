"""Demo data for the pathway: stage histories that follow each pupil's census statuses, and about
fifteen concerns with a mix of decisions (a few still open for the demo SENCO at Millbeck).

Runs after the base demo (graduated/demo/data.py), through the services, deterministically: fixed
dates (nothing after 13 November 2026), a seeded random.Random and ordered querysets.
"""

import random
from datetime import date, timedelta

from graduated.accounts.models import User
from graduated.audit.services import Actor
from graduated.organisations.models import Membership, Role, Setting
from graduated.pathway import services
from graduated.pathway.models import Concern, Decision, StageKey
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment, Pupil

SEED = 20261113
LAST_DAY = date(2026, 11, 13)
MILLBECK_URN = "146208"
DEMO_TEACHER = "teacher.primary@example.org"

STAGE_OF_STATUS = {
    SENProvision.SEN_SUPPORT.value: StageKey.SEN_SUPPORT,
    SENProvision.EHC_PLAN.value: StageKey.EHC_PLAN,
    SENProvision.NO_SEN.value: StageKey.QUALITY_FIRST_TEACHING,
}

CONCERNS = [  # (areas, what is seen, already tried, parents' view)
    (["CL"], "Reading age about two years below her age; avoids reading aloud and copies from a partner.",
     "Daily phonics catch-up in a small group, coloured overlays, word mats.", "Mum has noticed the same at home."),
    (["CI"], "Struggles to follow instructions with more than one step; answers questions off the point.",
     "Instructions chunked and shown visually; a now-and-next board.", ""),
    (["SEMH"], "Frequent upsets at unstructured times; has left the classroom three times this half term.",
     "A calm corner, a named adult at playtime, a warning before transitions.",
     "Dad says he is anxious about coming to school in the mornings."),
    (["CL", "CI"], "Maths well below peers; not retaining number facts from one week to the next.",
     "Concrete apparatus, pre-teaching of vocabulary, extra practice in guided group.", ""),
    (["SP"], "Squints at the board and loses her place when copying; tires quickly when writing.",
     "Seated near the front, enlarged worksheets, a writing slope.", "Parents booked an eye test."),
    (["SEMH", "CI"], "Finds group work very hard; conflicts with peers most days.",
     "Structured roles in group tasks, social stories, a buddy.", ""),
]  # fmt: skip


def _actors() -> dict[int, Actor]:
    """Each setting's demo SENCO, so the records show who made them."""
    memberships = Membership.objects.filter(role=Role.SENCO, setting__isnull=False).select_related("user")
    actors: dict[int, Actor] = {}
    for m in memberships.order_by("setting_id", "id"):
        assert m.setting_id is not None
        actors.setdefault(m.setting_id, Actor(user=m.user, role=Role.SENCO, setting_id=m.setting_id))
    return actors


def _latest_enrolments() -> dict[int, Enrolment]:
    latest: dict[int, Enrolment] = {}
    for enrolment in Enrolment.objects.order_by("pupil_id", "start_date", "id"):
        latest[enrolment.pupil_id] = enrolment
    return latest


def _planned_stages(rng: random.Random, pupil: Pupil) -> list[tuple[str, date, str]]:
    """Follow the pupil's census statuses: K is SEN support, E an EHC plan (after a request), N after
    either is back to Quality First Teaching; some pupils on SEN support have specialists involved."""
    periods = sorted(pupil.sen_statuses.all(), key=lambda p: (p.start_date, p.pk))
    planned: list[tuple[str, date, str]] = []

    def move(key: str, on: date, reason: str = "") -> None:
        last_key, last_on = (planned[-1][0], planned[-1][1]) if planned else (StageKey.QUALITY_FIRST_TEACHING, None)
        if last_key != key and (last_on is None or on > last_on):
            planned.append((key, on, reason))

    for period in periods:
        key = STAGE_OF_STATUS.get(period.status)
        if key is None:
            continue
        if key == StageKey.EHC_PLAN and planned:
            requested = period.start_date - timedelta(days=rng.randint(126, 150))
            move(StageKey.EHC_ASSESSMENT_REQUESTED, requested, "Parents and school agreed to ask the LA")
        move(key, period.start_date)
    latest = periods[-1] if periods else None
    if latest and latest.status == SENProvision.SEN_SUPPORT and rng.random() < 0.3:
        involved = latest.start_date + timedelta(days=rng.randint(90, 300))
        if involved < LAST_DAY:
            move(StageKey.SPECIALIST_INVOLVEMENT, involved, "Advice from a specialist teacher")
            plan_on = involved + timedelta(days=rng.randint(120, 240))
            if rng.random() < 0.3 and plan_on < LAST_DAY:
                move(StageKey.MY_SUPPORT_PLAN, plan_on, "Person-centred planning meeting")
    return planned


def _stage_histories(rng: random.Random, actors: dict[int, Actor], enrolments: dict[int, Enrolment]) -> int:
    made = 0
    pupils = Pupil.objects.filter(pk__in=enrolments).prefetch_related("sen_statuses").order_by("pk")
    for pupil in pupils:
        actor = actors[enrolments[pupil.pk].setting_id]
        for key, on, reason in _planned_stages(rng, pupil):
            services.change_stage(actor=actor, pupil=pupil, stage_key=key, start_date=on, reason=reason)
            made += 1
    return made


def _raise(rng: random.Random, actor: Actor, pupil: Pupil, raised_on: date) -> Concern:
    areas, seen, tried, parents = CONCERNS[rng.randrange(len(CONCERNS))]
    return services.raise_concern(
        actor=actor, pupil=pupil, raised_on=raised_on, areas=areas, what_is_seen=seen, already_tried=tried,
        parents_view=parents,
    )  # fmt: skip


def _concerns(rng: random.Random, actors: dict[int, Actor], enrolments: dict[int, Enrolment]) -> dict[str, int]:
    millbeck = Setting.objects.get(urn=MILLBECK_URN)
    senco = actors[millbeck.pk]
    teacher_user = User.objects.filter(email=DEMO_TEACHER).first()
    teacher = Actor(user=teacher_user, role=Role.TEACHER, setting_id=millbeck.pk) if teacher_user else senco
    current = Enrolment.objects.current(LAST_DAY)
    no_sen = list(
        Pupil.objects.filter(pk__in=current.filter(setting=millbeck).values("pupil_id"))
        .filter(sen_statuses__end_date__isnull=True, sen_statuses__status=SENProvision.NO_SEN)
        .order_by("pk")
    )
    rng.shuffle(no_sen)
    counts = {"open": 0, "monitor": 0, "no_further_action": 0, "start_sen_support": 0}

    # Open, waiting for the SENCO: raised by the class teacher this half term.
    for number, pupil in enumerate(no_sen[:4]):
        _raise(rng, teacher, pupil, date(2026, 11, 2) + timedelta(days=3 * number))
        counts["open"] += 1
    # Being monitored: the look-again dates have come, so they are on the SENCO's list.
    for number, pupil in enumerate(no_sen[4:7]):
        concern = _raise(rng, teacher, pupil, date(2026, 9, 14) + timedelta(days=7 * number))
        services.decide_concern(
            actor=senco, concern=concern, decision=Decision.MONITOR, decided_on=concern.raised_on + timedelta(days=4),
            note="Keep the adjustments going for half a term and look again with the class teacher.",
            look_again_on=date(2026, 11, 2) + timedelta(days=4 * number),
        )  # fmt: skip
        counts["monitor"] += 1
    # Looked at and closed.
    for number, pupil in enumerate(no_sen[7:10]):
        concern = _raise(rng, teacher, pupil, date(2026, 6, 8) + timedelta(days=10 * number))
        services.decide_concern(
            actor=senco, concern=concern, decision=Decision.NO_FURTHER_ACTION,
            decided_on=concern.raised_on + timedelta(days=7),
            note="Progress has picked up with the class adjustments; no special provision needed.",
        )  # fmt: skip
        counts["no_further_action"] += 1
    # The concerns that led to SEN support for pupils now on K, decided the day K started.
    on_k = list(
        Pupil.objects.filter(pk__in=current.filter(setting__phase__in=["primary", "secondary"]).values("pupil_id"))
        .filter(sen_statuses__end_date__isnull=True, sen_statuses__status=SENProvision.SEN_SUPPORT)
        .prefetch_related("sen_statuses")
        .order_by("pk")
    )
    for pupil in rng.sample(on_k, min(5, len(on_k))):
        started = next(p.start_date for p in pupil.sen_statuses.all() if p.end_date is None)
        actor = actors[enrolments[pupil.pk].setting_id]
        concern = _raise(rng, actor, pupil, started - timedelta(days=rng.randint(21, 42)))
        services.decide_concern(
            actor=actor, concern=concern, decision=Decision.START_SEN_SUPPORT, decided_on=started,
            note="Less than expected progress despite adjustments; parents agreed SEN support.",
            parents_notified_on=started - timedelta(days=rng.randint(0, 3)),
        )  # fmt: skip
        counts["start_sen_support"] += 1
    return counts


def load_demo_data() -> dict[str, int]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    actors = _actors()
    enrolments = _latest_enrolments()
    changes = _stage_histories(rng, actors, enrolments)
    concerns = _concerns(rng, actors, enrolments)
    return {
        "stage changes": changes,
        "concerns": sum(concerns.values()),
        "open concerns": concerns["open"],
        "concerns being monitored": concerns["monitor"],
    }
