"""Recording meetings and following them up. Each change runs in one transaction and writes one audit event.

Forms check input first and give specific messages; these functions check the date rules again,
because a meeting's date may have changed since the form was opened.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import lock_for_edit, save_versioned
from graduated.meetings.models import Attendee, Meeting, MeetingAction
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology

if TYPE_CHECKING:
    from graduated.accounts.models import User

__all__ = [
    "ActionData",
    "AttendeeData",
    "DuplicateMeetingError",
    "complete_action",
    "mark_shared_with_parents",
    "record_meeting",
    "update_meeting",
]

MEETING_FIELDS = ("kind", "held_on", "discussed")


class DuplicateMeetingError(ServiceError):
    """The same meeting is already recorded: almost always the same form sent twice."""

    def __init__(self, meeting: Meeting) -> None:
        super().__init__(f"Meeting {meeting.pk} is already recorded.")
        self.meeting = meeting


@dataclass(frozen=True)
class AttendeeData:
    kind: str
    name: str
    role_or_relationship: str = ""
    user: "User | None" = None


@dataclass(frozen=True)
class ActionData:
    description: str
    owner_name: str
    due_on: date
    owner_user: "User | None" = None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_held_on(held_on: date, today: date | None = None) -> None:
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": "The date of the meeting must be today or in the past."})


def check_due_on(due_on: date, held_on: date) -> None:
    if due_on < held_on:
        raise ValidationError(
            {"due_on": f"The date the action is due must be on or after the meeting ({_long(held_on)})."}
        )


def _summary(meeting: Meeting, attendees: Sequence[AttendeeData]) -> str:
    who = ", ".join(a.name for a in attendees)
    text = meeting.get_kind_display()
    return f"{text} with {who}" if who else text


def attendee_keys(attendees: Sequence[AttendeeData] | Sequence[Attendee]) -> list[tuple[str, str, str, int | None]]:
    """Who came, comparable between a form's rows and the stored attendees."""
    keys = []
    for a in attendees:
        user_id = a.user_id if isinstance(a, Attendee) else (a.user.pk if a.user is not None else None)
        keys.append((a.kind, a.name, a.role_or_relationship, user_id))
    return sorted(keys, key=lambda k: (k[0], k[1], k[2], k[3] or 0))


def _add_attendees(meeting: Meeting, attendees: Sequence[AttendeeData]) -> None:
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, kind=a.kind, name=a.name, role_or_relationship=a.role_or_relationship, user=a.user)
        for a in attendees
    )


@transaction.atomic
def record_meeting(
    *,
    actor: Actor,
    pupil: Pupil,
    kind: str,
    held_on: date,
    discussed: str,
    attendees: Sequence[AttendeeData] = (),
    actions: Sequence[ActionData] = (),
    today: date | None = None,
) -> Meeting:
    """Record a meeting that has happened, with who came and the actions agreed, all or nothing."""
    check_held_on(held_on, today)
    for action in actions:
        check_due_on(action.due_on, held_on)
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # serialise, so a double submit is seen
    duplicate = Meeting.objects.filter(pupil=pupil, kind=kind, held_on=held_on, discussed=discussed).first()
    if duplicate is not None:
        raise DuplicateMeetingError(duplicate)
    meeting = Meeting.objects.create(
        pupil=pupil, kind=kind, held_on=held_on, discussed=discussed, recorded_by=actor.user
    )
    _add_attendees(meeting, attendees)
    MeetingAction.objects.bulk_create(
        MeetingAction(
            meeting=meeting,
            description=a.description,
            owner_name=a.owner_name,
            owner_user=a.owner_user,
            due_on=a.due_on,
        )
        for a in actions
    )
    add_to_chronology(pupil, actor, ChronologyKind.MEETING_HELD, held_on, _summary(meeting, attendees))
    record(
        actor,
        AuditAction.CREATE,
        obj=meeting,
        pupil_id=pupil.pk,
        changed_fields=[*MEETING_FIELDS, "attendees", *(["actions"] if actions else [])],
    )
    return meeting


@transaction.atomic
def update_meeting(
    *,
    actor: Actor,
    meeting: Meeting,
    changes: Mapping[str, Any],
    expected_version: int,
    attendees: Sequence[AttendeeData] | None = None,
    today: date | None = None,
) -> Meeting:
    """Save changes to a meeting's record, refusing if someone saved it since ``expected_version``.

    ``attendees``, when given, replaces the list of who came.
    """
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    lock_for_edit(meeting, expected_version)
    held_on = changes.get("held_on", meeting.held_on)
    if held_on != meeting.held_on:
        check_held_on(held_on, today)
        earliest_due = meeting.actions.order_by("due_on").values_list("due_on", flat=True).first()
        if earliest_due is not None and earliest_due < held_on:
            raise ValidationError(
                {"held_on": f"An action from this meeting is due on {_long(earliest_due)}, before this date."}
            )
        if meeting.shared_with_parents_on and meeting.shared_with_parents_on < held_on:
            raise ValidationError(
                {
                    "held_on": "The record was shared with the parents on "
                    f"{_long(meeting.shared_with_parents_on)}, before this date."
                }
            )
    for name, value in changes.items():
        setattr(meeting, name, value)
    save_versioned(meeting, update_fields=changes)
    changed = list(changes)
    if attendees is not None:
        meeting.attendees.all().delete()
        _add_attendees(meeting, attendees)
        changed.append("attendees")
    meeting.refresh_from_db()
    record(actor, AuditAction.CHANGE, obj=meeting, pupil_id=meeting.pupil_id, changed_fields=changed)
    return meeting


@transaction.atomic
def mark_shared_with_parents(
    *, actor: Actor, meeting: Meeting, shared_on: date | None = None, today: date | None = None
) -> bool:
    """Note the day the meeting's record went to the parents. False (and nothing changes) if already noted."""
    today = today or timezone.localdate()
    shared_on = shared_on or today
    if shared_on > today:
        raise ValidationError({"shared_on": "The date the record was shared must be today or in the past."})
    if shared_on < meeting.held_on:
        raise ValidationError(
            {"shared_on": f"The date the record was shared must be on or after the meeting ({_long(meeting.held_on)})."}
        )
    # Only the first "shared" counts: a second click (or a second person) changes nothing.
    updated = Meeting.objects.filter(pk=meeting.pk, shared_with_parents_on__isnull=True).update(
        shared_with_parents_on=shared_on
    )
    if not updated:
        return False
    meeting.refresh_from_db()
    # A kind of its own (not "parents told"), so that the family's notice can say which record is
    # theirs to read (graduated/family_notices).
    add_to_chronology(
        meeting.pupil,
        actor,
        ChronologyKind.MEETING_SHARED,
        shared_on,
        f"Record of the {meeting.get_kind_display().lower()} on {_long(meeting.held_on)} shared with the parents",
    )
    record(actor, AuditAction.CHANGE, obj=meeting, pupil_id=meeting.pupil_id, changed_fields=["shared_with_parents_on"])
    return True


@transaction.atomic
def complete_action(
    *, actor: Actor, action: MeetingAction, done_on: date | None = None, today: date | None = None
) -> bool:
    """Mark an action done. False (and nothing changes) if it was already done: a double submit."""
    today = today or timezone.localdate()
    done_on = done_on or today
    held_on = action.meeting.held_on
    if done_on > today or done_on < held_on:
        raise ValidationError({"done_on": f"The date the action was done must be between {_long(held_on)} and today."})
    updated = MeetingAction.objects.filter(pk=action.pk, done_on__isnull=True).update(done_on=done_on)
    if not updated:
        return False
    action.refresh_from_db()
    record(actor, AuditAction.CHANGE, obj=action, pupil_id=action.meeting.pupil_id, changed_fields=["done_on"])
    return True
