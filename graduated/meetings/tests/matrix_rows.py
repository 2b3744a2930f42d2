"""Authorisation-matrix rows for the meetings app (see graduated/lib/tests/authorisation_matrix.py)."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.meetings import services
from graduated.meetings.models import AttendeeKind, Meeting, MeetingKind

READERS = personas("senco_a", "head_a", "teacher_a", "ta_a")  # VIEW_SUMMARY on p1
RECORDERS = personas("senco_a", "teacher_a")  # RECORD_MEETING on p1
SEE_NOT_RECORD = personas("head_a", "ta_a")
FOREIGN = personas("senco_c")


def _meeting(world: World, side: str) -> Meeting:
    pupil = world.p1 if side == "own" else world.p4
    return services.record_meeting(
        actor=Actor.system("test"),
        pupil=pupil,
        kind=MeetingKind.PARENT,
        held_on=date(2025, 10, 6),
        discussed="Reading at home.",
        attendees=[services.AttendeeData(kind=AttendeeKind.PARENT, name="Ann Parent", role_or_relationship="Mother")],
        actions=[
            services.ActionData(description="Send reading book", owner_name="Ann Parent", due_on=date(2025, 11, 3))
        ],
    )


def _meeting_args(world: World, side: str) -> list[Any]:
    meeting = _meeting(world, side)
    return [meeting.pupil_id, meeting.pk]


def _action_args(world: World, side: str) -> list[Any]:
    meeting = _meeting(world, side)
    return [meeting.pupil_id, meeting.pk, meeting.actions.get().pk]


TARGETS = {"meeting": _meeting_args, "meeting_action": _action_args}

MEETING_FORM = {
    "kind": "parent",
    "held_on_0": "6",
    "held_on_1": "10",
    "held_on_2": "2025",
    "discussed": "Reading at home.",
    "attendees-TOTAL_FORMS": "1",
    "attendees-INITIAL_FORMS": "0",
    "attendees-0-kind": "parent",
    "attendees-0-name": "Ann Parent",
    "attendees-0-role_or_relationship": "Mother",
    "actions-TOTAL_FORMS": "1",
    "actions-INITIAL_FORMS": "0",
    "actions-0-description": "Send a reading book home",
    "actions-0-owner_name": "Ann Parent",
    "actions-0-due_on_0": "3",
    "actions-0-due_on_1": "11",
    "actions-0-due_on_2": "2025",
}


def _edit_data(world: World, args: list[Any], side: str) -> dict[str, Any]:
    meeting = Meeting.objects.get(pk=args[1])
    return {**MEETING_FORM, "discussed": "Reading at home, changed.", "version": meeting.version}


ROWS = [
    Row("meetings:list", "GET", "pupil", own=READERS, foreign=FOREIGN),
    Row("meetings:record", "GET", "pupil", own=RECORDERS, foreign=FOREIGN, forbidden=SEE_NOT_RECORD),
    Row(
        "meetings:record", "POST", "pupil", own=RECORDERS, foreign=FOREIGN, forbidden=SEE_NOT_RECORD, data=MEETING_FORM
    ),
    Row("meetings:detail", "GET", "meeting", own=READERS, foreign=FOREIGN),
    Row("meetings:edit", "GET", "meeting", own=RECORDERS, foreign=FOREIGN, forbidden=SEE_NOT_RECORD),
    Row("meetings:edit", "POST", "meeting", own=RECORDERS, foreign=FOREIGN, forbidden=SEE_NOT_RECORD, data=_edit_data),
    Row("meetings:shared", "POST", "meeting", own=RECORDERS, foreign=FOREIGN, forbidden=SEE_NOT_RECORD),
    Row("meetings:complete_action", "POST", "meeting_action", own=RECORDERS, foreign=FOREIGN, forbidden=SEE_NOT_RECORD),
    Row("meetings:setting_overview", "GET", "setting", own=personas("senco_a", "head_a"), foreign=FOREIGN),
]
