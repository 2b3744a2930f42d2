"""Demo PCP meetings and My Support Plans at Millbeck Primary School.

Two pupils on the SEN register (the first two by id, so the choice is the same every time):
the first with two PCP meetings and two plan versions (agreed in March, reviewed in October
2026); the second with one meeting and one version whose review falls due on 27 November 2026,
just after the demo's last day, so that it shows on the review list. Deterministic (fixed dates
and text) and idempotent (a pupil who already has a plan is left alone). Everything goes
through the services, as the demo SENCO would type it.
"""

from dataclasses import replace
from datetime import date

from graduated.audit.services import Actor
from graduated.meetings.models import AttendeeKind, Meeting
from graduated.meetings.services import ActionData, AttendeeData
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.models import Enrolment, Pupil, SENStatusPeriod
from graduated.statutory.models import LookedAfter, MySupportPlan, OutcomeData, PlanContent, default_next_review
from graduated.statutory.plan_selectors import prefill_from_record
from graduated.statutory.plan_services import PcpHeadings, record_pcp_meeting, save_plan

MILLBECK_URN = "146208"

HEADINGS = PcpHeadings(
    whats_working="Reading with a grown-up every day; the visual timetable; a job to do at the start of the day.",
    whats_not_working="Lunchtimes in the hall are too loud. Long carpet times. Changes without warning.",
    important_to="My family and my dog. Drawing and building. Knowing what is happening next.",
    important_for="A quiet place to calm down. Being warned about changes. Help to join in games at playtime.",
    views_sent_by="Speech and language therapist (written report)",
)


def _senco(setting: Setting) -> Actor:
    senco = Membership.objects.filter(setting=setting, role=Role.SENCO).select_related("user").order_by("id").first()
    return Actor(user=senco.user if senco else None, role=Role.SENCO, setting_id=setting.pk)


def _meeting(actor: Actor, pupil: Pupil, held_on: date, agreed: str) -> Meeting:
    people = [
        AttendeeData(kind=AttendeeKind.PUPIL, name=pupil.first_name),
        AttendeeData(kind=AttendeeKind.PARENT, name=f"Ms {pupil.last_name}", role_or_relationship="mother"),
        AttendeeData(
            kind=AttendeeKind.PROFESSIONAL, name="Dr Amara Shah", role_or_relationship="educational psychologist"
        ),
    ]
    if actor.user is not None:
        people.append(
            AttendeeData(
                kind=AttendeeKind.STAFF, name=actor.user.full_name, role_or_relationship="SENCO", user=actor.user
            )
        )
    actions = [ActionData(description="Share the plan with all staff who teach the pupil", owner_name="SENCO",
                          owner_user=actor.user, due_on=held_on)]  # fmt: skip
    return record_pcp_meeting(
        actor=actor, pupil=pupil, held_on=held_on, agreed=agreed, headings=HEADINGS, attendees=people, actions=actions
    )


def _first_content(pupil: Pupil, meeting: Meeting, agreed_on: date) -> PlanContent:
    record = prefill_from_record(pupil)
    due = default_next_review(agreed_on)
    return PlanContent.build(
        looked_after=LookedAfter.NO,
        meeting_id=meeting.pk,
        views="I like school when I know what is happening. I find it hard when it is noisy.",
        interests="Drawing, building with Lego, my dog.",
        hopes="I want to be a vet. I want to have more friends to play with.",
        important_to_and_for_me=HEADINGS.important_to + " " + HEADINGS.important_for,
        family_history="Lives with Mum and an older brother. Moved to Millbeck in Year 1.",
        people_who_matter="Mum, my brother, Grandad, my teaching assistant.",
        needs=record["needs"] or "Communication and interaction: finds language and busy places hard.",
        attainment_and_progress="Working towards the expected standard in reading and writing; secure in number.",
        provision=record["provision"] or "Visual timetable; small-group language teaching three times a week.",
        learning_history="On SEN support since Reception; two support cycles reviewed.",
        health_needs="None known.",
        supporting_advice="Educational psychologist: keep language short and visual; plan for changes.",
        outcomes=(
            OutcomeData("Ask an adult for help using my help card", "Class teacher and teaching assistant", due),
            OutcomeData("Play a game with two friends at lunchtime", "Lunchtime supervisor", due),
        ),
    )  # fmt: skip


def _one_pupil(actor: Actor, setting: Setting, pupil: Pupil, *, reviewed: bool) -> int:
    first_met, first_agreed = (
        (date(2026, 3, 9), date(2026, 3, 16)) if reviewed else (date(2026, 9, 14), date(2026, 9, 21))
    )
    meeting = _meeting(actor, pupil, first_met, "Agreed the pupil's first My Support Plan and two outcomes.")
    content = _first_content(pupil, meeting, first_agreed)
    review_on = None if reviewed else date(2026, 11, 27)
    save_plan(actor=actor, pupil=pupil, setting=setting, expected_version=0, content=content,
              agreed_on=first_agreed, next_review_on=review_on)  # fmt: skip
    if not reviewed:
        return 1
    review = _meeting(actor, pupil, date(2026, 10, 5), "Reviewed the plan: one outcome met, one carried on, one new.")
    text = content.text
    text.update(
        staff_contribution="Now asks for help most lessons with the help card; still finds lunchtimes hard.",
        parent_contribution="Happier coming to school; still tired and upset after busy days.",
        pupil_contribution="I like my help card. Lunch is still too loud.",
        attainment_and_progress="Reading now close to the expected standard; writing still working towards.",
    )
    newer = replace(
        content,
        texts=tuple(text.items()),
        meeting_id=review.pk,
        outcomes=(
            OutcomeData("Play a game with two friends at lunchtime", "Lunchtime supervisor", date(2027, 2, 12)),
            OutcomeData("Write three sentences on my own", "Class teacher", date(2027, 2, 12)),
        ),
    )
    save_plan(
        actor=actor, pupil=pupil, setting=setting, expected_version=1, content=newer, agreed_on=date(2026, 10, 12)
    )
    return 2


def load_demo_data() -> dict[str, int]:
    setting = Setting.objects.filter(urn=MILLBECK_URN).first()
    if setting is None:
        return {}
    enrolled = Enrolment.objects.current().filter(setting=setting).values("pupil_id")
    on_register = SENStatusPeriod.objects.current().filter(status__in=["K", "E"]).values("pupil_id")
    pupils = list(Pupil.objects.filter(pk__in=enrolled).filter(pk__in=on_register).order_by("id")[:2])
    if not pupils or MySupportPlan.objects.filter(pupil__in=pupils).exists():
        return {"My Support Plan versions at Millbeck": 0}
    actor = _senco(setting)
    versions = 0
    for pupil, reviewed in zip(pupils, (True, False), strict=False):
        versions += _one_pupil(actor, setting, pupil, reviewed=reviewed)
    return {"My Support Plan versions at Millbeck": versions}
