from datetime import date

import pytest
from django.core.exceptions import ValidationError

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.meetings import services
from graduated.meetings.models import Attendee, AttendeeKind, Meeting, MeetingAction, MeetingKind
from graduated.pupils.models import ChronologyKind, Pupil

TODAY = date(2026, 11, 13)
PARENT = services.AttendeeData(kind=AttendeeKind.PARENT, name="Ann One", role_or_relationship="Mother")


def _actor(world: World) -> Actor:
    return Actor(user=world.senco_a, role="senco", setting_id=world.setting_a.pk)


def _record(world: World, pupil: Pupil | None = None, **extra: object) -> Meeting:
    kwargs: dict[str, object] = {
        "kind": MeetingKind.PARENT,
        "held_on": date(2026, 10, 5),
        "discussed": "Reading at home.",
        "attendees": [PARENT],
        "actions": [
            services.ActionData(description="Send a book home", owner_name="Sam Senco", due_on=date(2026, 10, 9))
        ],
        "today": TODAY,
        **extra,
    }
    return services.record_meeting(actor=_actor(world), pupil=pupil or world.p1, **kwargs)  # type: ignore[arg-type]


def test_recording_a_meeting_stores_everything_with_one_audit_event_and_a_chronology_entry(world: World) -> None:
    audit_before = AuditEvent.objects.count()
    meeting = _record(world)
    assert list(meeting.attendees.values_list("name", "kind")) == [("Ann One", "parent")]
    assert list(meeting.actions.values_list("description", "due_on")) == [("Send a book home", date(2026, 10, 9))]
    assert AuditEvent.objects.count() == audit_before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and (event.action, event.pupil_id, event.actor_email) == (
        "create", world.p1.pk, world.senco_a.email,
    )  # fmt: skip
    entry = world.p1.chronology.filter(kind=ChronologyKind.MEETING_HELD).get()
    assert entry.occurred_on == date(2026, 10, 5)
    assert entry.summary == "Meeting with parents or carers with Ann One"


def test_a_meeting_in_the_future_is_refused_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _record(world, held_on=date(2026, 11, 14))
    assert "today or in the past" in str(error.value)
    assert not Meeting.objects.exists() and not Attendee.objects.exists()


def test_an_action_due_before_the_meeting_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _record(
            world,
            actions=[services.ActionData(description="Too early", owner_name="Sam", due_on=date(2026, 10, 4))],
        )
    assert "on or after the meeting (5 October 2026)" in str(error.value)
    assert not Meeting.objects.exists() and not MeetingAction.objects.exists()


def test_an_action_due_on_the_day_of_the_meeting_is_fine(world: World) -> None:
    _record(world, actions=[services.ActionData(description="Same day", owner_name="Sam", due_on=date(2026, 10, 5))])
    assert MeetingAction.objects.get().due_on == date(2026, 10, 5)


def test_a_stale_update_is_refused_and_changes_nothing(world: World) -> None:
    meeting = _record(world)
    services.update_meeting(actor=_actor(world), meeting=meeting, changes={"discussed": "First"}, expected_version=1)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(StaleEditError):
        services.update_meeting(
            actor=_actor(world), meeting=meeting, changes={"discussed": "Second"}, expected_version=1
        )
    meeting.refresh_from_db()
    assert (meeting.discussed, meeting.version) == ("First", 2)
    assert AuditEvent.objects.count() == audit_before


def test_update_replaces_attendees_and_keeps_dates_consistent(world: World) -> None:
    meeting = _record(world)
    pupil_there = services.AttendeeData(kind=AttendeeKind.PUPIL, name="Priya One")
    services.update_meeting(
        actor=_actor(world), meeting=meeting, changes={}, expected_version=1, attendees=[PARENT, pupil_there]
    )
    assert list(meeting.attendees.values_list("kind", flat=True)) == ["parent", "pupil"]
    # The action is due on 9 October: the meeting cannot move after it.
    with pytest.raises(ValidationError) as error:
        services.update_meeting(
            actor=_actor(world), meeting=meeting, changes={"held_on": date(2026, 10, 12)}, expected_version=2,
            today=TODAY,
        )  # fmt: skip
    assert "due on 9 October 2026" in str(error.value)
    with pytest.raises(ValidationError):
        services.update_meeting(
            actor=_actor(world), meeting=meeting, changes={"held_on": date(2026, 11, 20)}, expected_version=2,
            today=TODAY,
        )  # fmt: skip


def test_sharing_with_parents_goes_on_the_chronology_once(world: World) -> None:
    meeting = _record(world)
    assert services.mark_shared_with_parents(
        actor=_actor(world), meeting=meeting, shared_on=date(2026, 10, 6), today=TODAY
    )
    audit_after_first = AuditEvent.objects.count()
    assert not services.mark_shared_with_parents(actor=_actor(world), meeting=meeting, today=TODAY)
    meeting.refresh_from_db()
    assert meeting.shared_with_parents_on == date(2026, 10, 6)
    assert world.p1.chronology.filter(kind=ChronologyKind.MEETING_SHARED).count() == 1
    assert AuditEvent.objects.count() == audit_after_first


@pytest.mark.parametrize("shared_on", [date(2026, 10, 4), date(2026, 11, 14)])
def test_sharing_before_the_meeting_or_in_the_future_is_refused(world: World, shared_on: date) -> None:
    meeting = _record(world)
    with pytest.raises(ValidationError):
        services.mark_shared_with_parents(actor=_actor(world), meeting=meeting, shared_on=shared_on, today=TODAY)
    meeting.refresh_from_db()
    assert meeting.shared_with_parents_on is None


def test_completing_an_action_twice_changes_nothing_the_second_time(world: World) -> None:
    action = _record(world).actions.get()
    assert services.complete_action(actor=_actor(world), action=action, today=TODAY)
    audit_after_first = AuditEvent.objects.count()
    assert not services.complete_action(actor=_actor(world), action=action, today=date(2026, 11, 20))
    action.refresh_from_db()
    assert action.done_on == TODAY
    assert AuditEvent.objects.count() == audit_after_first
