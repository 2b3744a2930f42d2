"""Journeys in a real browser (Debian's Chromium), with axe-core on every page visited."""

from typing import Any

import pytest

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World

pytestmark = pytest.mark.browser


def test_senco_finds_a_pupil_on_the_register_and_records_a_need(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/settings/{world.setting_a.pk}/register/")
    page.get_by_label("Name or UPN").fill("Priya")
    page.get_by_role("button", name="Apply filters").click()
    visitor.check()
    page.get_by_role("link", name="One, Priya").click()
    visitor.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Priya One"
    page.get_by_role("link", name="Record a need").click()
    visitor.check()
    page.get_by_label("Type of need").select_option("SLCN")
    page.get_by_label("1 – primary need").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Record need").click()
    visitor.check()
    assert "Speech, language and communication needs (SLCN)" in page.content()
    visitor.go(f"/pupils/{world.p1.pk}/chronology/")
    visitor.go(f"/pupils/{world.p1.pk}/audit/")
    visitor.assert_accessible()


def test_form_errors_are_announced_and_accessible(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/settings/{world.setting_a.pk}/add/")
    page.get_by_role("button", name="Add pupil").click()
    visitor.check()
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert page.title().startswith("Error:")
    visitor.assert_accessible()


def test_the_whole_status_change_works_without_javascript(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server, javascript=False)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p2.pk}/status/")
    page.get_by_label("SEN support").check()
    page.get_by_label("Day").fill("6")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save status").click()
    visitor.check()
    assert "SEN status is now SEN support" in page.content()
    world.p2.refresh_from_db()
    assert world.p2.sen_statuses.current().get().status == "K"
    visitor.assert_accessible()


def test_teacher_sees_their_pupils(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    visitor.sign_in(world.teacher_a.email)
    visitor.go("/worklists/my-pupils/")
    visitor.page.get_by_role("link", name="Priya One").click()
    visitor.check()
    visitor.go(f"/pupils/{world.p2.pk}/")  # not linked: 404 page, still accessible
    assert "Page not found" in visitor.page.content()
    visitor.assert_accessible()


def test_pages_on_a_phone_sized_screen(browser: Any, live_server: Any, world: World) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    visitor = Visitor(context.new_page(), live_server.url)
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/settings/{world.setting_a.pk}/register/")
    visitor.go(f"/pupils/{world.p1.pk}/")
    visitor.go("/accessibility")
    visitor.assert_accessible()


def _link_in_last_email(live_server: Any) -> str:
    """The path of the link in the last e-mail sent, on the test server."""
    from django.core import mail

    body = mail.outbox[-1].body
    url = next(word for word in body.split() if word.startswith("http"))
    return live_server.url + "/" + url.split("/", 3)[3]


def test_wrong_password_is_explained_and_accessible(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.go("/accounts/login/")
    page.get_by_label("E-mail address").fill(world.senco_a.email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    visitor.check()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error:")
    visitor.assert_accessible()


def test_senco_invites_a_teacher_who_makes_an_account(browser: Any, live_server: Any, world: World) -> None:
    senco = visitor_for(browser, live_server)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/organisations/setting/{world.setting_a.pk}/people/")
    senco.page.get_by_label("E-mail address").fill("new.teacher@example.org")
    senco.page.get_by_label("Teacher", exact=True).check()
    senco.page.get_by_role("button", name="Send invitation").click()
    senco.check()
    assert "new.teacher@example.org" in senco.page.content()

    newcomer = visitor_for(browser, live_server)
    newcomer.go(_link_in_last_email(live_server).removeprefix(live_server.url))
    newcomer.page.get_by_label("Full name").fill("Nina Newcomer")
    newcomer.page.get_by_label("Create a password").fill("a long and unusual phrase")
    newcomer.page.get_by_label("Confirm your password").fill("a long and unusual phrase")
    newcomer.page.get_by_role("button", name="Make my account and join").click()
    newcomer.check()
    newcomer.go("/worklists/my-pupils/")
    assert "Sign in" not in newcomer.page.get_by_role("heading", level=1).inner_text()
    senco.go(f"/organisations/setting/{world.setting_a.pk}/people/")
    assert "Nina Newcomer" in senco.page.content()
    senco.assert_accessible()
    newcomer.assert_accessible()


def test_password_reset_by_e_mail(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.go("/accounts/password-reset/")
    page.get_by_label("E-mail address").fill(world.teacher_a.email)
    page.get_by_role("button", name="Send the link").click()
    visitor.check()
    visitor.go(_link_in_last_email(live_server).removeprefix(live_server.url))
    page.get_by_label("New password", exact=True).fill("another long phrase to remember")
    page.get_by_label("Confirm your new password").fill("another long phrase to remember")
    page.get_by_role("button", name="Save the new password").click()
    visitor.check()
    visitor.go("/accounts/login/")
    page.get_by_label("E-mail address").fill(world.teacher_a.email)
    page.get_by_label("Password").fill("another long phrase to remember")
    page.get_by_role("button", name="Sign in").click()
    visitor.check()
    assert "/accounts/login/" not in page.url
    visitor.assert_accessible()


def test_la_officer_sees_figures_but_not_pupils(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    visitor.sign_in(world.officer_north.email)
    visitor.go(f"/organisations/la/{world.la_north.pk}/")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "SEN overview"
    assert "Northshire" in visitor.page.content()
    visitor.go(f"/pupils/{world.p1.pk}/")
    assert "Page not found" in visitor.page.content()
    visitor.assert_accessible()
