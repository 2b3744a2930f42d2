"""The demo's PCP meetings and My Support Plans at Millbeck."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from graduated.meetings.models import MeetingKind
from graduated.organisations.models import Setting
from graduated.statutory import demo, plan_selectors
from graduated.statutory.models import PersonCentredRecord, PlanVersion


def test_the_demo_has_two_plans_one_reviewed_and_one_due_soon(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    versions = PlanVersion.objects.filter(setting__urn=demo.MILLBECK_URN)
    assert sorted(versions.values_list("number", flat=True)) == [1, 1, 2]
    assert PersonCentredRecord.objects.filter(meeting__kind=MeetingKind.PERSON_CENTRED).count() == 3
    millbeck = Setting.objects.get(urn=demo.MILLBECK_URN)
    due = plan_selectors.reviews_due(millbeck, date(2026, 11, 13))
    assert [item.version.next_review_on for item in due] == [date(2026, 11, 27)]
    assert demo.load_demo_data() == {"My Support Plan versions at Millbeck": 0}  # run again: nothing added
    assert PlanVersion.objects.count() == 3
