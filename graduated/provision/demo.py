"""Demo data for provision mapping: Northshire's shared catalogue of twenty interventions across the
four broad areas of need, adopted (and in two cases adapted) by Millbeck Primary School, which also
runs two of its own; and Northshire's school term dates for last year, this year and next, by which
the demo's costs count teaching weeks. Deterministic: fixed content, no randomness.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Setting
from graduated.provision import demo_groups, services, term_services
from graduated.provision.models import HalfTerm

NORTHSHIRE_CODE = "860"
MILLBECK_URN = "146208"

# name, areas, tier, evidence, role, group, sessions a week, minutes, weeks, resources £,
# measure (name, unit, kind) or None, description
SHARED = [
    ("Precision teaching", ["CL"], "targeted", "strong", "teaching_assistant", 1, 5, 10, 10, "0",
     ("Words read correctly in one minute", "words", "raw"),
     "A few minutes a day practising a small set of words or facts until they are fluent, timed and charted."),
    ("Phonics catch-up group", ["CL"], "targeted", "strong", "teaching_assistant", 4, 4, 20, 12, "60",
     ("Phonics screening check", "marks out of 40", "raw"),
     "Short, fast-paced sessions revisiting the sounds a pupil has not secured, with decodable books."),
    ("Paired reading", ["CL"], "targeted", "moderate", "teaching_assistant", 2, 3, 15, 10, "0",
     ("Reading age", "months", "age_equivalent"),
     "An adult and pupil read together, the adult stepping back when the pupil signals they want to read alone."),
    ("Number fact fluency", ["CL"], "targeted", "moderate", "teaching_assistant", 3, 3, 15, 8, "25",
     ("Number facts recalled in two minutes", "facts", "raw"),
     "Daily practice of addition and multiplication facts with concrete resources first, then recall games."),
    ("Maths recap with concrete resources", ["CL"], "targeted", "moderate", "teacher", 6, 2, 30, 10, "80",
     ("Standardised maths score", "standard score", "standardised"),
     "Small-group teaching that revisits place value and calculation with apparatus before pictures and numbers."),
    ("Memory strategies group", ["CL"], "targeted", "emerging", "teaching_assistant", 4, 2, 20, 6, "0",
     None, "Teaching pupils to rehearse, chunk and picture information, and to use the strategies in lessons."),
    ("Vocabulary pre-teaching", ["CI", "CL"], "universal", "strong", "teacher", 6, 2, 15, 12, "0",
     None, "The key words of the next topic taught before the lesson, with pictures, meanings and use in sentences."),
    ("Speech sound practice", ["CI"], "specialist", "strong", "teaching_assistant", 1, 3, 10, 10, "0",
     ("Target sounds said correctly in words", "per cent", "raw"),
     "Short practice of the sounds set by the speech and language therapist, following their programme."),
    ("Narrative group", ["CI"], "targeted", "moderate", "teaching_assistant", 4, 2, 30, 10, "40",
     ("Story retell score", "points", "raw"),
     "Pupils learn who, where, when, what happened and how it ended, then tell and retell stories with visual cues."),
    ("Attention and listening group", ["CI"], "targeted", "moderate", "teaching_assistant", 6, 2, 20, 8, "20",
     None, "Games that build looking, listening, waiting and turn-taking, for younger pupils."),
    ("Social communication group", ["CI", "SEMH"], "targeted", "moderate", "teaching_assistant", 4, 1, 45, 10, "30",
     None, "Structured group play around a shared building task, each pupil with a role, to practise communication."),
    ("Visual timetable and now-and-next", ["CI"], "universal", "moderate", "teacher", 30, 5, 5, 39, "10",
     None, "The day shown in pictures, with a now-and-next board for pupils who need the next step made clear."),
    ("Emotional literacy sessions", ["SEMH"], "targeted", "moderate", "teaching_assistant", 1, 1, 30, 6, "0",
     ("Strengths and difficulties questionnaire", "total difficulties", "raw"),
     "One-to-one sessions naming feelings, noticing them in the body and planning what helps."),
    ("Check-in and check-out mentoring", ["SEMH"], "targeted", "moderate", "teaching_assistant", 1, 5, 10, 12, "0",
     None, "A named adult greets the pupil each morning and reviews the day with them before home time."),
    ("Anxiety management group", ["SEMH"], "targeted", "emerging", "teaching_assistant", 5, 1, 40, 8, "15",
     ("Anxiety rating scale", "points", "raw"),
     "Small-group sessions on recognising worry and using calming and problem-solving strategies."),
    ("Self-regulation teaching", ["SEMH"], "universal", "emerging", "teacher", 30, 1, 20, 12, "0",
     None, "Whole-class teaching of how we feel and what we can do about it, with a shared colour language."),
    ("Social stories", ["SEMH", "CI"], "targeted", "emerging", "teacher", 1, 3, 10, 4, "0",
     None, "Short personalised stories that describe a situation, what usually happens and what the pupil can do."),
    ("Sensory circuit", ["SP"], "targeted", "emerging", "teaching_assistant", 6, 5, 15, 12, "120",
     None, "A short sequence of alerting, organising and calming movement activities before the school day starts."),
    ("Handwriting and fine motor group", ["SP"], "targeted", "moderate", "teaching_assistant", 4, 3, 20, 10, "45",
     ("Letters written legibly in one minute", "letters", "raw"),
     "Hand strength, pencil grip and letter formation practice, with the occupational therapist's advice."),
    ("Touch-typing programme", ["SP", "CL"], "specialist", "moderate", "teaching_assistant", 2, 3, 20, 12, "30",
     ("Typing speed", "words a minute", "raw"),
     "An online course with an adult checking progress, for pupils for whom handwriting is a barrier."),
]  # fmt: skip

# Millbeck adopted most of the shared items, adapted two, and runs two of its own.
NOT_ADOPTED = {"Touch-typing programme", "Memory strategies group", "Sensory circuit", "Narrative group",
               "Attention and listening group", "Visual timetable and now-and-next", "Self-regulation teaching",
               "Anxiety management group"}  # fmt: skip
ADAPTED = {"Paired reading": {"sessions_per_week": 4}, "Precision teaching": {"typical_weeks": 8}}
OWN = [
    ("Lunchtime club", ["SEMH", "CI"], "targeted", "none", "teaching_assistant", 8, 4, 30, 39, "50", None,
     "A quiet indoor club at lunchtime with board games and construction, for pupils who find the playground hard."),
    ("Reading buddies", ["CL"], "universal", "emerging", "teacher", 2, 1, 20, 39, "0", None,
     "Year 6 pupils read with younger pupils once a week, trained and supported by the class teacher."),
]  # fmt: skip


# Northshire's half terms (first and last day, autumn 1 to summer 2), each year 195 days (training
# days included): 39.0 teaching weeks. The holidays between them are the ones demo_groups' registers
# skip; the early May bank holiday falls inside summer 1, counted as the 195 days count it.
TERM_DATES = {
    2025: [
        (date(2025, 9, 4), date(2025, 10, 24)), (date(2025, 11, 3), date(2025, 12, 19)),
        (date(2026, 1, 5), date(2026, 2, 13)), (date(2026, 2, 23), date(2026, 3, 27)),
        (date(2026, 4, 13), date(2026, 5, 22)), (date(2026, 6, 1), date(2026, 7, 22)),
    ],
    2026: [
        (date(2026, 9, 3), date(2026, 10, 23)), (date(2026, 11, 2), date(2026, 12, 18)),
        (date(2027, 1, 4), date(2027, 2, 12)), (date(2027, 2, 22), date(2027, 3, 25)),
        (date(2027, 4, 12), date(2027, 5, 28)), (date(2027, 6, 7), date(2027, 7, 22)),
    ],
    2027: [
        (date(2027, 9, 2), date(2027, 10, 22)), (date(2027, 11, 1), date(2027, 12, 17)),
        (date(2028, 1, 4), date(2028, 2, 11)), (date(2028, 2, 21), date(2028, 4, 7)),
        (date(2028, 4, 24), date(2028, 5, 26)), (date(2028, 6, 5), date(2028, 7, 20)),
    ],
}  # fmt: skip

LOWER_IS_BETTER = {"Strengths and difficulties questionnaire", "Anxiety rating scale"}


def _details(row: tuple[Any, ...]) -> dict[str, object]:
    name, areas, tier, strength, role, group, sessions, minutes, weeks, cost, measure, description = row
    details: dict[str, object] = {
        "name": name, "description": description, "areas": areas, "tier": tier, "evidence_strength": strength,
        "delivered_by_role": role, "group_size": group, "sessions_per_week": sessions, "minutes_per_session": minutes,
        "typical_weeks": weeks, "resources_cost": Decimal(cost),
    }  # fmt: skip
    if measure:
        details.update(measure_name=measure[0], measure_unit=measure[1], measure_kind=measure[2])
        # Fewer difficulties, or less anxiety, is the progress these two measures look for.
        details["higher_is_better"] = measure[0] not in LOWER_IS_BETTER
    return details


def load_demo_data() -> dict[str, int]:
    northshire = LocalAuthority.objects.filter(code=NORTHSHIRE_CODE).first()
    millbeck = Setting.objects.filter(urn=MILLBECK_URN).first()
    if northshire is None or millbeck is None:
        return {}
    actor = Actor.system("demo")
    shared = [services.add_item(actor=actor, owner=northshire, details=_details(row)) for row in SHARED]
    adopted = 0
    for item in shared:
        if item.name in NOT_ADOPTED:
            continue
        copy = services.adopt_item(actor=actor, setting=millbeck, shared=item)
        adopted += 1
        if item.name in ADAPTED:
            details = {name: getattr(copy, name) for name in services.COPIED_FIELDS} | ADAPTED[item.name]
            services.update_item(actor=actor, item=copy, details=details, expected_version=copy.version)
    for row in OWN:
        services.add_item(actor=actor, owner=millbeck, details=_details(row))
    for year, blocks in TERM_DATES.items():
        term_services.save_term_dates(
            actor=actor, local_authority=northshire, year_starting=year,
            blocks=dict(zip(HalfTerm.values, blocks, strict=True)), expected_version=0,
        )  # fmt: skip
    made = {
        "interventions shared by the LA": len(shared), "interventions in Millbeck's catalogue": adopted + len(OWN),
        "years of school term dates": len(TERM_DATES),
    }  # fmt: skip
    return made | demo_groups.load_demo_data()  # staff costs, SEN budgets, groups with registers and scores
