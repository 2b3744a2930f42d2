"""Giving, ending and using professionals' grants. Each change is one transaction and one audit event.

An invited professional's account is an ordinary account: one with no password yet gets the
accounts app's single-use, time-limited set-a-password link (the same link as a password reset,
and as ``graduated create-la-admin`` sends), so there is no second invitation system. An address
that already has an account is given the grant without a new account.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from graduated.access import ProfessionalAccess
from graduated.accounts.links import set_password_url
from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.documents import services as document_services
from graduated.documents.content_types import FileType
from graduated.documents.models import Document, DocumentKind
from graduated.lib.errors import ServiceError
from graduated.organisations.models import Setting
from graduated.professionals.models import ProfessionalAdvice, ProfessionalGrant
from graduated.pupils.models import Pupil


class GrantError(ServiceError):
    """A change the rules refuse; ``message`` is written for the person who asked."""


@dataclass(frozen=True)
class Invitee:
    """Who is invited and what they may do: checked by the form first."""

    email: str
    full_name: str
    organisation: str
    job_title: str
    can_read_plan: bool
    can_advise: bool
    can_upload_report: bool
    expires_on: date


def _send_invitation(grant: ProfessionalGrant, new_account: bool, invited_by: User | None) -> None:
    context = {
        "grant": grant,
        "pupil": grant.pupil,
        "setting": grant.setting,
        "invited_by": invited_by.get_full_name() if invited_by else "",
        "site_name": settings.SITE_NAME,
        "set_password_url": set_password_url(grant.user) if new_account else "",
        "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        "sign_in_url": settings.SITE_URL + reverse("accounts:login"),
        "my_pupils_url": settings.SITE_URL + reverse("professionals:my_pupils"),
    }
    subject = render_to_string("professionals/emails/invitation_subject.txt", context)
    body = render_to_string("professionals/emails/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [grant.user.email])


def invite_professional(*, actor: Actor, pupil: Pupil, setting: Setting, invitee: Invitee) -> ProfessionalGrant:
    """Give ``invitee`` a grant to ``pupil`` and e-mail them; make their account if they have none.

    Refused when the address already has a live grant to the pupil (revoke it first, so there is
    one grant to read), or belongs to someone on the setting's staff.
    """
    email = invitee.email.strip().lower()
    with transaction.atomic():
        # Lock the pupil, so that two invitations of one person at once make one grant.
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and user.memberships.filter(setting=setting).exists():
            raise GrantError(f"{email} works at {setting}: link them to the pupil as staff instead.")
        if user is not None and ProfessionalGrant.objects.live().filter(user=user, pupil=pupil).exists():
            raise GrantError(f"{email} already has access to {pupil.display_name}. Revoke it first to change it.")
        new_account = user is None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=invitee.full_name)
            record(actor, AuditAction.CREATE, obj=user, description=f"Account made for a professional: {email}")
        grant = ProfessionalGrant.objects.create(
            pupil=pupil,
            setting=setting,
            user=user,
            organisation=invitee.organisation,
            job_title=invitee.job_title,
            can_read_plan=invitee.can_read_plan,
            can_advise=invitee.can_advise,
            can_upload_report=invitee.can_upload_report,
            expires_on=invitee.expires_on,
            invited_by=actor.user,
        )
        record(
            actor,
            AuditAction.CREATE,
            obj=grant,
            pupil_id=pupil.pk,
            description=(
                f"Gave {email} ({invitee.job_title}, {invitee.organisation}) access until "
                f"{invitee.expires_on:%d/%m/%Y}: {', '.join(grant.scope_labels).lower()}"
            ),
            changed_fields=["user", "can_read_plan", "can_advise", "can_upload_report", "expires_on"],
        )
    # Sent once the grant is stored, so a link never arrives for a row that was rolled back.
    _send_invitation(grant, new_account, actor.user)
    return grant


def revoke_grant(*, actor: Actor, grant: ProfessionalGrant) -> bool:
    """End a grant now. False (and nothing written) if it was already revoked: a double submit."""
    with transaction.atomic():
        locked = ProfessionalGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
        if locked.revoked_at is not None:
            return False
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor.user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor,
            AuditAction.CHANGE,
            obj=locked,
            pupil_id=locked.pupil_id,
            description=f"Revoked {locked.user.email}'s access ({locked.job_title}, {locked.organisation})",
            changed_fields=["revoked_at"],
        )
    grant.refresh_from_db()
    return True


@transaction.atomic
def give_advice(*, access: ProfessionalAccess, given_on: date, advice: str, recommendations: str) -> ProfessionalAdvice:
    grant = access.grant
    given = ProfessionalAdvice.objects.create(
        grant=grant,
        pupil=access.pupil,
        given_on=given_on,
        advice=advice,
        recommendations=recommendations,
        written_by=access.user,
    )
    record(
        access.actor,
        AuditAction.CREATE,
        obj=given,
        pupil_id=access.pupil.pk,
        description=f"Advice given by {access.user.email} ({grant.job_title})",
        changed_fields=["advice", "recommendations", "given_on"],
    )
    return given


def upload_report(
    *, access: ProfessionalAccess, upload: object, file_type: FileType, title: str, dated: date
) -> Document:
    """The documents app stores the report (checked by content by its form) and audits the upload.

    Raises documents' DuplicateDocumentError for a file the pupil already has.
    """
    return document_services.add_document(
        actor=access.actor,
        pupil=access.pupil,
        upload=upload,  # type: ignore[arg-type]
        file_type=file_type,
        title=title,
        kind=DocumentKind.REPORT,
        dated=dated,
    )
