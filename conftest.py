import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from graduated.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from graduated.lib.browser import browser_available, chromium
from graduated.lib.testing import World, build_world

# Property tests check rules, not speed: on a busy CI machine Hypothesis's default 200 ms deadline
# per example fails tests that are merely slow. Speed is the benchmark suite's business.
hypothesis_settings.register_profile("graduated", deadline=None)
hypothesis_settings.load_profile("graduated")


@pytest.fixture(autouse=True, scope="session")
def _force_login_includes_the_second_factor() -> Iterator[None]:
    """``client.force_login(user)`` stands for a finished sign-in, second step included, as it stood
    for a finished one-step sign-in before. Tests of the second step itself go through its pages
    (or use ``client.login``, which signs in with the password alone)."""
    from graduated.lib.testing import mark_second_factor_done

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        mark_second_factor_done(self)

    Client.force_login = force_login  # type: ignore[method-assign]
    yield
    Client.force_login = original  # type: ignore[method-assign]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """A client signed in as the given user: ``client_for(world.senco_a)``."""

    def sign_in(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        # As after the first page a real sign-in leads to: the session has its start and last-seen
        # times, so a test's first request does not carry the one-off session write and query
        # counts measure the page alone.
        session = client.session
        session[SESSION_STARTED] = session[SESSION_LAST_SEEN] = time.time()
        session.save()
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _audit_triggers_around_flush(request: pytest.FixtureRequest) -> None:
    """Tests on a real transaction flush every table afterwards, which the audit triggers refuse.

    Reinstall the triggers for the test, and drop them just before pytest-django flushes.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.db import connection

    from graduated.audit import triggers

    request.getfixturevalue("transactional_db")
    triggers.install(connection)
    yield
    triggers.remove(connection)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings) -> None:  # type: ignore[no-untyped-def]
    """Tasks (e-mail) run in-process in tests; tests of the real worker switch the backend back."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "email"]}
    }
    # Django's test set-up points every mailer at locmem; put the queue back in front of it.
    settings.MAILERS = {
        "default": {"BACKEND": "graduated.lib.mail.QueuedEmailBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is slow by design; the personas' passwords need no protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's Chromium, for browser tests: ``visitor_for(browser, live_server)`` (lib/browser.py)."""
    if not browser_available():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (REQUIRE_BROWSER=1) but was not found.")
        pytest.skip("Chromium is not installed; `./dev test` installs it where it can.")
    # Playwright's sync API keeps an event loop in this thread; the test's own database calls
    # (building the world) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as instance:
        yield instance
