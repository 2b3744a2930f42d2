"""The SENCO records a PCP meeting and writes a My Support Plan in a real browser, with axe on every page."""

from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.meetings.models import Meeting
from graduated.statutory.models import PlanVersion

pytestmark = pytest.mark.browser


def _fill_date(page: Any, name: str, day: str, month: str, year: str) -> None:
    page.locator(f"[name='{name}_0']").fill(day)
    page.locator(f"[name='{name}_1']").fill(month)
    page.locator(f"[name='{name}_2']").fill(year)


def test_the_senco_records_a_pcp_meeting_then_writes_and_reviews_the_plan(
    browser: Any, live_server: Any, world: World
) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/")
    page.get_by_role("link", name="start one for Priya").click()
    visitor.check()
    page.get_by_role("link", name="Record a person-centred planning meeting").click()
    visitor.check()
    page.get_by_role("button", name="Record meeting").click()  # empty: the errors are explained
    visitor.check()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    _fill_date(page, "held_on", "5", "10", "2026")
    page.get_by_label("What is working").fill("Reading with Mum every night.")
    page.get_by_label("What is not working").fill("Lunchtimes are too loud.")
    page.get_by_label("What is important to the pupil").fill("My cat Pepper.")
    page.get_by_label("What is important for the pupil").fill("A quiet place to calm down.")
    page.get_by_label("What was agreed").fill("To write Priya's My Support Plan.")
    page.get_by_label("Sam Senco (SENCO)").check()
    page.locator("[name='attendees-0-kind']").select_option("parent")
    page.locator("[name='attendees-0-name']").fill("Rosa One")
    page.locator("[name='attendees-0-role_or_relationship']").fill("mother")
    page.locator("[name='attendees-1-kind']").select_option("pupil")
    page.locator("[name='attendees-1-name']").fill("Priya")
    page.get_by_label("Who sent their views but could not come").fill("Dr Shah (educational psychologist)")
    page.get_by_role("button", name="Record meeting").click()
    visitor.check()
    assert "Person-centred planning meeting recorded." in page.content()
    assert Meeting.objects.filter(pupil=world.p1).count() == 1

    page.get_by_role("link", name="Write the My Support Plan agreed at this meeting").click()
    visitor.check()
    page.get_by_label("My views").fill("I like school when it is calm.")
    page.get_by_label("My needs").fill("Speech, language and communication needs")
    page.get_by_label("Not looked after").check()
    page.locator("[name='outcomes-0-description']").fill("Ask for help using my help card")
    page.locator("[name='outcomes-0-who']").fill("Class teacher")
    _fill_date(page, "outcomes-0-by_when", "29", "1", "2027")
    _fill_date(page, "agreed_on", "12", "10", "2026")
    page.get_by_role("button", name="Save plan").click()
    visitor.check()
    assert "My Support Plan saved (version 1)." in page.content()
    assert "12 February 2027" in page.content()  # reviewed four months on

    page.get_by_role("link", name="Write a new version (review the plan)").click()
    visitor.check()
    page.get_by_label("From my parents or carers").fill("Happier coming to school.")
    _fill_date(page, "agreed_on", "2", "11", "2026")
    page.get_by_role("button", name="Save plan").click()
    visitor.check()
    assert "My Support Plan saved (version 2)." in page.content()
    assert PlanVersion.objects.of_pupil(world.p1).count() == 2

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.startswith("my-support-plan-priya-one-")
    page.get_by_role("link", name="All versions").click()
    visitor.check()
    page.get_by_role("link", name="Version 1").click()
    visitor.check()
    assert "This is an old version" in page.content()
    visitor.go(f"/statutory/settings/{world.setting_a.pk}/my-support-plans/")
    visitor.check()
    visitor.assert_accessible()
