"""A SENCO plans a cycle in a real browser; the TA records a session on a phone-sized screen."""

from datetime import date, timedelta
from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.support import services
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord
from graduated.support.tests.factories import ACTOR, reviewed_cycle

pytestmark = pytest.mark.browser


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def test_senco_plans_a_cycle_and_the_ta_logs_a_session(browser: Any, live_server: Any, world: World) -> None:
    senco = visitor_for(browser, live_server)
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pupils/{world.p1.pk}/")
    page.get_by_role("link", name="Support cycles").click()
    senco.check()
    page.get_by_role("link", name="Start a cycle").click()
    senco.check()
    page.get_by_role("button", name="Start cycle").click()  # the date defaults to today
    senco.check()
    assert "Cycle 1 started." in page.content()

    page.get_by_role("link", name="Add an outcome").click()
    senco.check()
    page.get_by_label("What will be achieved").fill("Reads 40 common exception words")
    page.get_by_label("How it will be measured").fill("Half-termly word check")
    page.get_by_label("Starting point (baseline)").fill("12 words")
    page.get_by_label("Target (optional)", exact=True).fill("40 words")
    _fill_date(page, "by_when", date.today() + timedelta(days=70))
    page.get_by_label("Cognition and learning").check()
    page.get_by_role("button", name="Save outcome").click()
    senco.check()
    assert "Outcome saved." in page.content()

    page.get_by_role("link", name="Add provision").click()
    senco.check()
    page.get_by_label("Intervention").check()
    page.get_by_label("What will be done").fill("Precision teaching of sight words")
    page.locator("[name=delivered_by]").select_option(label="Tom Assistant (teaching assistant)")
    page.get_by_label("Sessions a week (optional)").fill("3")
    page.get_by_label("Minutes a session (optional)").fill("10")
    page.get_by_role("button", name="Save provision").click()
    senco.check()

    page.get_by_role("link", name="Agree the plan").click()
    senco.check()
    # The plan type (a SEN support plan, three reviews a year) suggests the review date; without one
    # the form explains and saves nothing.
    assert page.locator('[name="review_date_2"]').input_value() != ""
    for part in range(3):
        page.locator(f'[name="review_date_{part}"]').fill("")
    page.get_by_role("button", name="Agree plan").click()  # no review date: explained, nothing saved
    senco.check()
    assert "Enter the review date" in page.locator(".govuk-error-summary").inner_text()
    _fill_date(page, "review_date", date.today() + timedelta(days=63))
    page.get_by_label("At a meeting").check()
    page.get_by_role("button", name="Agree plan").click()
    senco.check()
    assert "Plan agreed." in page.content()
    cycle = Cycle.objects.get(pupil=world.p1)
    assert cycle.status == CycleStatus.DO
    # A history to look back on: the review and the progress table are accessible too.
    reviewed = reviewed_cycle(world.p2)
    services.start_cycle(actor=ACTOR, pupil=world.p2, setting=world.setting_a, started_on=date(2025, 1, 6))
    senco.go(f"/pupils/{world.p2.pk}/cycles/")
    assert "Progress across cycles" in page.content()
    senco.go(f"/pupils/{world.p2.pk}/cycles/{reviewed.pk}/")
    senco.assert_accessible()

    phone = visitor_for(browser, live_server, viewport={"width": 375, "height": 740})
    phone.sign_in(world.ta_a.email)
    phone.go(f"/pupils/{world.p1.pk}/cycles/{cycle.pk}/")
    phone.page.get_by_role("button", name="I have read this plan").click()
    phone.check()
    phone.page.get_by_role("link", name="Record a session").click()
    phone.check()
    phone.page.get_by_label("Missed").check()
    phone.page.get_by_role("button", name="Record session").click()
    phone.check()
    assert "Select why the session was missed" in phone.page.content()
    phone.page.get_by_label("Delivered").check()
    phone.page.get_by_label("Note (optional)").fill("Read 14 words")
    phone.page.get_by_role("button", name="Record session").click()
    phone.check()
    assert "recorded as delivered" in phone.page.content()
    assert DeliveryRecord.objects.get().recorded_by == world.ta_a
    phone.assert_accessible()
