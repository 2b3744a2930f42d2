"""A SENCO gives a parent access; the parent sets a password and signs in on a phone (390 px,
no JavaScript), without a second step, and reads the plan and the sessions given. axe on every page."""

import re
from typing import Any

import pytest
from django.core import mail

from graduated.families.tests.helpers import mother_of_p1, plan_for_p1
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_parent_is_invited_and_reads_the_plan_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    contact = mother_of_p1(world)
    plan_for_p1(world, [(1, "delivered"), (2, "delivered"), (3, "delivered")])

    senco = visitor_for(browser, live_server, javascript=False)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pupils/{world.p1.pk}/")
    senco.page.get_by_role("link", name="Family access").click()
    senco.check()
    senco.page.get_by_label(re.compile("Rosa One")).check()
    senco.page.get_by_role("button", name="Send the invitation").click()
    senco.check()
    assert "rosa.one@example.com has been given access" in senco.page.content()
    senco.assert_accessible()

    link = re.search(r"https?://\S+/accounts/reset/\S+", mail.outbox[-1].body)
    assert link is not None and contact.family_links.exists()
    parent = visitor_for(browser, live_server, javascript=False, **PHONE)
    parent.go(re.sub(r"^https?://[^/]+", "", link.group(0)))
    parent.page.get_by_label("New password", exact=True).fill("a long family passphrase 42")
    parent.page.get_by_label("Confirm your new password").fill("a long family passphrase 42")
    parent.page.get_by_role("button", name=re.compile("password", re.I)).click()
    parent.check()
    parent.sign_in("rosa.one@example.com", "a long family passphrase 42")
    page = parent.page
    assert page.get_by_role("heading", name="Priya's support").is_visible()
    assert "Read a short book on her own" in page.content()
    assert "So far: <strong>3 sessions given</strong>" in page.content()
    parent.assert_accessible()
