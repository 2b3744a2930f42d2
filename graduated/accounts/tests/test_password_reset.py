"""Resetting a forgotten password by e-mail."""

import re

from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from graduated.lib.testing import PASSWORD, World

NEW_PASSWORD = "a brand new long passphrase"


def _ask_for_link(client: Client, email: str) -> HttpResponse:
    return client.post(reverse("accounts:password_reset"), {"email": email})


def _link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+/accounts/reset/\S+/\S+/", str(message.body))
    assert match, message.body
    return match.group(0)


def test_a_known_address_gets_a_link_and_an_unknown_one_gets_nothing_but_the_same_page(
    client: Client, world: World, settings: Settings
) -> None:
    settings.SITE_URL = "https://graduated.example.gov.uk"

    known = _ask_for_link(client, "Teacher.A@example.org")
    unknown = _ask_for_link(client, "nobody.here@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.teacher_a.email]
    assert _link_in(message).startswith("https://graduated.example.gov.uk/accounts/reset/")
    page = client.get(known["Location"]).content.decode()
    assert "If the address you entered has an account" in page


def test_no_link_for_a_closed_account(client: Client, world: World) -> None:
    world.teacher_a.is_active = False
    world.teacher_a.save()
    _ask_for_link(client, world.teacher_a.email)
    assert mail.outbox == []


def test_a_malformed_address_is_refused_with_a_message(client: Client, db: None) -> None:
    response = _ask_for_link(client, "not-an-address")
    assert response.status_code == 400
    assert "Enter an e-mail address in the correct format" in response.content.decode()
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once(client: Client, world: World) -> None:
    _ask_for_link(client, world.teacher_a.email)
    link = _link_in(mail.outbox[0])

    # The link moves its token into the session and shows the form at a token-free address.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()

    short = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert short.status_code == 400
    assert "This password is too short. It must contain at least 12 characters." in short.content.decode()
    common = client.post(form_url, {"new_password1": "password1234", "new_password2": "password1234"})
    assert "This password is too common." in common.content.decode()
    differ = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "The passwords do not match" in differ.content.decode()
    world.teacher_a.refresh_from_db()
    assert world.teacher_a.check_password(PASSWORD)

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done["Location"] == reverse("accounts:password_reset_complete")
    world.teacher_a.refresh_from_db()
    assert world.teacher_a.check_password(NEW_PASSWORD)
    assert Client().login(username=world.teacher_a.email, password=NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_made_up_link_does_not_work(client: Client, world: World) -> None:
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "made-up-token"]))
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


def test_an_account_that_never_had_a_password_can_set_one(client: Client, world: World) -> None:
    world.teacher_a.set_unusable_password()
    world.teacher_a.save()
    _ask_for_link(client, world.teacher_a.email)
    assert [m.to for m in mail.outbox] == [[world.teacher_a.email]]
