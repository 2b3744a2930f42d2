"""The platform admin's pages: set up LAs and settings, see accounts (never a password hash)."""

import re

from django.core import mail
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World
from graduated.organisations.models import Invitation, LocalAuthority, Membership, Role, Setting
from graduated.organisations.tests.types import ClientFor


def test_accounts_are_listed_without_password_hashes(client_for: ClientFor, world: World) -> None:
    client = client_for(world.platform_admin)
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "senco.a@example.org" in listing and "Sam Senco" in listing
    page = client.get(reverse("admin:accounts_user_change", args=[world.senco_a.pk])).content.decode()
    assert "argon2" not in page and world.senco_a.password not in page
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403  # people are invited


def test_people_without_admin_rights_are_kept_out(client_for: ClientFor, world: World) -> None:
    response = client_for(world.la_admin_north).get(reverse("admin:organisations_setting_changelist"))
    assert response.status_code == 302
    assert "/platform-admin/login/" in response["Location"]


def test_a_platform_admin_sets_up_an_la_a_setting_and_invites_its_admin(client_for: ClientFor, world: World) -> None:
    client = client_for(world.platform_admin)
    client.post(
        reverse("admin:organisations_localauthority_add"),
        {
            "name": "Westshire", "code": "870",
            "settings-TOTAL_FORMS": "0", "settings-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    west = LocalAuthority.objects.get(code="870")
    client.post(
        reverse("admin:organisations_setting_add"),
        {"name": "Willow School", "urn": "300001", "phase": "primary", "local_authority": west.pk},
    )
    assert Setting.objects.get(urn="300001").local_authority == west

    response = client.post(
        reverse("admin:organisations_invitation_add"),
        {"email": "Admin.West@example.org", "role": Role.LA_ADMIN, "local_authority": west.pk},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.local_authority) == (
        "admin.west@example.org", Role.LA_ADMIN, west,
    )  # fmt: skip
    assert re.search(r"/accounts/invitations/[\w-]+/", str(mail.outbox[0].body))
    assert AuditEvent.objects.filter(actor_role="platform_admin", action=AuditAction.CREATE).exists()


def test_an_invitation_that_does_not_fit_its_organisation_is_refused(client_for: ClientFor, world: World) -> None:
    client = client_for(world.platform_admin)
    add = reverse("admin:organisations_invitation_add")
    wrong_role = client.post(add, {"email": "x@example.org", "role": Role.SENCO, "local_authority": world.la_north.pk})
    already = client.post(add, {"email": world.senco_a.email, "role": Role.TEACHER, "setting": world.setting_a.pk})
    both = client.post(
        add,
        {
            "email": "y@example.org",
            "role": Role.TEACHER,
            "setting": world.setting_a.pk,
            "local_authority": world.la_north.pk,
        },
    )
    assert wrong_role.status_code == already.status_code == both.status_code == 200
    assert "already a member of Ash Primary School" in already.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_removing_a_membership_in_the_admin_is_audited(client_for: ClientFor, world: World) -> None:
    membership = Membership.objects.get(user=world.teacher_a)
    client_for(world.platform_admin).post(
        reverse("admin:organisations_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="organisations.membership")
    assert (event.actor_id, event.object_id) == (world.platform_admin.pk, str(membership.pk))
