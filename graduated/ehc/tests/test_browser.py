"""An LA officer logs a request from a parent, finds it in the inbox with its 6-week deadline, decides
to assess, asks for advice and marks it received, serves the draft plan and issues the final plan; the
pupil becomes EHC plan (E). Then the reviews due, timeliness and a refused case's page. axe-core checks
every page on the way, error pages included."""

from datetime import date, timedelta
from typing import Any

import pytest

from graduated.ehc import services
from graduated.ehc.models import EHCRequest, Stage
from graduated.ehc.tests.factories import ACTOR, not_assessing, received
from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.pupils.models import SENStatusPeriod

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).first.click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_officer_takes_a_parents_request_to_a_final_plan(
    browser: Any, live_server: Any, world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path  # the SEN2 return's files
    today = date.today()
    received = today - timedelta(days=60)
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.officer_north.email)
    _click(visitor, "link", "EHC casework: Northshire")
    assert "No open cases" in page.content()

    _click(visitor, "link", "Log a request")
    _click(visitor, "button", "Log request")  # nothing filled in: the errors
    assert "Enter the child" in page.content()
    page.get_by_label("The child's unique pupil number (UPN)").fill(world.p1.upn or "")
    _fill_date(page, "received_on", received)
    page.get_by_label("Parent or young person").check()
    page.get_by_label("Name of the person or organisation").fill("Sam One (mother)")
    _click(visitor, "button", "Log request")
    decision_due = received + timedelta(weeks=6)
    assert f"The decision whether to assess is due by {_long(decision_due)}" in page.content()

    _click(visitor, "link", "Back to the inbox")
    assert "Priya One" in page.content() and decision_due.strftime("%-d %b %Y") in page.content()
    _click(visitor, "link", "Priya One")

    _click(visitor, "link", "Record the decision whether to assess")
    page.get_by_label("To assess", exact=True).check()
    _fill_date(page, "decided_on", received + timedelta(days=20))
    page.get_by_label("Reasons").fill("Little progress after two reviewed cycles of SEN support.")
    _click(visitor, "button", "Record decision")
    assert "Decision recorded" in page.content()

    _click(visitor, "link", "Ask for advice")
    page.get_by_label("Advice from").select_option(label="Educational psychologist")
    page.get_by_label("Who was asked").fill("Northshire EPS")
    _fill_date(page, "asked_on", received + timedelta(days=21))
    _click(visitor, "button", "Record request for advice")
    assert (received + timedelta(days=21 + 42)).strftime("%-d %b %Y") in page.content()  # advice due in 6 weeks
    _click(visitor, "link", "Mark received from Northshire EPS")
    _fill_date(page, "received_on", received + timedelta(days=35))
    _click(visitor, "button", "Mark received")
    assert "Advice marked received" in page.content()

    _click(visitor, "link", "Serve the draft plan")
    _fill_date(page, "draft_issued_on", received + timedelta(days=40))
    page.get_by_label("A. The child or young person's views, interests and aspirations").fill("Loves trains.")
    _click(visitor, "button", "Record draft plan")
    comments_close = received + timedelta(days=40 + 14)
    assert f"the family's comments close {_long(comments_close)}" in page.content().replace("&#x27;", "'")

    _click(visitor, "link", "Issue the final plan")
    _fill_date(page, "final_issued_on", comments_close)  # a day too soon
    _click(visitor, "button", "Issue final plan")
    assert "the final plan can be issued from" in page.content()
    _fill_date(page, "final_issued_on", today)
    _click(visitor, "button", "Issue final plan")
    assert "The pupil's SEN status is now EHC plan (E)" in page.content().replace("&#x27;", "'")
    case = EHCRequest.objects.get()
    assert case.stage == Stage.FINAL
    current = SENStatusPeriod.objects.current().get(pupil=world.p1)
    assert (current.status, current.start_date) == ("E", today)

    _click(visitor, "link", "Add a placement")
    _click(visitor, "button", "Save placement")  # nothing chosen: the errors
    assert "Give one of: the setting, its URN or UKPRN" in page.content()
    page.get_by_label("Setting (if it is one of the LA's)").select_option(label=world.setting_a.name)
    page.get_by_label("Main placement").check()
    _fill_date(page, "entry_date", today)
    _click(visitor, "button", "Save placement")
    assert "Placement saved" in page.content() and "Main placement" in page.content()

    _click(visitor, "link", "Record a review meeting")
    _click(visitor, "button", "Save review")
    assert "Enter the date of the review meeting" in page.content()
    _click(visitor, "link", "Back to the case")

    refused = not_assessing(world.p2, today - timedelta(days=50))
    visitor.go(f"/ehc/la/{world.la_north.pk}/cases/{refused.pk}/")
    assert "Download the letter with the family" in page.content()
    visitor.go(f"/ehc/la/{world.la_north.pk}/reviews/")
    assert "Priya One" in page.content()
    _click(visitor, "link", "Timeliness")
    assert "Timeliness per month" in page.content()
    _click(visitor, "link", "SEN2 return")
    assert "return has not been built yet" in page.content()
    _click(visitor, "button", "Build the return")  # built in the background: here, in-process (conftest.py)
    assert "Records in each module" in page.content() and "Build the return again" in page.content()
    page.get_by_label("Return").select_option(str(date.today().year + (0 if date.today().month == 1 else 1)))
    _click(visitor, "button", "Check this return")
    assert "SEN2 " in page.content()
    visitor.go(f"/ehc/la/{world.la_south.pk}/inbox/")  # another LA's: not found
    visitor.assert_accessible()


def test_officer_confirms_an_exception_then_records_the_withdrawal(
    browser: Any, live_server: Any, world: World
) -> None:
    today = date.today()
    case = received(world.p2, today - timedelta(days=30))
    services.add_exception(
        actor=ACTOR, request=case, kind="absent_from_area", first_day=today - timedelta(days=29), last_day=today,
        reason="The family is abroad.",
    )  # fmt: skip
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.officer_north.email)
    visitor.go(f"/ehc/la/{world.la_north.pk}/cases/{case.pk}/")
    visitor.check()
    assert "Not confirmed, so it applies to no time limit yet" in page.content()

    _click(visitor, "link", "Confirm it")
    _click(visitor, "button", "Confirm exception")
    assert "Enter why it made the time limit impractical to meet" in page.content()
    page.get_by_label("Why it made the time limit impractical to meet").fill("The child could not be seen.")
    _fill_date(page, "confirmed_on", today)
    _click(visitor, "button", "Confirm exception")
    assert "Exception confirmed" in page.content()
    assert "Exception applies: act as soon as practicable" in page.content()

    _click(visitor, "link", "Record that the request was withdrawn")
    _click(visitor, "button", "Record withdrawal")
    assert "Choose who withdrew the request" in page.content()
    page.get_by_label("The parent or young person").check()
    _fill_date(page, "withdrawn_on", today)
    page.get_by_label("Why it was withdrawn").fill("The family will try the new support first.")
    _click(visitor, "button", "Record withdrawal")
    assert "Withdrawal recorded" in page.content() and "Request withdrawn" in page.content()
    assert EHCRequest.objects.get(pk=case.pk).stage == Stage.WITHDRAWN
