"""A SENCO refers a pupil to educational psychology from the pupil's page, records the report and
two recommendations, and marks one put in place, linked to a provision of the pupil's plan; then
reads the setting's waiting times and directory. axe-core checks every page on the way, error
pages included."""

from datetime import date, timedelta
from typing import Any

import pytest

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.specialists.models import Recommendation, Referral, ReferralStatus
from graduated.specialists.tests.factories import service
from graduated.support.tests.factories import draft_cycle

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def test_senco_refers_to_educational_psychology_and_tracks_the_advice(
    browser: Any, live_server: Any, world: World
) -> None:
    provision = draft_cycle(world.p1).provisions.get()
    service(world.la_north, "Northshire Educational Psychology Service")
    today = date.today()
    consented, referred = today - timedelta(days=70), today - timedelta(days=63)
    seen, report, decided = today - timedelta(days=21), today - timedelta(days=7), today - timedelta(days=2)

    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/")
    assert "No referrals to outside services" in page.content()
    _click(visitor, "link", "Refer to a service for Priya One")

    page.get_by_label("Service").select_option(
        label="Northshire Educational Psychology Service (Educational psychology)"
    )
    page.get_by_label("Reason for the referral").fill("Little progress in reading after two cycles.")
    page.get_by_label("The young person (16 or over)").check()
    _fill_date(page, "consent_on", consented)
    _fill_date(page, "referred_on", referred)
    _click(visitor, "button", "Save referral")
    assert "a parent or carer gives consent until the young person is 16" in page.content()
    page.get_by_label("Parent or carer").check()
    _click(visitor, "button", "Save referral")
    assert "Referral to Northshire Educational Psychology Service saved" in page.content()
    assert "63 days so far" in page.content()

    _click(visitor, "link", "Record dates and advice")
    _fill_date(page, "seen_on", seen)
    _fill_date(page, "report_received_on", report)
    page.get_by_label("Advice given (optional)").fill("Working memory is a relative weakness.")
    _click(visitor, "button", "Save referral")
    assert "42 days to be seen" in page.content()
    assert Referral.objects.get().status == ReferralStatus.REPORT_RECEIVED

    for text in ("Precision teaching three times a week.", "Assess again for dyslexia in Year 4."):
        _click(visitor, "link", "Add a recommendation")
        page.get_by_label("Recommendation").fill(text)
        _click(visitor, "button", "Add recommendation")
        assert "Recommendation added" in page.content()

    _click(visitor, "link", "Decide recommendation 1")
    page.get_by_label("Yes, put in place").check()
    _fill_date(page, "decided_on", decided)
    _click(visitor, "button", "Save decision")
    assert "Choose the provision that puts the recommendation in place" in page.content()
    page.get_by_label("Provision in the plan that puts it in place (optional)").select_option(str(provision.pk))
    _click(visitor, "button", "Save decision")
    assert "Recommendation marked put in place" in page.content()
    assert "Cycle 1: Precision teaching of sight words" in page.content()
    first, second = Recommendation.objects.order_by("id")
    assert (first.status, first.provision_id, second.status) == ("put_in_place", provision.pk, "not_considered")

    _click(visitor, "link", "Back to referrals")
    _click(visitor, "link", "Back to Priya One")
    assert "42 days to be seen" in page.content()
    visitor.go(f"/specialists/settings/{world.setting_a.pk}/referrals/")
    assert "Waiting times per service" in page.content()
    _click(visitor, "link", "Services directory")
    page.get_by_label("Phase").select_option(label="Primary")
    _click(visitor, "button", "Show services")
    assert "1 service matching" in page.content()
    visitor.assert_accessible()


def test_la_admin_adds_a_service_to_the_directory(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.la_admin_north.email)
    visitor.go(f"/specialists/la/{world.la_north.pk}/services/")
    _click(visitor, "link", "Add a service")
    _click(visitor, "button", "Save service")
    assert "Enter the service&#x27;s name" in page.content() or "Enter the service's name" in page.content()
    page.get_by_label("Type of service").select_option(label="Occupational therapy")
    page.get_by_label("Name").fill("Children's Occupational Therapy")
    page.get_by_label("What the service offers").fill("Motor skills and sensory assessment.")
    page.get_by_label("Who may refer").fill("SENCOs, with consent.")
    page.get_by_label("Primary").check()
    page.get_by_label("E-mail address (optional)").fill("ot@example.org")
    _click(visitor, "button", "Save service")
    assert "has been added to the directory" in page.content()
    _click(visitor, "link", "Back to the services directory")
    assert "Waiting times per service" in page.content() or "No referrals have been made yet" in page.content()
    visitor.assert_accessible()
