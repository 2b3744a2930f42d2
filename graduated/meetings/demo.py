"""Demo meetings for pupils on the SEN register (K or E): parents, staff and professionals, with actions.

Deterministic: one ``random.Random(SEED)``, pupils in id order, fixed dates. Each pupil gets 0–4
meetings since 1 September 2026 (so some are short of the three parent meetings the Code expects)
and up to two from 2025/26. As of 13 November 2026 some actions are done, some open, some overdue.
Everything goes through the services, recorded by the setting's demo SENCO, so the chronology
and the audit trail match.
"""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta

from graduated.audit.services import Actor
from graduated.demo.names import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES
from graduated.meetings import services
from graduated.meetings.models import AttendeeKind, MeetingKind
from graduated.organisations.models import Membership, Role
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment, Pupil, SENStatusPeriod, StaffLink

SEED = 6065  # Code of Practice 6.65
LATEST_EVENT = date(2026, 11, 13)  # as the base demo: nothing happens after this day
THIS_YEAR = (date(2026, 9, 7), LATEST_EVENT)
LAST_YEAR = (date(2025, 9, 8), date(2026, 7, 17))

PROFESSIONALS = [
    ("Dr Helen Marsh", "Educational psychologist"),
    ("Priya Shah", "Speech and language therapist"),
    ("Mark Ellis", "Specialist teacher, cognition and learning"),
    ("Sophie Turner", "Occupational therapist"),
    ("Joe Brennan", "School nurse"),
    ("Amina Yusuf", "Mental health support team practitioner"),
]
RELATIONSHIPS = [("Mother", FEMALE_FIRST_NAMES), ("Father", MALE_FIRST_NAMES), ("Carer", FEMALE_FIRST_NAMES)]
DISCUSSED = {
    MeetingKind.PARENT: [
        "Talked through how {name} has settled this term. Parents see the same worries at home with "
        "homework; agreed to try a visual timetable in both places.",
        "Shared the latest reading assessment. Parents asked about extra help; agreed a daily ten-minute "
        "phonics session and a home reading record.",
    ],
    MeetingKind.REVIEW: [
        "Reviewed the outcomes from the last cycle with {name}'s parents: good progress with the first, "
        "the second not yet met. Agreed to carry it forward with more small-group time.",
        "Review of support: the social skills group is helping at break times. Next cycle to focus on writing stamina.",
    ],
    MeetingKind.PERSON_CENTRED: [
        "{name} shared what is working (quiet start to the day, movement breaks) and what is hard "
        "(busy corridors). The one-page profile will be updated with these.",
    ],
    MeetingKind.PROFESSIONALS: [
        "Professionals met to share assessments. Recommendations to be written into the next plan; "
        "parents to be told the outcome at the next review.",
    ],
}
ACTIONS = [
    "Send home the visual timetable",
    "Share the reading assessment results with parents",
    "Refer to the speech and language therapy service",
    "Update the one-page profile",
    "Set up a daily check-in with a trusted adult",
    "Arrange the next review meeting",
    "Send the educational psychologist's report to parents",
    "Try a writing slope and pencil grip in class",
]


def _weekday(rng: random.Random, earliest: date, latest: date) -> date:
    span = (latest - earliest).days
    day = earliest + timedelta(days=rng.randint(0, max(span, 0)))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return max(day, earliest)


def _dates(rng: random.Random, window: tuple[date, date], count: int) -> list[date]:
    # One meeting a day at most: the services take the same meeting twice on one day as a double submit.
    return sorted({_weekday(rng, *window) for _ in range(count)})


def load_demo_data() -> dict[str, int]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    on_register = SENStatusPeriod.objects.current().filter(status__in=[SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN])
    enrolments = {
        e.pupil_id: e
        for e in Enrolment.objects.current(LATEST_EVENT)
        .filter(pupil_id__in=on_register.values("pupil_id"))
        .select_related("setting")
        .order_by("pupil_id", "start_date")
    }
    sencos = {
        m.setting_id: Actor(user=m.user, role=Role.SENCO, setting_id=m.setting_id)
        for m in Membership.objects.filter(role=Role.SENCO, setting__isnull=False).select_related("user").order_by("pk")
    }
    teachers: defaultdict[int, list[StaffLink]] = defaultdict(list)
    for link in StaffLink.objects.filter(pupil_id__in=enrolments).select_related("user").order_by("pk"):
        teachers[link.pupil_id].append(link)
    counts: Counter[str] = Counter()
    for pupil in Pupil.objects.filter(pk__in=enrolments).order_by("pk"):
        enrolment = enrolments[pupil.pk]
        actor = sencos.get(enrolment.setting_id) or Actor.system("demo")
        windows = []
        if enrolment.start_date <= LAST_YEAR[0]:
            windows += [(held, False) for held in _dates(rng, LAST_YEAR, rng.choice([0, 1, 2, 2]))]
        start = max(THIS_YEAR[0], enrolment.start_date)
        if start <= THIS_YEAR[1]:
            windows += [(held, True) for held in _dates(rng, (start, THIS_YEAR[1]), rng.choice([0, 1, 2, 2, 3, 3, 4]))]
        for held_on, this_year in windows:
            _write_meeting(rng, pupil, actor, held_on, this_year, teachers[pupil.pk], counts)
    return {
        "meetings": counts["meetings"],
        "meeting attendees": counts["attendees"],
        "meeting actions": counts["actions"],
        "meeting actions overdue": counts["overdue"],
    }


def _write_meeting(
    rng: random.Random,
    pupil: Pupil,
    actor: Actor,
    held_on: date,
    this_year: bool,
    links: list[StaffLink],
    counts: Counter[str],
) -> None:
    kind = rng.choices(list(DISCUSSED), weights=[5, 4, 1, 1])[0]
    people = []
    if actor.user is not None:
        people.append(services.AttendeeData(AttendeeKind.STAFF, actor.user.full_name, "SENCO", actor.user))
    if links and rng.random() < 0.7:
        link = links[0]
        people.append(
            services.AttendeeData(AttendeeKind.STAFF, link.user.full_name, link.get_relationship_display(), link.user)
        )
    # Professionals' meetings mostly go ahead without the family; the rest mostly have a parent there.
    if rng.random() < (0.25 if kind == MeetingKind.PROFESSIONALS else 0.85):
        relationship, first_names = rng.choice(RELATIONSHIPS)
        parent = f"{rng.choice(first_names)} {pupil.legal_last_name}"
        people.append(services.AttendeeData(AttendeeKind.PARENT, parent, relationship))
    if kind in (MeetingKind.PROFESSIONALS, MeetingKind.REVIEW) and rng.random() < 0.6:
        people.append(services.AttendeeData(AttendeeKind.PROFESSIONAL, *rng.choice(PROFESSIONALS)))
    if kind == MeetingKind.PERSON_CENTRED or rng.random() < 0.15:
        people.append(services.AttendeeData(AttendeeKind.PUPIL, pupil.display_name, "The pupil"))
    owners = [p.name for p in people if p.kind != AttendeeKind.PUPIL] or ["SENCO"]
    actions = [
        services.ActionData(
            description=text,
            owner_name=rng.choice(owners),
            due_on=held_on + timedelta(days=rng.randint(7, 42)),
        )
        for text in rng.sample(ACTIONS, rng.choice([0, 1, 1, 2, 3]))
    ]
    meeting = services.record_meeting(
        actor=actor,
        pupil=pupil,
        kind=kind,
        held_on=held_on,
        discussed=rng.choice(DISCUSSED[kind]).format(name=pupil.first_name),
        attendees=people,
        actions=actions,
        today=LATEST_EVENT,
    )
    counts["meetings"] += 1
    counts["attendees"] += len(people)
    counts["actions"] += len(actions)
    has_parent = any(p.kind == AttendeeKind.PARENT for p in people)
    if has_parent and rng.random() < 0.7:
        shared_on = min(held_on + timedelta(days=rng.randint(1, 5)), LATEST_EVENT)
        services.mark_shared_with_parents(actor=actor, meeting=meeting, shared_on=shared_on, today=LATEST_EVENT)
    for action in meeting.actions.order_by("pk"):
        action.meeting = meeting
        # Last year's actions are all done; this year's are done about half the time once due.
        finished = not this_year or (action.due_on <= LATEST_EVENT and rng.random() < 0.5)
        if finished:
            done_on = min(action.due_on - timedelta(days=rng.randint(0, 5)), LATEST_EVENT)
            services.complete_action(actor=actor, action=action, done_on=max(done_on, held_on), today=LATEST_EVENT)
        elif action.due_on < LATEST_EVENT:
            counts["overdue"] += 1
