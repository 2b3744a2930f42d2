"""PCP meetings and My Support Plans made through the services, as a SENCO would."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.meetings.models import AttendeeKind, Meeting
from graduated.meetings.services import ActionData, AttendeeData
from graduated.pupils.models import Pupil
from graduated.statutory.models import LookedAfter, OutcomeData, PlanContent
from graduated.statutory.plan_services import PcpHeadings, SaveResult, record_pcp_meeting, save_plan

ACTOR = Actor.system("test")
MET = date(2026, 9, 21)
AGREED = date(2026, 9, 28)


def pcp_meeting(pupil: Pupil, held_on: date = MET, agreed: str = "Agreed three outcomes.") -> Meeting:
    return record_pcp_meeting(
        actor=ACTOR, pupil=pupil, held_on=held_on, agreed=agreed,
        headings=PcpHeadings(
            whats_working="Reading with Mum every night.", whats_not_working="Lunchtimes are too loud.",
            important_to="My cat Pepper and drawing.", important_for="Quiet space to calm down.",
            views_sent_by="Dr Shah (educational psychologist)",
        ),
        attendees=[
            AttendeeData(kind=AttendeeKind.PUPIL, name=pupil.first_name),
            AttendeeData(kind=AttendeeKind.PARENT, name="Rosa One", role_or_relationship="mother"),
        ],
        actions=[ActionData(description="Refer to speech and language therapy", owner_name="SENCO", due_on=held_on)],
    )  # fmt: skip


def content(n: int = 1, **overrides: Any) -> PlanContent:
    texts = {
        "views": f"I like school when it is calm ({n}).", "needs": "Speech, language and communication needs",
        "interests": "Drawing and cats", "health_needs": "Mild asthma: inhaler in the office",
    }  # fmt: skip
    outcomes = overrides.pop(
        "outcomes", (OutcomeData(f"Ask for help in class ({n})", "Class teacher", date(2027, 1, 29)),)
    )
    looked_after = overrides.pop("looked_after", LookedAfter.NO)
    meeting_id = overrides.pop("meeting_id", None)
    return PlanContent.build(
        looked_after=looked_after, outcomes=outcomes, meeting_id=meeting_id, **{**texts, **overrides}
    )


def plan(pupil: Pupil, n: int = 1, *, agreed_on: date = AGREED, **overrides: Any) -> SaveResult:
    setting = pupil.enrolments.first().setting  # type: ignore[union-attr]
    return save_plan(
        actor=ACTOR, pupil=pupil, setting=setting, expected_version=n - 1, content=content(n, **overrides),
        agreed_on=agreed_on,
    )  # fmt: skip
