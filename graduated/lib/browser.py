"""Helpers for the browser tests: Debian's Chromium driven by Playwright, checked by axe-core."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services, which this machine's network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def browser_available() -> bool:
    return os.path.exists(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def accessibility_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


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
        """Run axe-core on the page the visitor is on; call after every navigation or submit."""
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

    def sign_in(self, email: str, password: str | None = None) -> None:
        """Sign in as a person does: the password, then the second step (setting up the app first,
        for someone who has none yet, with the secret read off the page as a person would type it)."""
        from graduated.lib.testing import PASSWORD

        self.go("/accounts/login/")
        self.page.get_by_label("E-mail address").fill(email)
        self.page.get_by_label("Password").fill(password or PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.check()
        if "/accounts/second-factor/set-up/" in self.page.url:
            self.set_up_authenticator_app()
        elif "/accounts/second-factor/" in self.page.url:
            self.enter_security_code(email)

    def set_up_authenticator_app(self) -> None:
        from graduated.lib.testing import code_from_secret

        self.page.get_by_label("Code from the app").fill(code_from_secret(self.page.locator("#secret").inner_text()))
        self.page.get_by_role("button", name="Confirm the app").click()
        self.page.wait_for_load_state()
        self.check()
        self.page.get_by_role("link", name="I have saved my codes: continue").click()
        self.page.wait_for_load_state()
        self.check()

    def enter_security_code(self, email: str) -> None:
        from graduated.accounts.models import User
        from graduated.lib.testing import code_for

        self.page.get_by_label("Security code").fill(code_for(User.objects.get(email__iexact=email)))
        self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_load_state()
        self.check()

    def assert_accessible(self) -> None:
        assert not self.violations, "axe-core found WCAG 2.2 AA violations:\n" + "\n".join(
            f"{url}\n  " + "\n  ".join(found) for url, found in self.violations.items()
        )


def visitor_for(browser: Any, live_server: Any, *, javascript: bool = True, **context_options: Any) -> Visitor:
    """A new visitor with their own cookies; ``browser`` and ``live_server`` are pytest fixtures."""
    context = browser.new_context(java_script_enabled=javascript, **context_options)
    axe_page = None if javascript else browser.new_context().new_page()
    if axe_page is not None:
        # A page that reloads itself (a Refresh header) would reload under axe as it checks.
        axe_page.route("**/*", _without_refresh)
    return Visitor(context.new_page(), live_server.url, axe_page)


def _without_refresh(route: Any) -> None:
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch()
    headers = {name: value for name, value in response.headers.items() if name.lower() != "refresh"}
    route.fulfill(response=response, headers=headers)
