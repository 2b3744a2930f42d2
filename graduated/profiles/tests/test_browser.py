"""The one-page profile in a real browser, with axe-core on every page visited."""

from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.profiles.models import ProfileVersion

pytestmark = pytest.mark.browser


def test_a_teaching_assistant_writes_a_profile_that_appears_on_the_pupil_page(
    browser: Any, live_server: Any, world: World
) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.ta_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/")
    page.get_by_role("link", name="write one for Priya").click()
    visitor.check()
    page.get_by_role("button", name="Save profile").click()  # empty: the errors are explained
    visitor.check()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What people like and admire about me").fill("People say I am kind and funny.")
    page.get_by_label("What is important to me").fill("My dog, Biscuit.\nDrawing dragons.")
    page.get_by_label("How best to support me").fill("Tell me what is happening next.\nGive me a quiet place.")
    page.get_by_label("Priya (the pupil)").check()
    page.get_by_label("Staff who contributed").fill("Tom Assistant (teaching assistant)")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save profile").click()
    visitor.check()
    assert "One-page profile saved (version 1)" in page.content()

    page.get_by_role("link", name="Update the profile").click()
    visitor.check()
    page.get_by_label("How best to support me").fill("Tell me what is happening next.\nLet me use my wobble cushion.")
    page.get_by_role("button", name="Save profile").click()
    visitor.check()
    assert "One-page profile saved (version 2)" in page.content()
    assert ProfileVersion.objects.filter(profile__pupil=world.p1).count() == 2

    visitor.go(f"/pupils/{world.p1.pk}/")
    panel = page.locator(".app-profile-panel")
    assert "Let me use my wobble cushion." in panel.inner_text()
    panel.get_by_role("link", name="View the one-page profile").click()
    visitor.check()
    page.get_by_role("link", name="All versions").click()
    visitor.check()
    page.get_by_role("link", name="Version 1").click()
    visitor.check()
    assert "This is an old version" in page.content()
    visitor.go(f"/pupils/{world.p1.pk}/profile/print/")
    assert page.get_by_role("heading", level=1).inner_text() == "Priya One"
    assert page.get_by_role("button", name="Print this page").is_visible()  # shown by print.js
    visitor.assert_accessible()


def test_the_print_page_works_without_javascript(browser: Any, live_server: Any, world: World) -> None:
    from datetime import date

    from graduated.audit.services import Actor
    from graduated.profiles.models import ProfileContent
    from graduated.profiles.services import save_profile

    save_profile(
        actor=Actor.system("test"),
        pupil=world.p1,
        expected_version=0,
        content=ProfileContent("I am kind.", "Lego.", "Show me how.", pupil_contributed=True),
        written_on=date(2025, 3, 3),
    )
    visitor = visitor_for(browser, live_server, javascript=False)
    visitor.sign_in(world.head_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/profile/print/")
    assert "Show me how." in visitor.page.content()
    assert not visitor.page.get_by_role("button", name="Print this page").is_visible()
    visitor.assert_accessible()
