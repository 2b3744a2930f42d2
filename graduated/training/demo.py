"""The demo LAs' training offers, their settings' staff's training, and awareness confirmations.

Northshire offers ten courses and Southborough eight, across the four broad areas of need (the
courses and providers are invented). Each member of staff of the LAs' settings gets two or three
completed courses, some with a refresh date that has passed; the linked staff of every other pupil
on the SEN register have confirmed they have read the pupil's needs. Deterministic, and
idempotent: an LA that already has courses, and a setting that already has training records, are
left alone. Everything goes through the services, as the LA admin and the SENCO would type it.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Membership, Role, Setting
from graduated.pupils.codes import ON_REGISTER, BroadArea
from graduated.pupils.models import SENStatusPeriod, StaffLink
from graduated.training import services
from graduated.training.models import Audience, Course, CourseFormat, TrainingRecord, WhatRead

CI, CL, SEMH, SP = (
    BroadArea.COMMUNICATION_INTERACTION,
    BroadArea.COGNITION_LEARNING,
    BroadArea.SEMH,
    BroadArea.SENSORY_PHYSICAL,
)
T, TA, SENCO, ALL, EY = (
    Audience.TEACHERS, Audience.TEACHING_ASSISTANTS, Audience.SENCOS, Audience.ALL_STAFF, Audience.EARLY_YEARS,
)  # fmt: skip
F2F, ONLINE, IN_SCHOOL = CourseFormat.FACE_TO_FACE, CourseFormat.ONLINE, CourseFormat.IN_SCHOOL


def _course(
    title: str, description: str, provider: str, fmt: str, hours: str, areas: list[str], audiences: list[str]
) -> dict[str, Any]:
    return {
        "title": title, "description": description, "provider": provider, "format": fmt, "hours": Decimal(hours),
        "areas": areas, "audiences": audiences,
    }  # fmt: skip


NORTHSHIRE = [
    _course("Understanding autism: the first steps", "What autism is, how it can show in the classroom, and simple "
            "adjustments to the environment and routines that help.", "Northshire Autism Outreach Team", F2F, "3",
            [CI], [T, TA, EY]),
    _course("Speech, language and communication in the early years", "Spotting early language difficulties and "
            "building talk into play; when to refer to speech and language therapy.", "Northshire Speech and "
            "Language Therapy", F2F, "2.5", [CI], [EY, TA]),
    _course("Precision teaching for reading and spelling", "Setting up short daily precision teaching sessions, "
            "measuring fluency and deciding when to move on.", "Northshire Educational Psychology Service", IN_SCHOOL,
            "2", [CL], [TA, T]),
    _course("Dyslexia-friendly classrooms", "Recognising specific learning difficulties and adapting teaching, "
            "resources and assessment so that every pupil can show what they know.", "Northshire Learning Support "
            "Service", ONLINE, "1.5", [CL], [T, TA]),
    _course("Emotion coaching", "A relational approach to behaviour: naming feelings, setting limits and "
            "problem-solving together.", "Northshire Educational Psychology Service", F2F, "3", [SEMH], [ALL]),
    _course("Trauma-informed practice", "How adverse childhood experiences affect learning and behaviour, and "
            "what a trauma-informed school does differently.", "Northshire Virtual School", F2F, "6", [SEMH],
            [ALL]),
    _course("Supporting pupils with hearing impairment", "Radio aids, seating, lighting and checking "
            "understanding; working with the Qualified Teacher of the Deaf.", "Northshire Sensory Support Service",
            IN_SCHOOL, "1.5", [SP], [T, TA]),
    _course("Moving and handling for pupils with physical needs", "Safe moving and handling, care plans and "
            "keeping pupils' dignity; a practical session.", "Northshire Physical Disability Outreach", F2F, "4",
            [SP], [TA, EY]),
    _course("The SENCO's role in the graduated approach", "Running assess, plan, do, review well: writing "
            "outcomes, reviewing with families and building evidence over time.", "Northshire SEND Team", ONLINE,
            "2", [CI, CL, SEMH, SP], [SENCO]),
    _course("Adaptive teaching for all learners", "Quality first teaching that reduces barriers for pupils with "
            "SEND: scaffolds, chunking and checking for understanding.", "Northshire School Improvement", ONLINE,
            "1", [CI, CL, SEMH, SP], [ALL]),
]  # fmt: skip

SOUTHBOROUGH = [
    _course("Autism and sensory needs in school", "Understanding sensory differences and making calm spaces, "
            "visual timetables and predictable routines.", "Southborough Communication and Autism Team", F2F, "3",
            [CI, SP], [T, TA]),
    _course("Talk Boost", "A targeted language intervention for pupils with delayed language, delivered in "
            "small groups.", "Southborough Speech and Language Therapy", IN_SCHOOL, "4", [CI], [TA]),
    _course("Numeracy difficulties and dyscalculia", "Spotting number difficulties early and using concrete "
            "resources and small steps.", "Southborough Learning Support", ONLINE, "1.5", [CL], [T, TA]),
    _course("Memory and working memory in the classroom", "What working memory is and how to reduce the load "
            "on pupils who struggle to hold information.", "Southborough Educational Psychology", ONLINE, "1",
            [CL], [ALL]),
    _course("Anxiety in children and young people", "Recognising anxiety, helping pupils to manage it in school, "
            "and when to involve mental health services.", "Southborough Mental Health Support Team", F2F, "2.5",
            [SEMH], [ALL]),
    _course("Zones of Regulation", "Teaching pupils to recognise and regulate their emotions with a shared "
            "language across the school.", "Southborough Inclusion Hub", IN_SCHOOL, "2", [SEMH], [T, TA, EY]),
    _course("Visual impairment awareness", "Modified materials, lighting and mobility; working with the "
            "Qualified Teacher of Vision Impairment.", "Southborough Sensory Service", F2F, "2", [SP], [ALL]),
    _course("Writing SEN support plans with families", "Person-centred outcomes, the family's voice and "
            "reviewing plans three times a year.", "Southborough SEND Team", ONLINE, "2", [CI, CL, SEMH, SP],
            [SENCO]),
]  # fmt: skip

OFFERS = {"Northshire": NORTHSHIRE, "Southborough": SOUTHBOROUGH}
# (course index, completed on, refresh by): each member of staff gets the first two or three, shifted
# by their place in the list, so that staff have different training. Refresh dates in the past are expired.
COMPLETIONS = [
    (date(2024, 1, 17), date(2025, 1, 17)),
    (date(2025, 3, 5), None),
    (date(2025, 10, 8), date(2027, 10, 8)),
]


def _admin(la: LocalAuthority) -> Actor:
    admin = Membership.objects.filter(local_authority=la, role=Role.LA_ADMIN).select_related("user").order_by("id")
    first = admin.first()
    return Actor(user=first.user if first else None, role=Role.LA_ADMIN, local_authority_id=la.pk)


def _member_actor(membership: Membership) -> Actor:
    return Actor(user=membership.user, role=membership.role, setting_id=membership.setting_id)


def _senco(setting: Setting, staff: list[Membership]) -> Actor:
    lead = next((m for m in staff if m.role == Role.SENCO), None)
    return _member_actor(lead) if lead else Actor(user=None, role=Role.SENCO, setting_id=setting.pk)


def _train_staff(setting: Setting, courses: list[Course]) -> tuple[int, int]:
    staff = list(Membership.objects.people().filter(setting=setting).select_related("user").order_by("id"))
    if not staff or not courses or TrainingRecord.objects.filter(setting=setting).exists():
        return 0, 0
    senco, records = _senco(setting, staff), 0
    for place, membership in enumerate(staff):
        for step, (completed_on, expires_on) in enumerate(COMPLETIONS[: 2 + place % 2]):
            course = courses[(place * 3 + step * 4) % len(courses)]
            if TrainingRecord.objects.filter(setting=setting, user=membership.user, course=course).exists():
                continue
            details = {"course": course, "own_title": "", "own_areas": [], "completed_on": completed_on,
                       "expires_on": expires_on, "note": ""}  # fmt: skip
            services.record_training(actor=senco, setting=setting, user=membership.user, details=details)
            records += 1
    if staff:
        details = {"course": None, "own_title": "Whole-school SEND update (INSET day)", "own_areas": [],
                   "completed_on": date(2025, 9, 1), "expires_on": None, "note": "Led by the SENCO."}  # fmt: skip
        services.record_training(actor=senco, setting=setting, user=staff[0].user, details=details)
        records += 1
    return records, _confirm_awareness(setting, {m.user_id: m for m in staff})


def _confirm_awareness(setting: Setting, members: dict[int, Membership]) -> int:
    on_register = SENStatusPeriod.objects.filter(end_date__isnull=True, status__in=ON_REGISTER).values("pupil_id")
    links = (
        StaffLink.objects.filter(setting=setting, pupil_id__in=on_register, user_id__in=list(members))
        .select_related("pupil", "user")
        .order_by("pupil_id", "id")
    )
    confirmed = 0
    for place, link in enumerate(links):
        if place % 2:
            continue  # every other link has not confirmed yet, for the SENCO's list
        what = [WhatRead.ALL, WhatRead.PROFILE, WhatRead.SEN_SUPPORT_PLAN][place % 3]
        services.confirm_awareness(
            actor=_member_actor(members[link.user_id]), pupil=link.pupil, setting=setting, user=link.user,
            what_read=what,
        )  # fmt: skip
        confirmed += 1
    return confirmed


def load_demo_data() -> dict[str, int]:
    added = records = confirmations = 0
    for name, offer in OFFERS.items():
        la = LocalAuthority.objects.filter(name=name).order_by("id").first()
        if la is None:
            continue
        if not Course.objects.filter(local_authority=la).exists():
            actor = _admin(la)
            for details in offer:
                services.add_course(actor=actor, local_authority=la, details=details)
                added += 1
        courses = list(Course.objects.filter(local_authority=la, offered=True).order_by("id"))
        for setting in Setting.objects.filter(local_authority=la).order_by("id"):
            made, confirmed = _train_staff(setting, courses)
            records, confirmations = records + made, confirmations + confirmed
    return {"training courses": added, "staff training records": records, "awareness confirmations": confirmations}
