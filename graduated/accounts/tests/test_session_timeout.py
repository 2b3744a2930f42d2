"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in,
though the time of the last request is saved at most once every SESSION_REFRESH_SECONDS."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.accounts import middleware
from graduated.lib.testing import World

START = 1_800_000_000.0  # an arbitrary moment, in seconds since the epoch


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The middleware's clock, moved by the test: ``clock.now += 60``."""
    fake = SimpleNamespace(now=START)
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: fake.now))
    return fake


def _pupil_page(world: World) -> str:
    return reverse("pupils:detail", args=[world.p1.pk])


def _signed_in(client: Client, world: World) -> bool:
    response = client.get(_pupil_page(world))
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    return False


def _session_writes(client: Client, world: World) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_pupil_page(world)).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_the_session_is_not_written_on_every_request(client: Client, world: World, clock: SimpleNamespace) -> None:
    client.force_login(world.senco_a)
    assert _session_writes(client, world)  # the first request notes when the session started
    key = client.cookies["sessionid"].value

    for _ in range(5):
        clock.now += 10
        assert _session_writes(client, world) == []
        assert client.cookies["sessionid"].value == key
    assert client.session[middleware.SESSION_LAST_SEEN] == START


def test_the_time_of_the_last_request_is_saved_once_a_refresh_interval_has_passed(
    client: Client, world: World, clock: SimpleNamespace, settings: object
) -> None:
    client.force_login(world.senco_a)
    client.get(_pupil_page(world))
    clock.now += settings.SESSION_REFRESH_SECONDS  # type: ignore[attr-defined]

    assert len(_session_writes(client, world)) == 1
    assert client.session[middleware.SESSION_LAST_SEEN] == clock.now


def test_someone_at_work_stays_signed_in_past_the_idle_limit(
    client: Client, world: World, clock: SimpleNamespace, settings: object
) -> None:
    client.force_login(world.senco_a)
    idle = settings.SESSION_IDLE_MINUTES * 60  # type: ignore[attr-defined]
    for _ in range(3 * idle // 50):  # a request every 50 seconds, for three idle limits
        assert _signed_in(client, world)
        clock.now += 50
    assert _signed_in(client, world)


def test_the_idle_timeout_still_signs_people_out(
    client: Client, world: World, clock: SimpleNamespace, settings: object
) -> None:
    client.force_login(world.senco_a)
    assert _signed_in(client, world)
    clock.now += settings.SESSION_IDLE_MINUTES * 60 - 1  # type: ignore[attr-defined]
    assert _signed_in(client, world)
    clock.now += settings.SESSION_IDLE_MINUTES * 60 + 1  # type: ignore[attr-defined]

    assert not _signed_in(client, world)
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("accounts:login")).content.decode()
    assert "You were signed out to keep pupils&#x27; records safe." in page


def test_an_unsaved_request_never_extends_the_idle_limit(
    client: Client, world: World, clock: SimpleNamespace, settings: object
) -> None:
    """A request within the refresh interval is not saved, so the idle limit counts from the last
    request that was: the session ends at most SESSION_REFRESH_SECONDS early, never late."""
    client.force_login(world.senco_a)
    assert _signed_in(client, world)  # saved: the last request is at START
    clock.now += settings.SESSION_REFRESH_SECONDS - 1  # type: ignore[attr-defined]
    assert _signed_in(client, world)  # not saved
    clock.now = START + settings.SESSION_IDLE_MINUTES * 60 + 1  # type: ignore[attr-defined]

    assert not _signed_in(client, world)


def test_the_absolute_timeout_ends_even_a_busy_session(
    client: Client, world: World, clock: SimpleNamespace, settings: object
) -> None:
    client.force_login(world.senco_a)
    assert _signed_in(client, world)
    max_seconds = settings.SESSION_MAX_HOURS * 3600  # type: ignore[attr-defined]
    step = settings.SESSION_IDLE_MINUTES * 60 // 2  # type: ignore[attr-defined]
    while clock.now + step < START + max_seconds:
        clock.now += step
        assert _signed_in(client, world)
    clock.now = START + max_seconds + 1

    assert not _signed_in(client, world)


def test_signing_out_everywhere_ends_a_session_within_the_refresh_interval(
    client: Client, world: World, clock: SimpleNamespace
) -> None:
    client.force_login(world.senco_a)
    assert _signed_in(client, world)
    clock.now += 5
    world.senco_a.end_all_sessions()

    assert not _signed_in(client, world)


def test_a_deactivated_account_is_signed_out_at_its_next_request(
    client: Client, world: World, clock: SimpleNamespace
) -> None:
    client.force_login(world.senco_a)
    assert _signed_in(client, world)
    clock.now += 5
    world.senco_a.is_active = False
    world.senco_a.save(update_fields=["is_active"])

    assert not _signed_in(client, world)
