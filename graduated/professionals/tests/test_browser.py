"""The SENCO invites an educational psychologist, who sets a password, reads the plan and gives
advice; the SENCO revokes the grant and the psychologist's next page load is a 404. axe-core checks
every page on the way, the error pages included."""

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.professionals.models import ProfessionalAdvice
from graduated.professionals.tests.factories import in_days
from graduated.support.tests.factories import agreed_cycle

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a long unguessable phrase for the psychologist"


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def _fill_date(page: Any, name: str, day: Any) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def test_invite_read_advise_then_revoked_mid_session(browser: Any, live_server: Any, world: World) -> None:
    agreed_cycle(world.p1)
    senco = visitor_for(browser, live_server)
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pupils/{world.p1.pk}/")
    _click(senco, "link", "Professionals' access and advice for Priya One")
    page.get_by_label("E-mail address").fill("ep.new@example.org")
    page.get_by_label("Full name").fill("Eve Psychologist")
    page.get_by_label("Organisation").fill("Northshire Educational Psychology Service")
    page.get_by_label("Job title").fill("Educational psychologist")
    _fill_date(page, "expires_on", in_days(-3))
    _click(senco, "button", "Give access")
    assert "Select at least one thing the professional may do" in page.content()
    assert "Access ends on must be today or in the future" in page.content()
    page.get_by_label("Read the plan", exact=False).check()
    page.get_by_label("Contribute advice").check()
    _fill_date(page, "expires_on", in_days(90))
    _click(senco, "button", "Give access")
    assert "ep.new@example.org has been given access" in page.content()

    link = re.search(r"https?://\S+?(/accounts/reset/\S+/\S+/)", str(mail.outbox[-1].body))
    assert link
    professional = visitor_for(browser, live_server)
    ep = professional.page
    professional.go(link.group(1))
    ep.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    ep.get_by_label("Confirm your new password").fill(NEW_PASSWORD)
    _click(professional, "button", "Save the new password")
    assert "Your password has been changed" in ep.content()
    professional.sign_in("ep.new@example.org", NEW_PASSWORD)
    assert ep.get_by_role("heading", name="My pupils").is_visible()  # home sends them to their one place
    _click(professional, "link", "Read the plan for Priya One")
    assert "Reads 10 common exception words" in ep.content()
    assert "Precision teaching of sight words" in ep.content()
    _click(professional, "link", "Contribute advice")
    _click(professional, "button", "Send advice")
    assert "Enter your advice" in ep.content()
    ep.get_by_label("Your advice").fill("Give one instruction at a time.")
    _fill_date(ep, "given_on", timezone.localdate())
    _click(professional, "button", "Send advice")
    assert "Your advice has been sent" in ep.content()
    assert ProfessionalAdvice.objects.filter(pupil=world.p1, written_by__email="ep.new@example.org").exists()

    senco.go(f"/professionals/pupils/{world.p1.pk}/grants/")
    assert "Give one instruction at a time." in page.content()
    _click(senco, "button", "Revoke Eve Psychologist's access")
    assert "can no longer see Priya One" in page.content()

    response = ep.reload()
    assert response is not None and response.status == 404
    professional.check()
    senco.assert_accessible()
    professional.assert_accessible()
