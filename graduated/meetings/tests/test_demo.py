from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from graduated.audit.models import AuditEvent
from graduated.meetings import selectors
from graduated.meetings.models import Attendee, Meeting, MeetingAction
from graduated.organisations.models import Setting
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 13)


def test_demo_meetings_are_there_and_realistic() -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", verbosity=0)
    meetings = Meeting.objects.all()
    assert meetings.count() > 100
    assert not meetings.filter(held_on__gt=AS_OF).exists()
    assert meetings.filter(held_on__lt=date(2026, 9, 1)).exists() and meetings.filter(held_on__gte=date(2026, 9, 1))
    # Only pupils on the register (K or E) have meetings.
    statuses = set(
        Pupil.objects.filter(meetings__isnull=False, sen_statuses__end_date__isnull=True).values_list(
            "sen_statuses__status", flat=True
        )
    )
    assert statuses <= {"K", "E"}
    per_pupil = Counter(meetings.filter(held_on__gte=date(2026, 9, 1)).values_list("pupil_id", flat=True))
    assert max(per_pupil.values()) <= 4
    assert Attendee.objects.filter(kind="parent").exists() and Attendee.objects.filter(kind="professional").exists()
    actions = MeetingAction.objects.all()
    assert actions.overdue(AS_OF).exists() and actions.filter(done_on__isnull=False).exists()
    assert actions.open().filter(due_on__gte=AS_OF).exists()
    assert not actions.filter(done_on__gt=AS_OF).exists()
    # Every setting with pupils on SEN support has some short of three parent meetings, and some not.
    short_total = 0
    for setting in Setting.objects.order_by("pk"):
        short_total += len(selectors.short_of_parent_meetings(Pupil.objects.enrolled_in(setting, AS_OF), AS_OF))
    on_support = selectors.on_sen_support(Pupil.objects.all()).count()
    assert 0 < short_total < on_support
    # Written through the services: one chronology entry and one audit event per meeting.
    assert ChronologyEntry.objects.filter(kind=ChronologyKind.MEETING_HELD).count() == meetings.count()
    assert AuditEvent.objects.filter(object_type="meetings.meeting", action="create").count() == meetings.count()
