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
