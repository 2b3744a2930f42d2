"""The pathway in a real browser: a teacher raises a concern and the SENCO starts SEN support."""

from typing import Any

import pytest

from graduated.audit.services import Actor
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.pupils import services as pupil_services
from graduated.pupils.models import StaffRelationship

pytestmark = pytest.mark.browser


def _fill_date(page: Any, prefix: str, day: str, month: str, year: str) -> None:
    page.locator(f"#id_{prefix}_0").fill(day)
    page.locator(f"#id_{prefix}_1").fill(month)
    page.locator(f"#id_{prefix}_2").fill(year)


def test_a_concern_leads_to_sen_support(browser: Any, live_server: Any, world: World) -> None:
    pupil_services.link_staff(
        actor=Actor.system("test"), pupil=world.p2, setting=world.setting_a, user=world.teacher_a,
        relationship=StaffRelationship.CLASS_TEACHER,
    )  # fmt: skip
    teacher = visitor_for(browser, live_server)
    page = teacher.page
    teacher.sign_in(world.teacher_a.email)
    teacher.go(f"/pupils/{world.p2.pk}/")
    assert "Quality First Teaching" in page.content()
    page.get_by_role("link", name="Raise a concern").click()
    teacher.check()
    page.get_by_role("button", name="Raise concern").click()  # nothing filled in: errors first
    teacher.check()
    assert "Select at least one broad area of need" in page.locator(".govuk-error-summary").inner_text()
    _fill_date(page, "raised_on", "2", "11", "2026")
    page.get_by_label("Cognition and learning").check()
    page.get_by_label("What have you seen?").fill("Reading age two years behind; avoids reading aloud.")
    page.get_by_label("What have you already tried in class?").fill("Daily phonics catch-up; word mats.")
    page.get_by_role("button", name="Raise concern").click()
    teacher.check()
    assert "Concern raised" in page.content()
    assert "The SENCO has not decided yet" in page.content()
    teacher.assert_accessible()

    senco = visitor_for(browser, live_server)
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pathway/settings/{world.setting_a.pk}/concerns/")
    page.get_by_role("link", name="Paul Two").first.click()
    senco.check()
    page.get_by_label("Start SEN support").check()
    _fill_date(page, "decided_on", "9", "11", "2026")
    page.get_by_label("Reasons for the decision").fill("Less than expected progress despite adjustments.")
    page.get_by_role("button", name="Record decision").click()  # no date parents were told: refused
    senco.check()
    assert "Enter the date the parents were told" in page.locator(".govuk-error-summary").inner_text()
    _fill_date(page, "parents_notified_on", "6", "11", "2026")
    page.get_by_role("button", name="Record decision").click()
    senco.check()
    content = page.content()
    assert "Decision recorded: Start SEN support" in content
    assert page.get_by_role("heading", level=1).inner_text() == "Paul Two"
    assert "SEN support</strong> since 9 November 2026" in content  # the stage, in the pathway panel
    assert world.p2.sen_statuses.current().get().status == "K"
    senco.go(f"/pupils/{world.p2.pk}/stage/")
    senco.go(f"/pupils/{world.p2.pk}/sen-support/remove/")
    senco.assert_accessible()
