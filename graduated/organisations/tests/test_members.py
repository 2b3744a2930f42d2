"""Managing the people in a setting or LA: invite, cancel an invitation, change a role, remove."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from graduated import access
from graduated.accounts.models import User
from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World, make_member
from graduated.organisations import services
from graduated.organisations.models import Invitation, Membership, Role
from graduated.organisations.tests.types import ClientFor

NEW_ADDRESS = "new.person@example.org"


def members_url(world: World, kind: str = "setting") -> str:
    organisation = world.setting_a if kind == "setting" else world.la_north
    return reverse("organisations:members", args=[kind, organisation.pk])


def invite_url(world: World, kind: str = "setting") -> str:
    organisation = world.setting_a if kind == "setting" else world.la_north
    return reverse("organisations:invite", args=[kind, organisation.pk])


def membership_of(user: User) -> Membership:
    return Membership.objects.get(user=user)


def role_url(membership: Membership, name: str = "change_role") -> str:
    kind = "setting" if membership.setting_id else "la"
    organisation_id = membership.setting_id or membership.local_authority_id
    return reverse(f"organisations:{name}", args=[kind, organisation_id, membership.pk])


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_members_page_lists_members_and_pending_invitations(client_for: ClientFor, world: World) -> None:
    services.invite_member(
        actor=access.actor_in(world.senco_a, world.setting_a),
        organisation=world.setting_a,
        email=NEW_ADDRESS,
        role=Role.TEACHING_ASSISTANT,
    )
    page = client_for(world.senco_a).get(members_url(world)).content.decode()

    for name, email in [
        ("Sam Senco", "senco.a@example.org"),
        ("Tia Teacher", "teacher.a@example.org"),
    ]:
        assert name in page and email in page
    assert "Senior leader" in page
    assert NEW_ADDRESS in page and "Teaching assistant" in page
    assert "Cal Senco" not in page  # setting C's SENCO
    assert "Bea Senco" not in page  # setting B's SENCO


@pytest.mark.parametrize("persona", ["teacher_a", "head_a", "senco_b", "senco_c", "officer_north"])
def test_people_who_do_not_manage_members_there_get_404(client_for: ClientFor, world: World, persona: str) -> None:
    client = client_for(world.persona(persona))
    assert client.get(members_url(world)).status_code == 404
    assert client.post(invite_url(world), {"email": NEW_ADDRESS, "role": "teacher"}).status_code == 404
    assert not Invitation.objects.exists()


def test_an_unknown_kind_of_organisation_is_404(client_for: ClientFor, world: World) -> None:
    url = reverse("organisations:members", args=["school", world.setting_a.pk])
    assert client_for(world.senco_a).get(url).status_code == 404


def test_the_la_admin_manages_the_las_settings_and_the_la(client_for: ClientFor, world: World) -> None:
    client = client_for(world.la_admin_north)
    assert client.get(members_url(world)).status_code == 200
    page = client.get(members_url(world, "la")).content.decode()
    assert "Nia Officer" in page and "Sol Officer" not in page
    other_la = reverse("organisations:members", args=["la", world.la_south.pk])
    assert client.get(other_la).status_code == 404


def test_inviting_sends_a_single_use_link_that_works(client_for: ClientFor, world: World, settings: Settings) -> None:
    settings.SITE_URL = "https://graduated.example.gov.uk"
    client = client_for(world.senco_a)

    response = client.post(invite_url(world), {"email": " New.Person@Example.org ", "role": "teacher"})

    assert response["Location"] == members_url(world)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.setting) == (
        NEW_ADDRESS,
        Role.TEACHER,
        world.setting_a,
    )
    assert invitation.invited_by == world.senco_a
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [NEW_ADDRESS]
    body = str(mail.outbox[0].body)
    assert "Sam Senco has invited you to join Ash Primary School" in body
    match = re.search(r"https://graduated\.example\.gov\.uk/accounts/invitations/([\w-]+)/", body)
    assert match
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="organisations.invitation").exists()
    assert "We have sent an invitation to new.person@example.org" in client.get(members_url(world)).content.decode()

    link = reverse("accounts:accept_invitation", args=[match.group(1)])
    assert "Join Ash Primary School" in Client().get(link).content.decode()


def test_inviting_a_member_again_says_so_and_sends_nothing(client_for: ClientFor, world: World) -> None:
    response = client_for(world.senco_a).post(invite_url(world), {"email": "TEACHER.A@example.org", "role": "senco"})
    assert response.status_code == 400
    assert "teacher.a@example.org is already a member of Ash Primary School" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert membership_of(world.teacher_a).role == Role.TEACHER


def test_inviting_a_pending_address_again_cancels_the_older_link(client_for: ClientFor, world: World) -> None:
    client = client_for(world.senco_a)
    client.post(invite_url(world), {"email": NEW_ADDRESS, "role": "teacher"})
    client.post(invite_url(world), {"email": NEW_ADDRESS, "role": "senior_leader"})

    first, second = (re.search(r"/accounts/invitations/[\w-]+/", str(m.body)) for m in mail.outbox)
    assert first and second
    assert Client().get(first.group(0)).status_code == 410
    assert Client().get(second.group(0)).status_code == 200
    assert list(Invitation.objects.pending().values_list("role", flat=True)) == [Role.SENIOR_LEADER]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "not an address", "role": "teacher"},
            "Enter an e-mail address in the correct format",
        ),
        ({"email": "", "role": "teacher"}, "Enter an e-mail address"),
        ({"email": NEW_ADDRESS, "role": "la_admin"}, "Select one of the roles listed"),
        ({"email": NEW_ADDRESS, "role": "headteacher"}, "Select one of the roles listed"),
        ({"email": NEW_ADDRESS}, "Select a role"),
    ],
)
def test_bad_invitations_are_refused_with_a_message(
    client_for: ClientFor, world: World, data: dict[str, str], message: str
) -> None:
    response = client_for(world.senco_a).post(invite_url(world), data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_the_la_admin_can_invite_la_roles_only_to_the_la(client_for: ClientFor, world: World) -> None:
    client = client_for(world.la_admin_north)
    assert client.post(invite_url(world, "la"), {"email": NEW_ADDRESS, "role": "senco"}).status_code == 400
    assert not Invitation.objects.exists()
    client.post(invite_url(world, "la"), {"email": NEW_ADDRESS, "role": "la_officer"})
    assert Invitation.objects.get().local_authority == world.la_north


def test_cancelling_an_invitation_stops_its_link(client_for: ClientFor, world: World) -> None:
    client = client_for(world.senco_a)
    client.post(invite_url(world), {"email": NEW_ADDRESS, "role": "teacher"})
    link = re.search(r"/accounts/invitations/[\w-]+/", str(mail.outbox[0].body))
    assert link
    invitation = Invitation.objects.get()
    revoke = reverse("organisations:revoke_invitation", args=["setting", world.setting_a.pk, invitation.pk])

    assert client.get(revoke).status_code == 405
    response = client.post(revoke)

    assert response["Location"] == members_url(world)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(link.group(0)).status_code == 410
    again = client.post(revoke, follow=True)
    assert "had already been used, cancelled or expired" in again.content.decode()
    assert AuditEvent.objects.filter(object_type="organisations.invitation", action=AuditAction.CHANGE).count() == 1


def test_an_invitation_of_another_organisation_is_404(client_for: ClientFor, world: World) -> None:
    services.invite_member(
        actor=access.actor_in(world.senco_c, world.setting_c),
        organisation=world.setting_c,
        email=NEW_ADDRESS,
        role=Role.TEACHER,
    )
    theirs = Invitation.objects.get()
    url = reverse("organisations:revoke_invitation", args=["setting", world.setting_a.pk, theirs.pk])
    assert client_for(world.senco_a).post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_changing_a_role(client_for: ClientFor, world: World) -> None:
    client = client_for(world.senco_a)
    membership = membership_of(world.teacher_a)
    page = client.get(role_url(membership)).content.decode()
    assert "Change the role of Tia Teacher" in page
    assert 'value="teacher" checked' in page

    response = client.post(role_url(membership), {"role": "teaching_assistant"})

    assert response["Location"] == members_url(world)
    membership.refresh_from_db()
    assert membership.role == Role.TEACHING_ASSISTANT
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="organisations.membership")
    assert (event.actor_id, event.actor_role, event.setting_id) == (
        world.senco_a.pk,
        "senco",
        world.setting_a.pk,
    )
    assert "from Teacher to Teaching assistant" in event.description


@pytest.mark.parametrize("role", ["la_officer", "owner", ""])
def test_a_bad_role_changes_nothing(client_for: ClientFor, world: World, role: str) -> None:
    membership = membership_of(world.teacher_a)
    response = client_for(world.senco_a).post(role_url(membership), {"role": role})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.TEACHER


@pytest.mark.parametrize("name", ["change_role", "remove_member"])
def test_a_membership_of_another_organisation_is_404(client_for: ClientFor, world: World, name: str) -> None:
    """senco_a may manage setting A, but senco_c's membership (setting C) is not found there."""
    foreign = membership_of(world.senco_c)
    url = reverse(f"organisations:{name}", args=["setting", world.setting_a.pk, foreign.pk])
    client = client_for(world.senco_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "teacher"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Role.SENCO
    # Nor is setting B's (same LA) when reached through setting A's pages by the LA admin.
    same_la = membership_of(world.senco_b)
    url = reverse(f"organisations:{name}", args=["setting", world.setting_a.pk, same_la.pk])
    assert client_for(world.la_admin_north).post(url, {"role": "teacher"}).status_code == 404
    assert Membership.objects.filter(pk=same_la.pk, role=Role.SENCO).exists()


def test_removing_a_member(client_for: ClientFor, world: World) -> None:
    client = client_for(world.senco_a)
    membership = membership_of(world.teacher_a)
    page = client.get(role_url(membership, "remove_member")).content.decode()
    assert "Remove Tia Teacher from Ash Primary School?" in page
    assert "govuk-button--warning" in page

    response = client.post(role_url(membership, "remove_member"))

    assert response["Location"] == members_url(world)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=world.teacher_a.pk, is_active=True).exists()  # the account stays
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.object_id == str(membership.pk)
    assert "teacher.a@example.org" in event.description
    assert client.post(role_url(membership, "remove_member")).status_code == 404  # double submit


def test_a_removed_senco_loses_access_on_their_next_request(world: World) -> None:
    senco = signed_in(world.senco_a)
    assert senco.get(members_url(world)).status_code == 200

    response = signed_in(world.la_admin_north).post(role_url(membership_of(world.senco_a), "remove_member"))

    assert response.status_code == 302
    assert senco.get(members_url(world)).status_code == 404


def test_a_removed_officer_loses_the_la_overview_on_their_next_request(world: World) -> None:
    officer = signed_in(world.officer_north)
    overview = reverse("organisations:la_overview", args=[world.la_north.pk])
    assert officer.get(overview).status_code == 200

    signed_in(world.la_admin_north).post(role_url(membership_of(world.officer_north), "remove_member"))

    assert officer.get(overview).status_code == 404


def test_the_only_senco_cannot_remove_or_demote_themselves(client_for: ClientFor, world: World) -> None:
    client = client_for(world.senco_a)
    own = membership_of(world.senco_a)

    page = client.get(role_url(own, "remove_member")).content.decode()
    assert "You cannot remove yourself: you are the only SENCO at Ash Primary School." in page
    assert "govuk-button--warning" not in page
    refused = client.post(role_url(own, "remove_member"))
    assert refused.status_code == 400
    assert "You cannot remove yourself" in refused.content.decode()

    demoted = client.post(role_url(own), {"role": "teacher"})
    assert demoted.status_code == 400
    assert "You cannot change your own role: you are the only SENCO" in demoted.content.decode()

    own.refresh_from_db()
    assert own.role == Role.SENCO
    assert not AuditEvent.objects.filter(object_type="organisations.membership").exists()


def test_with_a_second_senco_a_senco_may_step_down(client_for: ClientFor, world: World) -> None:
    make_member("second.senco.a@example.org", Role.SENCO, world.setting_a)
    client = client_for(world.senco_a)

    response = client.post(role_url(membership_of(world.senco_a)), {"role": "teacher"})

    assert response["Location"] == reverse("home")  # they no longer manage the people here
    assert membership_of(world.senco_a).role == Role.TEACHER
    assert client.get(members_url(world)).status_code == 404


def test_the_la_admin_may_remove_a_settings_only_senco(client_for: ClientFor, world: World) -> None:
    client = client_for(world.la_admin_north)
    response = client.post(role_url(membership_of(world.senco_a), "remove_member"))
    assert response["Location"] == members_url(world)
    assert not Membership.objects.filter(user=world.senco_a).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert (event.actor_role, event.local_authority_id, event.setting_id) == (
        "la_admin",
        world.la_north.pk,
        world.setting_a.pk,
    )


def test_the_only_la_admin_cannot_remove_themselves(client_for: ClientFor, world: World) -> None:
    own = membership_of(world.la_admin_north)
    response = client_for(world.la_admin_north).post(role_url(own, "remove_member"))
    assert response.status_code == 400
    assert "you are the only LA admin at Northshire" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
