"""Signing in and out, as a person meets it."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from graduated.lib.testing import PASSWORD, World, mark_second_factor_done

LOGIN = "/accounts/login/"
WRONG = "Enter a correct e-mail address and password"


def _sign_in(client: Client, email: str, password: str, **extra: str) -> HttpResponse:
    return client.post(reverse("accounts:login"), {"username": email, "password": password, **extra})


def _normalised(html: str, *addresses: str) -> str:
    """The page without what differs on every request (CSRF and form tokens, CSP nonces) and the address
    the person typed, which is shown back to them in its box."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="form_token" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    for address in addresses:
        html = html.replace(address, "ADDRESS")
    return html


def test_login_url_is_where_django_sends_people() -> None:
    assert reverse("accounts:login") == LOGIN


def test_sign_in_page_asks_for_an_email_address_and_password(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in page
    assert 'type="email"' in page and 'name="username"' in page
    assert 'type="password"' in page
    assert reverse("accounts:password_reset") in page


def test_signing_in_with_any_capitalisation_goes_home_with_a_new_session(client: Client, world: World) -> None:
    session = client.session
    session["before"] = "anonymous visit"
    session.save()
    before = session.session_key

    response = _sign_in(client, "SENCO.A@Example.ORG", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before  # no session fixation
    assert client.session["_auth_user_id"] == str(world.senco_a.pk)


def test_sign_in_returns_to_a_safe_next_page_only(client: Client, world: World) -> None:
    members = reverse("organisations:members", args=["setting", world.setting_a.pk])
    response = _sign_in(client, world.senco_a.email, PASSWORD, next=members)
    assert response["Location"] == members

    client.logout()
    response = _sign_in(client, world.senco_a.email, PASSWORD, next="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_wrong_password_and_unknown_address_get_the_same_page(client: Client, world: World) -> None:
    wrong_password = _sign_in(client, world.senco_a.email, "not the right password")
    unknown = _sign_in(client, "nobody.here@example.org", "not the right password")

    assert wrong_password.status_code == unknown.status_code == 400
    assert WRONG in wrong_password.content.decode()
    assert _normalised(wrong_password.content.decode(), world.senco_a.email) == _normalised(
        unknown.content.decode(), "nobody.here@example.org"
    )
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in_and_is_not_revealed(client: Client, world: World) -> None:
    world.teacher_a.is_active = False
    world.teacher_a.save()

    closed = _sign_in(client, world.teacher_a.email, PASSWORD)
    unknown = _sign_in(client, "nobody.here@example.org", PASSWORD)

    assert "_auth_user_id" not in client.session
    assert WRONG in closed.content.decode()
    assert _normalised(closed.content.decode(), world.teacher_a.email) == _normalised(
        unknown.content.decode(), "nobody.here@example.org"
    )


def test_an_empty_form_says_what_to_enter(client: Client, db: None) -> None:
    page = _sign_in(client, "", "").content.decode()
    assert "There is a problem" in page
    assert "Enter your e-mail address" in page
    assert "Enter your password" in page


def test_sign_out_needs_a_post_and_ends_the_session(client: Client, world: World) -> None:
    client.force_login(world.senco_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("accounts:signed_out")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You have signed out" in page
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)


@pytest.mark.parametrize("persona", ["senco_a", "officer_north"])
def test_signed_in_pages_carry_a_sign_out_button(client: Client, world: World, persona: str) -> None:
    client.force_login(world.persona(persona))
    response = client.get(reverse("home"), follow=True)
    assert f'action="{reverse("accounts:logout")}"' in response.content.decode()


def test_deactivating_an_account_ends_its_sessions_on_the_next_request(client: Client, world: World) -> None:
    assert client.login(username=world.senco_a.email, password=PASSWORD)
    mark_second_factor_done(client)
    pupil_page = reverse("pupils:detail", args=[world.p1.pk])
    assert client.get(pupil_page).status_code == 200
    world.senco_a.is_active = False
    world.senco_a.save(update_fields=["is_active"])
    response = client.get(pupil_page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
