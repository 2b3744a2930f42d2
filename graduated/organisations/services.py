"""Changes to who belongs where: invitations, roles and removals.

Each function runs in one transaction and writes an audit event, because a change of membership
changes who may see pupils' records. Forms check input first and give specific messages; these
functions check the rules that depend on stored rows again, because two people may act at once.
"""

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.organisations.models import (
    Invitation,
    LocalAuthority,
    Membership,
    Role,
    Setting,
    hash_token,
)

if TYPE_CHECKING:
    from graduated.accounts.models import User


class MembershipError(ServiceError):
    """A change that the rules refuse; ``message`` is written for the person who asked."""


class AlreadyMemberError(MembershipError):
    pass


class LastManagerError(MembershipError):
    pass


class InvitationUnusableError(MembershipError):
    pass


class AccountExistsError(MembershipError):
    pass


INVITATION_UNUSABLE = (
    "This invitation link has expired or has already been used. Ask the person who invited you for a new one."
)


@dataclass(frozen=True)
class NewAccount:
    """What someone who has no account yet gives when they accept an invitation."""

    full_name: str
    password: str


def _organisation_fields(organisation: Setting | LocalAuthority) -> dict[str, object]:
    if isinstance(organisation, Setting):
        return {"setting": organisation, "local_authority": None}
    return {"setting": None, "local_authority": organisation}


def manager_role(organisation: Setting | LocalAuthority) -> Role:
    """The role that runs an organisation's memberships from inside it."""
    return Role.SENCO if isinstance(organisation, Setting) else Role.LA_ADMIN


def _check_role(organisation: Setting | LocalAuthority, role: str) -> None:
    allowed = Role.setting_roles() if isinstance(organisation, Setting) else Role.la_roles()
    if role not in allowed:
        raise MembershipError("Choose one of the roles listed.")


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", args=[token])


def _send_invitation(invitation: Invitation, token: str, invited_by: "User | None") -> None:
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "role": invitation.get_role_display(),
        "invited_by": invited_by.get_full_name() if invited_by else "",
        "url": invitation_url(token),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("organisations/emails/invitation_subject.txt", context)
    body = render_to_string("organisations/emails/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])


def invite_member(*, actor: Actor, organisation: Setting | LocalAuthority, email: str, role: str) -> Invitation:
    """Invite ``email`` to hold ``role`` in ``organisation`` and send them a single-use link.

    Only a hash of the link's token is kept. An older pending invitation for the same address
    there is revoked, so only the newest link works.
    """
    email = email.strip().lower()
    _check_role(organisation, role)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        if Membership.objects.in_organisation(organisation).filter(user__email__iexact=email).exists():
            raise AlreadyMemberError(f"{email} is already a member of {organisation}.")
        older = Invitation.objects.pending().filter(email__iexact=email, **_organisation_fields(organisation))
        for previous in older.select_for_update(of=("self",)):
            _revoke(actor, previous, "Revoked by a newer invitation")
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            token_hash=hash_token(token),
            invited_by=actor.user,
            **_organisation_fields(organisation),
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=invitation,
            description=f"Invited {email} as {invitation.get_role_display()} at {organisation}",
            changed_fields=["email", "role"],
        )
    # Sent once the invitation is stored, so a link never arrives for a row that was rolled back.
    _send_invitation(invitation, token, actor.user)
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, if that link can still be used."""
    invitation = (
        Invitation.objects.select_related("setting", "local_authority").filter(token_hash=hash_token(token)).first()
    )
    return invitation if invitation is not None and invitation.is_usable else None


def accept_invitation(
    *, invitation: Invitation, user: "User | None" = None, new_account: NewAccount | None = None
) -> Membership:
    """Spend the invitation: give its role to ``user`` or to a new account from ``new_account``.

    The invitation row is locked and checked again, so a link clicked twice at once makes one
    account and one membership; the second attempt gets InvitationUnusableError.
    """
    from graduated.accounts.models import User

    if (user is None) == (new_account is None):
        raise ValueError("Give either a user or a new account.")
    try:
        with transaction.atomic():
            locked = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("setting", "local_authority")
                .filter(pk=invitation.pk)
                .first()
            )
            if locked is None or not locked.is_usable:
                raise InvitationUnusableError(INVITATION_UNUSABLE)
            if new_account is not None:
                if User.objects.filter(email__iexact=locked.email).exists():
                    raise AccountExistsError(f"There is already an account for {locked.email}. Sign in to accept.")
                user = User.objects.create_user(
                    email=locked.email,
                    password=new_account.password,
                    full_name=new_account.full_name,
                )
            assert user is not None
            if user.email.lower() != locked.email.lower():
                raise MembershipError(f"This invitation is for {locked.email}.")
            membership = locked.accept(user)
            actor = Actor(
                user=user,
                role=locked.role,
                setting_id=locked.setting_id,
                local_authority_id=locked.local_authority_id,
            )
            if new_account is not None:
                record(
                    actor,
                    AuditAction.CREATE,
                    obj=user,
                    description="Account made from an invitation",
                )
            record(
                actor,
                AuditAction.CREATE,
                obj=membership,
                description=(f"Accepted an invitation: {locked.get_role_display()} at {locked.organisation}"),
                changed_fields=["role"],
            )
    except IntegrityError as error:
        # Another request made the account or membership between our check and our write.
        raise InvitationUnusableError(INVITATION_UNUSABLE) from error
    invitation.refresh_from_db()
    return membership


def _revoke(actor: Actor, invitation: Invitation, description: str) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        actor,
        AuditAction.CHANGE,
        obj=invitation,
        description=f"{description}: {invitation.email} at {invitation.organisation}",
        changed_fields=["revoked_at"],
    )


def revoke_invitation(*, actor: Actor, invitation: Invitation) -> bool:
    """Stop a pending invitation's link from working. False if it was no longer pending."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
        if not locked.is_usable:
            return False
        _revoke(actor, locked, "Revoked an invitation")
    invitation.refresh_from_db()
    return True


def last_manager_problem(user: "User | None", membership: Membership, new_role: str | None) -> str | None:
    """Why ``user`` may not remove (``new_role`` None) or re-role ``membership``, if they may not.

    The last SENCO (or LA admin) may not take away their own power to manage members. Someone
    else with that power (an LA admin, for a setting) may: a SENCO who leaves is removed by the
    LA, which then invites their successor.
    """
    manager = manager_role(membership.organisation)
    if user is None or membership.user_id != user.pk or membership.role != manager:
        return None
    if new_role == manager:
        return None
    others = Membership.objects.in_organisation(membership.organisation).filter(role=manager).exclude(pk=membership.pk)
    if transaction.get_connection().in_atomic_block:
        others = others.select_for_update(of=("self",))
    if list(others):
        return None
    doing = "remove yourself" if new_role is None else "change your own role"
    return (
        f"You cannot {doing}: you are the only {manager.label} at {membership.organisation}. "
        f"Invite another {manager.label} first."
    )


def _check_not_last_manager(actor: Actor, membership: Membership, new_role: str | None) -> None:
    problem = last_manager_problem(actor.user, membership, new_role)
    if problem:
        raise LastManagerError(problem)


def change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Give a member a different role in the same organisation."""
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "setting", "local_authority")
            .get(pk=membership.pk)
        )
        _check_role(locked.organisation, role)
        if locked.role == role:
            return locked
        _check_not_last_manager(actor, locked, role)
        before = locked.get_role_display()
        locked.role = role
        locked.save(update_fields=["role"])
        record(
            actor,
            AuditAction.CHANGE,
            obj=locked,
            description=(
                f"Changed {locked.user.email}'s role at {locked.organisation} "
                f"from {before} to {locked.get_role_display()}"
            ),
            changed_fields=["role"],
        )
    return locked


def remove_member(*, actor: Actor, membership: Membership) -> None:
    """Take a person out of an organisation. They lose its access on their next request."""
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "setting", "local_authority")
            .filter(pk=membership.pk)
            .first()
        )
        if locked is None:
            return
        _check_not_last_manager(actor, locked, None)
        record(
            actor,
            AuditAction.DELETE,
            obj=locked,
            description=(f"Removed {locked.user.email} ({locked.get_role_display()}) from {locked.organisation}"),
        )
        locked.delete()
