"""A SENCO records a meeting with the parents in a real browser, with JavaScript turned off."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.meetings.models import Meeting

pytestmark = pytest.mark.browser


def test_senco_records_a_parent_meeting_without_javascript(browser: Any, live_server: Any, world: World) -> None:
    held_on = timezone.localdate() - timedelta(days=2)
    due_on = held_on + timedelta(days=14)
    visitor = visitor_for(browser, live_server, javascript=False)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/")
    assert "expects schools to meet parents" in page.content()
    page.get_by_role("link", name="Record a meeting").click()
    visitor.check()
    page.get_by_label("Meeting with parents or carers").check()
    page.locator("#id_held_on_0").fill(str(held_on.day))
    page.locator("#id_held_on_1").fill(str(held_on.month))
    page.locator("#id_held_on_2").fill(str(held_on.year))
    page.get_by_label("What was discussed and agreed").fill("Reading at home; a visual timetable for mornings.")
    page.locator("#id_attendees-0-kind").select_option("parent")
    page.locator("#id_attendees-0-name").fill("Anita One")
    page.locator("#id_attendees-0-role_or_relationship").fill("Mother")
    page.locator("#id_attendees-1-kind").select_option("professional")
    page.locator("#id_attendees-1-name").fill("Dr Helen Marsh")
    page.locator("#id_attendees-1-role_or_relationship").fill("Educational psychologist")
    page.locator("#id_actions-0-description").fill("Send the visual timetable home")
    page.locator("#id_actions-0-owner_name").fill("Anita One")
    page.locator("#id_actions-0-due_on_0").fill(str(due_on.day))
    page.locator("#id_actions-0-due_on_1").fill(str(due_on.month))
    page.locator("#id_actions-0-due_on_2").fill(str(due_on.year))
    page.get_by_role("button", name="Record meeting").click()
    visitor.check()
    assert "Meeting recorded." in page.content()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Meeting with parents or carers")
    meeting = Meeting.objects.get()
    assert sorted(meeting.attendees.values_list("name", flat=True)) == ["Anita One", "Dr Helen Marsh"]
    assert meeting.actions.get().due_on == due_on
    # The button's hidden text names the action for screen readers.
    page.get_by_role("button", name="Mark as done").filter(has_text="Send the visual timetable home").click()
    visitor.check()
    assert "Action done" in page.content()
    visitor.go(f"/pupils/{world.p1.pk}/meetings/")
    visitor.go(f"/pupils/{world.p1.pk}/meetings/{meeting.pk}/edit/")
    visitor.go(f"/meetings/settings/{world.setting_a.pk}/")
    visitor.assert_accessible()


def test_form_errors_on_the_meeting_form_are_accessible(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/meetings/new/")
    page.locator("#id_attendees-0-name").fill("Someone")
    page.get_by_role("button", name="Record meeting").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose who person 1 is" in summary and "Enter the date of the meeting" in summary
    assert not Meeting.objects.exists()
    visitor.assert_accessible()
