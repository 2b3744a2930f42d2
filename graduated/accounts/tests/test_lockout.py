"""Repeated failed sign-ins lock the (address, IP address) pair, as a person meets it."""

from datetime import timedelta

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.accounts.models import ThrottleHit
from graduated.lib.testing import PASSWORD, World

LOCKED = "Too many attempts to sign in with this e-mail address. Wait 15 minutes and try again"
WRONG = "Enter a correct e-mail address and password"


def _sign_in(client: Client, email: str, password: str, ip: str = "203.0.113.7") -> HttpResponse:
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def _fail(client: Client, email: str, times: int, ip: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = _sign_in(client, email, "not the password", ip)
        assert response.status_code == 400 and WRONG in response.content.decode()


def test_five_failures_lock_the_address_from_that_ip_even_with_the_right_password(client: Client, world: World) -> None:
    _fail(client, world.senco_a.email, 5)
    response = _sign_in(client, world.senco_a.email, PASSWORD)
    assert response.status_code == 400 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Typed with other capitals, the address is the same address.
    assert LOCKED in _sign_in(client, world.senco_a.email.upper(), PASSWORD).content.decode()
    # The same person from another network, and another person from this one, are not locked out.
    assert _sign_in(Client(), world.senco_a.email, PASSWORD, ip="198.51.100.20").status_code == 302
    assert _sign_in(Client(), world.head_a.email, PASSWORD).status_code == 302


def test_an_unknown_address_is_locked_with_the_same_message(client: Client, world: World) -> None:
    _fail(client, "nobody@example.org", 5)
    unknown = _sign_in(client, "nobody@example.org", "anything at all")
    _fail(client, world.senco_a.email, 5)
    known = _sign_in(client, world.senco_a.email, "anything at all")
    assert LOCKED in unknown.content.decode() and LOCKED in known.content.decode()
    assert unknown.status_code == known.status_code == 400


def test_the_lock_ends_when_the_failures_are_older_than_the_window(client: Client, world: World) -> None:
    _fail(client, world.senco_a.email, 5)
    ThrottleHit.objects.filter(scope="sign-in").update(at=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client, world.senco_a.email, PASSWORD).status_code == 302


def test_signing_in_clears_the_failures_so_they_do_not_add_up(client: Client, world: World) -> None:
    _fail(client, world.senco_a.email, 4)
    assert _sign_in(client, world.senco_a.email, PASSWORD).status_code == 302
    assert not ThrottleHit.objects.filter(scope="sign-in").exists()
    _fail(Client(), world.senco_a.email, 4)
    assert _sign_in(Client(), world.senco_a.email, PASSWORD).status_code == 302


def test_the_limits_come_from_the_settings(client: Client, world: World, settings: object) -> None:
    settings.SIGN_IN_MAX_FAILURES = 2  # type: ignore[attr-defined]
    settings.SIGN_IN_LOCKOUT_MINUTES = 60  # type: ignore[attr-defined]
    _fail(client, world.senco_a.email, 2)
    response = _sign_in(client, world.senco_a.email, PASSWORD)
    assert "Wait 60 minutes" in response.content.decode()


def test_one_ip_address_trying_many_addresses_is_stopped(client: Client, world: World, settings: object) -> None:
    """Password spraying: one wrong guess each at many addresses, from one machine."""
    settings.SIGN_IN_MAX_FAILURES_PER_IP = 3  # type: ignore[attr-defined]
    for n in range(3):
        _fail(client, f"someone{n}@example.org", 1)
    response = _sign_in(client, world.senco_a.email, PASSWORD)
    assert response.status_code == 400
    assert "Too many attempts to sign in from your network" in response.content.decode()
    # Another network is not affected.
    assert _sign_in(Client(), world.senco_a.email, PASSWORD, ip="198.51.100.20").status_code == 302


def test_a_right_password_does_not_count_against_the_network(client: Client, world: World, settings: object) -> None:
    settings.SIGN_IN_MAX_FAILURES_PER_IP = 2  # type: ignore[attr-defined]
    for _ in range(4):
        assert _sign_in(Client(), world.senco_a.email, PASSWORD).status_code == 302
    assert not ThrottleHit.objects.exists()
