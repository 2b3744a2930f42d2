"""The SENCO drafts a top-up application from the costed provision map and submits it to the LA,
records the LA's decision and an early years award, then reads the setting's totals. axe-core
checks every page on the way, error pages included."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from graduated.funding.models import ApplicationStatus, FundingAward, TopUpApplication
from graduated.funding.tests.factories import costed_provision
from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def test_senco_drafts_and_submits_a_top_up_application(browser: Any, live_server: Any, world: World) -> None:
    costed_provision(world.p1, hourly="40.00", sessions=5, minutes=60)  # £7,800 this year: over £6,000
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/")
    _click(visitor, "link", "Top-up applications and funding awards for Priya One")
    assert "£1,800.00 above" in page.content()

    _click(visitor, "link", "Apply for top-up funding")
    assert page.get_by_label("Amount requested").input_value() == "1800.00"  # the part above £6,000
    page.get_by_label("Amount requested").fill("-20")
    _click(visitor, "button", "Save draft")
    assert "Amount requested must be £0 or more" in page.content()
    page.get_by_label("Amount requested").fill("1,800")
    page.get_by_label("Why the pupil needs more than the setting can provide").fill("Daily one-to-one reading.")
    _click(visitor, "button", "Save draft")
    assert "Draft application saved" in page.content()

    _click(visitor, "button", "Submit to the local authority")
    assert "Application submitted" in page.content() and "as submitted" in page.content()
    application = TopUpApplication.objects.get(pupil=world.p1)
    assert application.status == ApplicationStatus.SUBMITTED and application.map_total == Decimal("7800.00")

    _click(visitor, "link", "Record the local authority's decision")
    page.get_by_label("Approved", exact=True).check()
    _fill_date(page, "decided_on", date.today())
    _click(visitor, "button", "Record decision")
    assert "Enter the amount approved" in page.content()
    page.get_by_label("Amount approved (optional)").fill("1500")
    _click(visitor, "button", "Record decision")
    assert "Decision recorded: approved" in page.content()

    _click(visitor, "link", "Back to funding")
    _click(visitor, "link", "Record an award")
    page.get_by_label("Disability Access Fund").check()
    page.get_by_label("Amount", exact=True).fill("938")
    _fill_date(page, "period_from", date(2026, 9, 1))
    _fill_date(page, "period_to", date(2027, 8, 31))
    _fill_date(page, "awarded_on", date(2026, 9, 20))
    _click(visitor, "button", "Record award")
    assert FundingAward.objects.filter(pupil=world.p1, amount=938).exists()

    _click(visitor, "link", f"Funding totals for {world.setting_a.name}")
    assert "Totals per academic year" in page.content()
    visitor.assert_accessible()
