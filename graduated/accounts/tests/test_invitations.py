"""Accepting an invitation: a new person makes an account; someone with one signs in first."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated import access
from graduated.accounts.models import User
from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import PASSWORD, World
from graduated.organisations import services
from graduated.organisations.models import Invitation, Membership, Role, Setting, hash_token

NEW_ADDRESS = "new.teacher@example.org"
NEW_PASSWORD = "a long and unguessable phrase"
UNUSABLE = "This invitation link has expired or has already been used."


def invite(world: World, email: str, role: Role = Role.TEACHER, setting: Setting | None = None) -> str:
    """Invite through the service, as a SENCO would, and return the link's path from the e-mail."""
    setting = setting or world.setting_a
    services.invite_member(
        actor=access.actor_in(world.senco_a, setting),
        organisation=setting,
        email=email,
        role=role,
    )
    match = re.search(r"/accounts/invitations/[\w-]+/", str(mail.outbox[-1].body))
    assert match
    return match.group(0)


def new_account(client: Client, path: str, **changes: str) -> HttpResponse:
    data = {"full_name": "Nell New", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    return client.post(path, {**data, **changes})


def test_a_new_person_makes_an_account_joins_and_is_signed_in(client: Client, world: World) -> None:
    path = invite(world, NEW_ADDRESS)

    page = client.get(path)
    assert page.status_code == 200
    assert "Join Ash Primary School" in page.content.decode()
    assert NEW_ADDRESS in page.content.decode()

    response = new_account(client, path)

    assert response["Location"] == reverse("home")
    user = User.objects.get(email=NEW_ADDRESS)
    assert user.full_name == "Nell New"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).role == Role.TEACHER
    assert Membership.objects.get(user=user).setting == world.setting_a
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Invitation.objects.get(email=NEW_ADDRESS).accepted_at is not None
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="organisations.membership", actor_id=user.pk
    ).exists()


def test_the_new_account_form_checks_what_was_typed(client: Client, world: World) -> None:
    path = invite(world, NEW_ADDRESS)

    empty = client.post(path, {})
    assert empty.status_code == 400
    assert "Enter your full name" in empty.content.decode()
    assert "Enter a password" in empty.content.decode()

    short = new_account(client, path, password="short", password_confirm="short").content.decode()
    assert "This password is too short. It must contain at least 12 characters." in short

    differ = new_account(client, path, password_confirm=NEW_PASSWORD + "!").content.decode()
    assert "The passwords do not match" in differ

    assert not User.objects.filter(email=NEW_ADDRESS).exists()
    assert Invitation.objects.get(email=NEW_ADDRESS).accepted_at is None


def test_a_link_works_once(client: Client, world: World) -> None:
    path = invite(world, NEW_ADDRESS)
    new_account(client, path)

    for response in (Client().get(path), new_account(Client(), path, full_name="Someone Else")):
        assert response.status_code == 410
        assert UNUSABLE in response.content.decode()
    assert User.objects.filter(email__iexact=NEW_ADDRESS).count() == 1
    assert Membership.objects.filter(user__email=NEW_ADDRESS).count() == 1


def test_accepting_twice_at_once_makes_one_account(world: World) -> None:
    """Two submissions that both found the link usable: the second is refused by the service."""
    invite(world, NEW_ADDRESS)
    stale = Invitation.objects.get(email=NEW_ADDRESS)
    account = services.NewAccount(full_name="Nell New", password=NEW_PASSWORD)

    services.accept_invitation(invitation=stale, new_account=account)
    with pytest.raises(services.InvitationUnusableError):
        services.accept_invitation(invitation=Invitation.objects.get(pk=stale.pk), new_account=account)

    stale.accepted_at = None  # as a request that read the row before the first one saved it
    with pytest.raises(services.InvitationUnusableError):
        services.accept_invitation(invitation=stale, new_account=account)
    assert User.objects.filter(email=NEW_ADDRESS).count() == 1
    assert Membership.objects.filter(user__email=NEW_ADDRESS).count() == 1


@pytest.mark.parametrize("spoil", ["expired", "revoked", "unknown"])
def test_an_expired_revoked_or_unknown_link_changes_nothing(client: Client, world: World, spoil: str) -> None:
    path = invite(world, NEW_ADDRESS)
    invitation = Invitation.objects.get(email=NEW_ADDRESS)
    if spoil == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
        invitation.save()
    elif spoil == "revoked":
        services.revoke_invitation(actor=access.actor_in(world.senco_a, world.setting_a), invitation=invitation)
    else:
        path = reverse("accounts:accept_invitation", args=["not-a-real-token"])

    for response in (client.get(path), new_account(client, path)):
        assert response.status_code == 410
        assert UNUSABLE in response.content.decode()
        assert "Ask the person who invited you for a new one." in response.content.decode()
    assert not User.objects.filter(email=NEW_ADDRESS).exists()


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    path = invite(world, NEW_ADDRESS)
    token = path.rstrip("/").rsplit("/", 1)[1]
    stored = Invitation.objects.get(email=NEW_ADDRESS)
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
    assert len(token) >= 43  # 32 random bytes


def test_someone_with_an_account_signs_in_as_themselves_then_accepts(client: Client, world: World) -> None:
    """The SENCO at setting B is invited to setting A too."""
    path = invite(world, "Senco.B@example.org", Role.SENIOR_LEADER)

    page = client.get(path).content.decode()
    assert "sign in as senco.b@example.org" in page
    login_url = f"{reverse('accounts:login')}?next={path.replace('/', '%2F')}"
    assert login_url in page
    assert client.post(path)["Location"] == login_url  # accepting needs signing in first

    signed_in = client.post(login_url, {"username": world.senco_b.email, "password": PASSWORD})
    assert signed_in["Location"] == path
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path)

    assert response["Location"] == reverse("home")
    roles = {m.setting_id: m.role for m in Membership.objects.filter(user=world.senco_b)}
    assert roles == {world.setting_b.pk: Role.SENCO, world.setting_a.pk: Role.SENIOR_LEADER}
    assert User.objects.filter(email__iexact="senco.b@example.org").count() == 1
    assert client.post(path).status_code == 410


def test_someone_else_signed_in_is_asked_to_sign_out_and_changes_nothing(client: Client, world: World) -> None:
    existing = invite(world, world.senco_b.email, Role.TEACHER)
    brand_new = invite(world, NEW_ADDRESS, Role.TEACHER)
    client.force_login(world.officer_north)

    page = client.get(existing)
    assert page.status_code == 200
    assert "This invitation is for senco.b@example.org" in page.content.decode()
    assert "You are signed in as officer.north@example.org" in page.content.decode()
    assert client.post(existing).status_code == 403
    assert client.get(brand_new).status_code == 200
    assert new_account(client, brand_new).status_code == 403

    assert not Membership.objects.filter(user=world.officer_north, setting=world.setting_a).exists()
    assert not Membership.objects.filter(user=world.senco_b, setting=world.setting_a).exists()
    assert not User.objects.filter(email=NEW_ADDRESS).exists()
    assert client.session["_auth_user_id"] == str(world.officer_north.pk)


def test_sign_out_from_the_invitation_leads_to_signing_in_as_the_invited_person(client: Client, world: World) -> None:
    path = invite(world, world.senco_b.email, Role.TEACHER)
    client.force_login(world.officer_north)
    page = client.get(path).content.decode()
    next_value = re.search(r'name="next" value="([^"]+)"', page)
    assert next_value

    response = client.post(reverse("accounts:logout"), {"next": next_value.group(1).replace("&amp;", "&")})

    assert "_auth_user_id" not in client.session
    assert response["Location"].startswith(reverse("accounts:login"))
    assert response["Location"].endswith(path.replace("/", "%2F"))
