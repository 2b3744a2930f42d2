"""Journeys in a real browser (Debian's Chromium), with axe-core on every page visited."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

from graduated.lib.browser import accessibility_violations, browser_available, chromium
from graduated.lib.testing import PASSWORD, World

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not browser_available():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (REQUIRE_BROWSER=1) but was not found.")
        pytest.skip("Chromium is not installed; `./dev test` installs it where it can.")
    # Playwright's sync API keeps an event loop in this thread; the test's own database calls
    # (building the world) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as instance:
        yield instance


class Visitor:
    """A person at a browser: every page they land on is checked with axe-core."""

    def __init__(self, page: Any, base_url: str, axe_page: Any = None) -> None:
        self.page = page
        self.base_url = base_url
        # axe-core is JavaScript: with JavaScript off it cannot run in the visitor's own page, so it
        # checks the same address, with the same session, in a second page that has JavaScript.
        self.axe_page = axe_page
        self.violations: dict[str, list[str]] = {}

    def check(self) -> None:
        checked = self.page
        if self.axe_page is not None:
            self.axe_page.context.add_cookies(self.page.context.cookies())
            self.axe_page.goto(self.page.url)
            checked = self.axe_page
        found = accessibility_violations(checked)
        if found:
            self.violations[self.page.url] = found

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check()

    def sign_in(self, email: str) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.check()

    def assert_accessible(self) -> None:
        assert not self.violations, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(
            f"{url}\n  " + "\n  ".join(found) for url, found in self.violations.items()
        )


def _visitor(browser: Any, live_server: Any, *, javascript: bool = True) -> Visitor:
    context = browser.new_context(java_script_enabled=javascript)
    axe_page = None if javascript else browser.new_context().new_page()
    return Visitor(context.new_page(), live_server.url, axe_page)


def test_senco_finds_a_pupil_on_the_register_and_records_a_need(browser: Any, live_server: Any, world: World) -> None:
    visitor = _visitor(browser, live_server)
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
    visitor = _visitor(browser, live_server)
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
    visitor = _visitor(browser, live_server, javascript=False)
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
    visitor = _visitor(browser, live_server)
    visitor.sign_in(world.teacher_a.email)
    visitor.go("/pupils/mine/")
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
    visitor = _visitor(browser, live_server)
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
    senco = _visitor(browser, live_server)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/organisations/setting/{world.setting_a.pk}/people/")
    senco.page.get_by_label("E-mail address").fill("new.teacher@example.org")
    senco.page.get_by_label("Teacher", exact=True).check()
    senco.page.get_by_role("button", name="Send invitation").click()
    senco.check()
    assert "new.teacher@example.org" in senco.page.content()

    newcomer = _visitor(browser, live_server)
    newcomer.go(_link_in_last_email(live_server).removeprefix(live_server.url))
    newcomer.page.get_by_label("Full name").fill("Nina Newcomer")
    newcomer.page.get_by_label("Create a password").fill("a long and unusual phrase")
    newcomer.page.get_by_label("Confirm your password").fill("a long and unusual phrase")
    newcomer.page.get_by_role("button", name="Make my account and join").click()
    newcomer.check()
    newcomer.go("/pupils/mine/")
    assert "Sign in" not in newcomer.page.get_by_role("heading", level=1).inner_text()
    senco.go(f"/organisations/setting/{world.setting_a.pk}/people/")
    assert "Nina Newcomer" in senco.page.content()
    senco.assert_accessible()
    newcomer.assert_accessible()


def test_password_reset_by_e_mail(browser: Any, live_server: Any, world: World) -> None:
    visitor = _visitor(browser, live_server)
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
    visitor = _visitor(browser, live_server)
    visitor.sign_in(world.officer_north.email)
    visitor.go(f"/organisations/la/{world.la_north.pk}/")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "SEN overview"
    assert "Northshire" in visitor.page.content()
    visitor.go(f"/pupils/{world.p1.pk}/")
    assert "Page not found" in visitor.page.content()
    visitor.assert_accessible()
