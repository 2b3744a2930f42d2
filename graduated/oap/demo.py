"""Demo ordinarily available provision for Northshire and Southborough, written for the demo from
general good practice (not copied from any LA): twelve expectations in four themes, and six
strategies for each broad area of need at each level. Then a few of the demo's concerns and plans
linked to strategies, and self-reviews from some settings for this academic year (one complete,
one in draft, per LA).

Idempotent: an LA that already has an OAP version is left alone, and links and reviews that exist
are not made twice. Everything goes through the services, as the people would do it.
"""

from datetime import date
from typing import Any

from django.utils import timezone

from graduated.audit.services import Actor
from graduated.oap import selectors, services
from graduated.oap.models import ConcernStrategy, Level, OAPVersion, ProvisionStrategy, Rating, SelfReview
from graduated.organisations.models import LocalAuthority, Membership, Role, Setting
from graduated.pathway.models import Concern
from graduated.pupils.year_groups import academic_year_start
from graduated.support.models import Cycle, CycleStatus

IN_FORCE_FROM = date(2025, 9, 1)
QFT, SEN = Level.QUALITY_FIRST.value, Level.SEN_SUPPORT.value

EXPECTATIONS = [  # (theme, title, what it looks like)
    ("Knowing the pupils", "Staff know which pupils are on the SEN register and their needs",
     "Class and subject staff can name the pupils with SEN they teach, their main needs and the strategies that help."),
    ("Knowing the pupils", "Pupils' one-page profiles are shared with everyone who works with them",
     "Profiles are up to date, in the pupil's words where possible, and read by supply and support staff too."),
    ("Knowing the pupils", "Progress of every pupil is checked each term",
     "Pupil progress meetings look at every pupil and raise concerns early, before gaps widen."),
    ("Teaching and the classroom", "Teaching is adapted so every pupil can take part",
     "Lessons are planned with scaffolds, visual support and chunked tasks from the start, not added afterwards."),
    ("Teaching and the classroom", "Classrooms are calm, predictable and accessible",
     "Routines are taught and displayed; clutter and noise are kept down; seating takes account of need."),
    ("Teaching and the classroom", "Adults deployed in class add to teaching",
     "Teaching assistants know the lesson's aims and the pupils' targets; they are not a pupil's only adult."),
    ("Working with families", "Parents and carers are met at least three times a year",
     "Families of pupils on SEN support agree the plan, hear how it is going and take part in reviews."),
    ("Working with families", "Pupils' own views shape their support",
     "Pupils are asked what helps and what does not, in a way that suits them, before each review."),
    ("Working with families", "Families know where to get advice",
     "The SEN information report and the local offer are easy to find; families are told about SENDIASS."),
    ("Leadership and training", "The SENCO has time and support to lead SEN provision",
     "The SENCO's time is protected and they report to leaders and governors on SEN provision and its impact."),
    ("Leadership and training", "Staff are trained for the needs in their classes",
     "A yearly training plan covers the needs staff meet most, with follow-up in class."),
    ("Leadership and training", "Support is recorded and its impact reviewed",
     "Interventions have a start, an end and a measure; the provision map shows what is running and what it achieves."),
]  # fmt: skip

STRATEGIES = {  # area -> level -> [(title, what staff do)]
    "CI": {
        QFT: [
            ("Visual timetable", "Show the day's sequence with pictures or words, and point to it before each change."),
            (
                "Chunked instructions",
                "Give one instruction at a time, in the order it is done, and check it is understood.",
            ),
            (
                "Key vocabulary displayed",
                "Display and use the topic's key words with pictures, and model them in sentences.",
            ),
            ("Processing time", "Wait at least ten seconds after a question before repeating or rephrasing it."),
            ("Now and next board", "Show what is happening now and what comes next, to ease changes of activity."),
            ("Name before instruction", "Say the pupil's name to gain attention before giving an instruction."),
        ],
        SEN: [
            (
                "Pre-teaching vocabulary",
                "Teach the key words of the next topic in a short small-group session beforehand.",
            ),
            (
                "Social stories",
                "Use a short personalised story to explain a situation the pupil finds hard and what to do.",
            ),
            (
                "Language group",
                "A small group, three times a week, working on understanding and using spoken language.",
            ),
            (
                "Visual prompts for routines",
                "A personal strip of pictures for routines such as arriving or changing for PE.",
            ),
            (
                "Structured play or talk partners",
                "Adult-led games or talk tasks with clear turns, to practise interaction.",
            ),
            (
                "Communication passport",
                "A short document, shared with all staff, about how the pupil communicates best.",
            ),
        ],
    },
    "CL": {
        QFT: [
            ("Chunked tasks", "Break longer tasks into short steps, with a checklist the pupil ticks off."),
            (
                "Worked examples and modelling",
                "Show a complete example and think aloud before the pupil tries one alone.",
            ),
            (
                "Concrete resources",
                "Offer apparatus, number lines and manipulatives in every maths lesson, at any age.",
            ),
            (
                "Word mats and writing frames",
                "Give topic word mats and sentence starters so writing is not held back by spelling.",
            ),
            ("Retrieval practice", "Short low-stakes quizzes on earlier learning at the start of lessons."),
            ("Reduced copying", "Provide printed notes or board photos instead of copying from the board."),
        ],
        SEN: [
            ("Precision teaching", "Daily five-minute sessions on a small set of words or facts, timed and charted."),
            (
                "Small-group phonics catch-up",
                "A structured phonics programme in a small group, four or five times a week.",
            ),
            (
                "Pre-teaching of maths concepts",
                "Introduce the next maths concept with concrete resources before the class lesson.",
            ),
            ("Overlearning", "Revisit new learning in short bursts across the week until it is secure."),
            ("Reading fluency programme", "Paired or repeated reading with an adult, three times a week."),
            ("Assistive technology", "Text-to-speech, speech-to-text or a reading pen for access to the curriculum."),
        ],
    },
    "SEMH": {
        QFT: [
            ("Meet and greet", "A named adult greets the pupil warmly at the door each morning."),
            ("Movement breaks", "Build short planned movement breaks into lessons, for the whole class."),
            (
                "Calm, consistent routines",
                "Use the same routines and language for transitions and behaviour every day.",
            ),
            ("Praise for effort", "Specific, private praise for effort and for what the pupil did well."),
            ("Warning before change", "Give a two-minute warning before an activity ends or changes."),
            ("Emotion check-ins", "A quick whole-class check-in on feelings at the start of the day or after break."),
        ],
        SEN: [
            ("Key adult", "A named adult who checks in with the pupil at set points each day."),
            ("Calm space", "An agreed quiet place the pupil can go to, with a card to ask, and a plan for returning."),
            (
                "Emotional literacy sessions",
                "Weekly small-group or individual sessions on naming and managing feelings.",
            ),
            (
                "Zones of regulation",
                "Teach a shared language for feelings, with strategies the pupil chooses for each zone.",
            ),
            (
                "Structured unstructured times",
                "Lunchtime clubs or planned games so break times have shape and an adult.",
            ),
            (
                "Individual support plan for behaviour",
                "A short plan, agreed with the family, of triggers, signs and responses.",
            ),
        ],
    },
    "SP": {
        QFT: [
            (
                "Seating near the front",
                "Seat the pupil where they see and hear the teacher best, away from noise and glare.",
            ),
            ("Enlarged or clear print", "Give worksheets in a larger font with good contrast and little clutter."),
            ("Face the class when speaking", "Keep your face visible and avoid talking while writing on the board."),
            ("Fine motor warm-ups", "Short hand and finger exercises before writing, for the whole class."),
            ("Sensory-aware classroom", "Reduce background noise and strong smells; offer ear defenders or a fidget."),
            ("Extra time", "Allow extra time to move between rooms and to finish written work."),
        ],
        SEN: [
            ("Writing slope and pencil grips", "Provide a writing slope and the grip that suits the pupil."),
            ("Touch typing programme", "Short daily practice so the pupil can record work on a keyboard."),
            (
                "Motor skills group",
                "A small group, twice a week, for gross and fine motor skills, planned with therapy advice.",
            ),
            (
                "Radio aid or soundfield",
                "Use the pupil's radio aid or a soundfield system as advised by the specialist teacher.",
            ),
            ("Sensory diet", "Planned sensory activities through the day, as advised by an occupational therapist."),
            ("Modified PE and practical lessons", "Adapt equipment and activities so the pupil takes part safely."),
        ],
    },
}


def _admin(la: LocalAuthority) -> Actor:
    first = (
        Membership.objects.filter(local_authority=la, role=Role.LA_ADMIN).select_related("user").order_by("id").first()
    )
    return Actor(user=first.user if first else None, role=Role.LA_ADMIN, local_authority_id=la.pk)


def _senco(setting: Setting) -> Actor:
    first = Membership.objects.filter(setting=setting, role=Role.SENCO).select_related("user").order_by("id").first()
    return Actor(user=first.user if first else None, role=Role.SENCO, setting_id=setting.pk)


def _publish(la: LocalAuthority) -> OAPVersion:
    actor = _admin(la)
    draft, _ = services.start_draft(actor=actor, local_authority=la)
    expectations = [{"theme": theme, "title": title, "description": text} for theme, title, text in EXPECTATIONS]
    services.add_items(
        actor=actor, version=draft, kind="expectations", items=expectations, expected_version=draft.version
    )
    strategies = [
        {"area": area, "level": level, "title": title, "description": text}
        for area, levels in STRATEGIES.items()
        for level, items in levels.items()
        for title, text in items
    ]
    services.add_items(actor=actor, version=draft, kind="strategies", items=strategies, expected_version=draft.version)
    return services.publish(
        actor=actor, version=draft, effective_from=IN_FORCE_FROM, expected_version=draft.version,
        change_note=f"{la.name}'s first ordinarily available provision.",
    )  # fmt: skip


def _link_concerns(la: LocalAuthority, version: OAPVersion) -> int:
    """Two of the LA's concerns record the first QFT strategy of each of their areas as tried."""
    made = 0
    strategies = list(version.strategies.filter(level=QFT).order_by("area", "position"))
    concerns = Concern.objects.filter(pupil__enrolments__setting__local_authority=la).distinct().order_by("id")
    for concern in concerns[:2]:
        if ConcernStrategy.objects.filter(concern=concern).exists():
            continue
        chosen = [next(s for s in strategies if s.area == area) for area in concern.areas if area in STRATEGIES]
        setting = Setting.objects.filter(enrolments__pupil=concern.pupil, local_authority=la).order_by("id").first()
        if setting is None or not chosen:
            continue
        made += len(
            services.link_concern_strategies(actor=_senco(setting), concern=concern, setting=setting, strategies=chosen)
        )
    return made


def _link_plans(la: LocalAuthority, version: OAPVersion) -> int:
    """Two of the LA's open cycles get an SEN support strategy for their first outcome's area."""
    made = 0
    cycles = (
        Cycle.objects.filter(setting__local_authority=la).exclude(status=CycleStatus.CLOSED).select_related("setting")
    )
    for cycle in cycles.order_by("id")[:2]:
        area = cycle.outcomes.order_by("position").values_list("area", flat=True).first()
        strategy = version.strategies.filter(area=area or "CL", level=SEN).order_by("position").first()
        if strategy is None or ProvisionStrategy.objects.filter(cycle=cycle, strategy=strategy).exists():
            continue
        services.add_strategy_to_plan(
            actor=_senco(cycle.setting), cycle=cycle, strategy=strategy, expected_version=cycle.version
        )
        made += 1
    return made


def _self_reviews(la: LocalAuthority, version: OAPVersion, year: int) -> int:
    """The LA's first setting has completed this year's review; its second has one in draft."""
    made = 0
    expectations = list(version.expectations.all())
    ratings = [Rating.MET, Rating.MET, Rating.PARTLY, Rating.MET, Rating.NOT_YET, Rating.PARTLY]
    for index, setting in enumerate(Setting.objects.filter(local_authority=la).order_by("name", "id")[:2]):
        if SelfReview.objects.filter(setting=setting, academic_year=year).exists():
            continue
        complete = index == 0
        answers: dict[int, tuple[str, str]] = {}
        for n, expectation in enumerate(expectations if complete else expectations[:5]):
            rating = ratings[n % len(ratings)]
            note = "" if rating == Rating.MET else "Planned for the spring term: training and a check in class."
            answers[expectation.pk] = (rating, note)
        services.save_self_review(
            actor=_senco(setting), setting=setting, academic_year=year, version=version, answers=answers,
            expected_version=0, complete=complete,
        )  # fmt: skip
        made += 1
    return made


def load_demo_data() -> dict[str, Any]:
    counts = {"OAP versions": 0, "OAP strategies linked": 0, "OAP self-reviews": 0}
    year = academic_year_start(timezone.localdate())
    for name in ("Northshire", "Southborough"):
        la = LocalAuthority.objects.filter(name=name).order_by("id").first()
        if la is None:
            continue
        if not OAPVersion.objects.filter(local_authority=la).exists():
            _publish(la)
            counts["OAP versions"] += 1
        version = selectors.in_force(la, timezone.localdate())
        if version is None:
            continue
        counts["OAP strategies linked"] += _link_concerns(la, version) + _link_plans(la, version)
        counts["OAP self-reviews"] += _self_reviews(la, version, year)
    return counts
