"""Demo services directories and referrals.

Northshire's directory has eleven services and Southborough's three, with invented text, e-mail
addresses at example.org and telephone numbers from Ofcom's drama range (01632 960xxx). At Millbeck
Primary School, pupils on SEN support with a support cycle are referred in every state: not yet
referred (consent awaited), waiting, accepted, seen, and reports received with advice and two or
three recommendations, some put in place and linked to a provision of the pupil's current cycle.

Deterministic: fixed text and dates, pupils in id order. Idempotent: a directory that has services,
and a setting that has referrals, are left alone. Everything goes through the services, as the
demo LA admin and SENCO would type it.
"""

from datetime import date, timedelta
from typing import Any

from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Membership, Role, Setting
from graduated.pupils.models import Pupil
from graduated.specialists import services
from graduated.specialists.models import ConsentBy, Referral, Service, ServiceKind
from graduated.support.models import CycleStatus, Provision

MILLBECK_URN = "146208"
K = ServiceKind
ALL_PHASES = ("early_years", "primary", "secondary", "post_16")
SCHOOL_AGE = ("primary", "secondary")


def _service(kind: str, name: str, offer: str, who: str, criteria: str, phases: tuple[str, ...], n: int,
             slug: str, address: str = "") -> dict[str, Any]:  # fmt: skip
    return {
        "kind": kind, "name": name, "offer": offer, "who_may_refer": who, "criteria": criteria,
        **{f"serves_{phase}": phase in phases for phase in ALL_PHASES},
        "email": f"{slug}@example.org", "phone": f"01632 960{n:03d}", "website": f"https://example.org/{slug}",
        "address": address, "is_active": True,
    }  # fmt: skip


NORTHSHIRE = [
    _service(K.EDUCATIONAL_PSYCHOLOGY, "Northshire Educational Psychology Service",
             "Consultation with staff and parents, assessment of learning and development, advice for plans, "
             "training on attachment, precision teaching and emotion coaching.",
             "SENCOs, with the consent of the parent (or the young person, 16+).",
             "Two reviewed APDR cycles showing little progress despite well-matched support.",
             ALL_PHASES, 101, "northshire-eps", "County Hall, Market Street, Northshire NS1 4AB"),
    _service(K.SPECIALIST_TEACHING, "Learning Support Team (cognition and learning)",
             "Specialist teachers assess literacy and numeracy difficulties, model interventions and advise on "
             "assessment for dyslexia and dyscalculia.",
             "SENCOs of maintained schools and academies that buy the service.",
             "Attainment well below age-related expectations after at least one reviewed cycle of targeted teaching.",
             SCHOOL_AGE, 102, "northshire-lst"),
    _service(K.SPECIALIST_TEACHING, "Autism Outreach Team",
             "Advice and training for settings supporting autistic pupils, whether or not diagnosed: sensory "
             "audits, visual structure, transition planning.",
             "SENCOs and early years settings' named SEN leads.",
             "Social communication needs affecting access to learning; a diagnosis is not required.",
             ALL_PHASES, 103, "northshire-autism-outreach"),
    _service(K.SPEECH_AND_LANGUAGE, "Children's Speech and Language Therapy (Northshire Community Health)",
             "Assessment of speech, language and communication; programmes for staff to deliver; training in "
             "language-rich classrooms.",
             "Settings, health visitors, GPs and parents.",
             "Needs beyond what Talk Boost or a setting's own language programme can meet.",
             ("early_years", "primary", "secondary"), 104, "northshire-salt"),
    _service(K.OCCUPATIONAL_THERAPY, "Children's Occupational Therapy",
             "Assessment of motor skills, handwriting, sensory processing and self-care; equipment advice.",
             "SENCOs and health professionals, with the parent's consent.",
             "Difficulties with everyday tasks despite a school-based motor skills programme for a term.",
             SCHOOL_AGE, 105, "northshire-ot"),
    _service(K.PHYSIOTHERAPY, "Children's Physiotherapy",
             "Assessment and programmes for gross motor difficulties; advice on access, seating and PE.",
             "GPs, paediatricians and SENCOs.",
             "A physical difficulty affecting mobility or safety at school.",
             ALL_PHASES, 106, "northshire-physio"),
    _service(K.SCHOOL_HEALTH, "School Nursing Service",
             "Health assessments, continence and sleep advice, care plans for medical needs, drop-ins in secondary "
             "schools.", "Anyone, including pupils themselves.", "",
             ("primary", "secondary", "post_16"), 107, "northshire-school-nursing"),
    _service(K.PRU_OUTREACH, "Ridgeway Pupil Referral Unit outreach",
             "Advice on behaviour and inclusion, short-term direct work with pupils at risk of exclusion, "
             "reintegration plans.", "Head teachers and SENCOs.",
             "A pupil at risk of suspension or permanent exclusion, with a pastoral support plan in place.",
             SCHOOL_AGE, 108, "ridgeway-outreach", "Ridgeway Centre, Mill Lane, Northshire NS3 2CD"),
    _service(K.SENDIASS, "Northshire SENDIASS",
             "Free, impartial and confidential information, advice and support for parents and young people about "
             "SEND, including EHC needs assessments and appeals.",
             "Parents and young people themselves; settings may signpost.", "",
             ALL_PHASES, 109, "northshire-sendiass"),
    _service(K.MENTAL_HEALTH, "Mental Health Support Team and CAMHS",
             "Low-intensity support for anxiety and low mood in school; consultation for staff; CAMHS assessment "
             "for more complex needs.", "SENCOs and designated mental health leads, GPs.",
             "Mental health needs affecting daily life for more than a few weeks.",
             ("primary", "secondary", "post_16"), 110, "northshire-mhst"),
    _service(K.SOCIAL_CARE, "Early Help and Children's Social Care front door",
             "Early help assessments and family support; referrals to children's social care where a child may "
             "be in need or at risk.", "Anyone; settings through the designated safeguarding lead.",
             "Use the threshold guidance; an immediate risk is a call to the police.",
             ALL_PHASES, 111, "northshire-early-help"),
]  # fmt: skip

SOUTHBOROUGH = [
    _service(K.EDUCATIONAL_PSYCHOLOGY, "Southborough Educational Psychology",
             "Consultation, assessment and training traded to schools.", "SENCOs, with parental consent.",
             "Agreed at the school's planning meeting with the link psychologist.",
             ALL_PHASES, 201, "southborough-eps"),
    _service(K.SPEECH_AND_LANGUAGE, "Southborough Speech and Language Therapy",
             "Assessment and therapy programmes.", "Settings and parents.", "",
             ("early_years", "primary"), 202, "southborough-salt"),
    _service(K.SENDIASS, "Southborough SENDIASS", "Impartial advice for families about SEND.",
             "Parents and young people.", "", ALL_PHASES, 203, "southborough-sendiass"),
]  # fmt: skip

# (service name, reason, referred on, accepted on, seen on, report on, advice, recommendations)
# A recommendation is (text, "in_place" | "not" | "", reason if not).
EP, SALT, LST = NORTHSHIRE[0]["name"], NORTHSHIRE[3]["name"], NORTHSHIRE[1]["name"]
Day = date | None
REFERRALS: list[tuple[str, str, Day, Day, Day, Day, str, list[tuple[str, str, str]]]] = [
    (EP, "Little progress in reading and attention after two cycles of precision teaching.",
     date(2026, 3, 9), date(2026, 3, 23), date(2026, 5, 11), date(2026, 6, 8),
     "Working memory is a relative weakness; phonics knowledge is secure but not yet fluent. Learns best with "
     "short, frequent practice and visual supports.",
     [("Precision teaching of high-frequency words, three times a week for ten minutes.", "in_place", ""),
      ("A visual timetable and task boards in class.", "in_place", ""),
      ("Assess again for dyslexia in Year 4.", "", "")]),
    (SALT, "Limited expressive vocabulary; not understood by unfamiliar adults.",
     date(2026, 1, 19), date(2026, 2, 2), date(2026, 4, 20), date(2026, 5, 18),
     "Expressive language at about two years below age; speech sounds developing in the usual order.",
     [("Small-group vocabulary teaching before each new topic.", "in_place", ""),
      ("Weekly one-to-one sessions with a speech and language therapy assistant.", "not",
       "The service has no assistant time for the school this year; the SENCO asked again in September.")]),
    (LST, "Number sense well below peers despite a term of small-group maths.",
     date(2026, 9, 14), date(2026, 9, 21), date(2026, 10, 19), None, "", []),
    (NORTHSHIRE[4]["name"], "Handwriting slow and effortful; struggles with fastenings after PE.",
     date(2026, 6, 15), date(2026, 7, 6), None, None, "", []),
    (NORTHSHIRE[2]["name"], "Distress at transitions and in the dining hall; parents ask for advice.",
     date(2026, 10, 5), None, None, None, "", []),
    (EP, "Attainment falling behind across the curriculum since Year 2.",
     date(2026, 9, 28), None, None, None, "", []),
    (NORTHSHIRE[6]["name"], "Toileting accidents at school; parents would like a continence assessment.",
     None, None, None, None, "", []),
]  # fmt: skip


def _actor(organisation: Setting | LocalAuthority, role: Role) -> Actor:
    field = "setting" if isinstance(organisation, Setting) else "local_authority"
    member = Membership.objects.filter(**{field: organisation}, role=role).select_related("user").order_by("id").first()
    return Actor(
        user=member.user if member else None, role=role,
        setting_id=organisation.pk if isinstance(organisation, Setting) else None,
        local_authority_id=organisation.pk if isinstance(organisation, LocalAuthority) else None,
    )  # fmt: skip


def _directory(la: LocalAuthority, entries: list[dict[str, Any]]) -> int:
    if Service.objects.filter(local_authority=la).exists():
        return 0
    actor = _actor(la, Role.LA_ADMIN)
    for details in entries:
        services.add_service(actor=actor, la=la, details=details)
    return len(entries)


def _pupils_with_open_cycles(setting: Setting) -> list[Pupil]:
    ids = (
        Provision.objects.filter(cycle__setting=setting)
        .exclude(cycle__status=CycleStatus.CLOSED)
        .values_list("cycle__pupil_id", flat=True)
        .distinct()
        .order_by("cycle__pupil_id")
    )
    return list(Pupil.objects.filter(pk__in=list(ids)).order_by("id"))


def _current_provisions(pupil: Pupil) -> list[Provision]:
    return list(Provision.objects.filter(cycle__pupil=pupil).exclude(cycle__status=CycleStatus.CLOSED).order_by("id"))


def _referrals(setting: Setting) -> int:
    if Referral.objects.filter(setting=setting).exists():
        return 0
    actor = _actor(setting, Role.SENCO)
    directory = {service.name: service for service in Service.objects.filter(local_authority=setting.local_authority)}
    pupils = _pupils_with_open_cycles(setting)
    for pupil, row in zip(pupils, REFERRALS, strict=False):
        name, reason, referred, accepted, seen, report, advice, recommendations = row
        consent_on = referred - timedelta(days=7) if referred else None
        details = {
            "reason": reason, "consent_by": ConsentBy.PARENT if referred else ConsentBy.NOT_YET,
            "consent_on": consent_on, "referred_on": referred, "accepted_on": accepted, "seen_on": seen,
            "report_received_on": report, "advice": advice,
        }  # fmt: skip
        referral = services.create_referral(
            actor=actor, pupil=pupil, setting=setting, service=directory[name], details=details
        )
        provisions = _current_provisions(pupil)
        for text, decision, why_not in recommendations:
            recommendation = services.add_recommendation(actor=actor, referral=referral, text=text)
            if decision == "in_place" and provisions:
                provision = provisions.pop(0)
            elif decision == "not":
                provision = None
            else:
                continue
            services.decide_recommendation(
                actor=actor, recommendation=recommendation, put_in_place=provision is not None, provision=provision,
                reason=why_not or "No provision in the current plan yet.",
                decided_on=(report or seen or date(2026, 11, 2)) + timedelta(days=14),
                expected_version=recommendation.version,
            )  # fmt: skip
    return min(len(pupils), len(REFERRALS))


def load_demo_data() -> dict[str, int]:
    counts: dict[str, int] = {}
    for la_name, entries in [("Northshire", NORTHSHIRE), ("Southborough", SOUTHBOROUGH)]:
        la = LocalAuthority.objects.filter(name=la_name).first()
        if la is not None:
            counts[f"services in {la_name}'s directory"] = _directory(la, entries)
    millbeck = Setting.objects.filter(urn=MILLBECK_URN).first()
    if millbeck is not None:
        counts["referrals at Millbeck"] = _referrals(millbeck)
    return counts
