"""The second step of signing in, as a person meets it: the code, set-up, recovery codes, devices."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from graduated.accounts import second_factor
from graduated.accounts.models import RecoveryCode, RememberedDevice
from graduated.lib.testing import PASSWORD, World, code_for, code_from_secret, make_user
from graduated.lib.tests.authorisation_matrix import ROWS
from graduated.lib.tests.test_authorisation_matrix import target_args
from graduated.organisations.models import Membership, Role

IP = "203.0.113.9"


def _password_step(client: Client, email: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD}, REMOTE_ADDR=IP)
    assert response.status_code == 302


def _code_step(client: Client, code: str, **extra: str) -> "object":
    return client.post(reverse("accounts:second_factor"), {"code": code, **extra}, REMOTE_ADDR=IP)


def test_a_password_alone_reaches_no_page_that_needs_a_sign_in(world: World) -> None:
    """Every GET in the authorisation matrix that needs a sign-in sends a password-only session to
    the second step: the middleware guards every page, so a new one cannot forget it."""
    client = Client()
    _password_step(client, world.senco_a.email)
    own_pages = {"accounts:second_factor", "accounts:second_factor_setup", "accounts:signed_out"}
    checked = 0
    for row in ROWS:
        if row.method != "GET" or row.public or row.url_name in own_pages:
            continue
        with transaction.atomic():
            url = reverse(row.url_name, args=target_args(world, row.target, "own"))
            response = client.get(url)
            transaction.set_rollback(True)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:second_factor")), url
        checked += 1
    assert checked > 100


def test_the_right_code_opens_the_record_and_cannot_be_used_twice(world: World) -> None:
    client = Client()
    _password_step(client, world.senco_a.email)
    pupil_page = reverse("pupils:detail", args=[world.p1.pk])
    assert client.get(pupil_page)["Location"].startswith(reverse("accounts:second_factor"))
    code = code_for(world.senco_a)
    response = _code_step(client, code, next=pupil_page)
    assert response.status_code == 302 and response["Location"] == pupil_page
    assert client.get(pupil_page).status_code == 200
    # The same code, at once, from another browser that has the password: refused.
    other = Client()
    _password_step(other, world.senco_a.email)
    refused = _code_step(other, code)
    assert refused.status_code == 400
    assert "not right, or was used already" in refused.content.decode()


def test_wrong_codes_are_limited_per_account(world: World, settings: object) -> None:
    settings.SECOND_FACTOR_MAX_FAILURES = 3  # type: ignore[attr-defined]
    client = Client()
    _password_step(client, world.senco_a.email)
    for _ in range(3):
        assert _code_step(client, "000000").status_code == 400
    response = _code_step(client, code_for(world.senco_a))
    assert response.status_code == 400
    assert "Too many codes tried" in response.content.decode()
    assert not second_factor.is_verified(client.session)


def test_setting_up_the_app_shows_a_qr_code_and_the_secret_then_ten_recovery_codes(world: World) -> None:
    user = make_user("new.person@example.org", enrolled=False)
    # Someone with a role must set up the app (a family account is only offered it).
    Membership.objects.create(user=user, role=Role.TEACHER, setting=world.setting_a)
    client = Client()
    _password_step(client, user.email)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:second_factor_setup"))
    page = client.get(reverse("accounts:second_factor_setup")).content.decode()
    assert "<svg" in page and "QR code to scan with the app" in page
    secret = re.search(r'<code class="app-secret" id="secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    assert client.post(reverse("accounts:second_factor_setup"), {"code": "12345"}).status_code == 400
    done = client.post(reverse("accounts:second_factor_setup"), {"code": code_from_secret(secret.group(1))})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("home")).status_code in (200, 302)
    assert second_factor.is_verified(client.session)
    # Stored as hashes only.
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}


def test_someone_with_only_the_password_cannot_add_a_new_app(world: World) -> None:
    client = Client()
    _password_step(client, world.senco_a.email)
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor"))
    assert TOTPDevice.objects.filter(user=world.senco_a).count() == 1


def test_a_recovery_code_works_once(world: World) -> None:
    codes = second_factor.new_recovery_codes(world.senco_a)
    client = Client()
    _password_step(client, world.senco_a.email)
    assert _code_step(client, codes[0].upper()).status_code == 302
    again = Client()
    _password_step(again, world.senco_a.email)
    assert _code_step(again, codes[0]).status_code == 400
    assert second_factor.unused_recovery_codes(world.senco_a) == 9


def test_remembering_a_device_is_off_by_default_and_can_be_revoked(world: World) -> None:
    client = Client()
    _password_step(client, world.senco_a.email)
    _code_step(client, code_for(world.senco_a))
    assert second_factor.REMEMBER_COOKIE not in client.cookies
    client.post(reverse("accounts:logout"))

    _password_step(client, world.senco_a.email)
    _code_step(client, code_for(world.senco_a), remember="on")
    assert second_factor.REMEMBER_COOKIE in client.cookies
    client.post(reverse("accounts:logout"))
    # Next time on this browser, the password is enough.
    _password_step(client, world.senco_a.email)
    assert client.get(reverse("pupils:detail", args=[world.p1.pk])).status_code == 200
    device = RememberedDevice.objects.get(user=world.senco_a)
    assert "Forget" in client.get(reverse("accounts:security")).content.decode()
    # Another person cannot forget it; its owner can, and is then asked for a code again.
    other = Client()
    other.force_login(world.senco_c)
    assert other.post(reverse("accounts:forget_device", args=[device.pk])).status_code == 404
    assert client.post(reverse("accounts:forget_device", args=[device.pk])).status_code == 302
    client.post(reverse("accounts:logout"))
    _password_step(client, world.senco_a.email)
    assert client.get(reverse("pupils:detail", args=[world.p1.pk])).status_code == 302


def test_a_remembered_device_expires(world: World) -> None:
    client = Client()
    _password_step(client, world.senco_a.email)
    _code_step(client, code_for(world.senco_a), remember="on")
    RememberedDevice.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.post(reverse("accounts:logout"))
    _password_step(client, world.senco_a.email)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:second_factor"))


def test_changing_the_password_ends_the_other_sessions_only(world: World) -> None:
    here, elsewhere = Client(), Client()
    here.force_login(world.senco_a)
    elsewhere.force_login(world.senco_a)
    new = "a completely different long phrase"
    response = here.post(
        reverse("accounts:change_password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get(reverse("accounts:security")).status_code == 200
    assert elsewhere.get(reverse("accounts:security"))["Location"].startswith(reverse("accounts:login"))
    wrong = here.post(
        reverse("accounts:change_password"), {"old_password": "not it", "new_password1": new, "new_password2": new}
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.content.decode()


def test_the_totp_command_is_for_demo_accounts_with_debug_on(world: World, settings: object) -> None:
    from graduated.demo.second_factor import DEMO_TOTP_SECRETS

    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("totp_code", "senco.primary@example.org")
    settings.DEBUG = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("totp_code", world.senco_a.email)
    assert "senco.primary@example.org" in DEMO_TOTP_SECRETS


def test_the_readme_lists_every_demo_accounts_secret() -> None:
    from pathlib import Path

    from graduated.demo.second_factor import DEMO_TOTP_SECRETS

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for email, secret in DEMO_TOTP_SECRETS.items():
        assert f"| `{email}` |" in readme and f"`{secret}`" in readme, email


def test_a_reset_removes_the_app_and_ends_the_persons_sessions(world: World) -> None:
    client = Client()
    client.force_login(world.senco_a)
    second_factor.new_recovery_codes(world.senco_a)
    second_factor.reset(world.senco_a)
    assert not TOTPDevice.objects.filter(user=world.senco_a).exists()
    assert not RecoveryCode.objects.filter(user=world.senco_a).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))
    _password_step(client, world.senco_a.email)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:second_factor_setup"))


def test_an_la_admin_resets_a_members_second_factor_and_it_is_audited(world: World) -> None:
    from graduated.audit.models import AuditEvent
    from graduated.organisations.models import Membership

    membership = Membership.objects.get(user=world.teacher_a)
    url = reverse("organisations:reset_second_factor", args=["setting", world.setting_a.pk, membership.pk])
    senco = Client()
    senco.force_login(world.senco_a)
    assert (
        "Reset second factor"
        not in senco.get(reverse("organisations:members", args=["setting", world.setting_a.pk])).content.decode()
    )
    assert senco.post(url).status_code == 404
    admin = Client()
    admin.force_login(world.la_admin_north)
    members_page = admin.get(reverse("organisations:members", args=["setting", world.setting_a.pk]))
    assert url in members_page.content.decode()
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.teacher_a).exists()
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(world.teacher_a.pk), action="change")
    assert event.actor_id == world.la_admin_north.pk and "Second factor reset" in event.description
