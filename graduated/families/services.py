"""Linking a family to a child, and ending the link. Each is one transaction and one audit event.

An invited parent with no account gets one without a password and the accounts app's single-use
set-a-password link (the same link as a password reset, as professionals get), so there is no
second invitation system; an address that already has an account is linked, and told. The e-mail
names the setting, never the child's full record.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from graduated.accounts.links import set_password_url
from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.families.models import FamilyLink, FamilyRole
from graduated.lib.errors import ServiceError
from graduated.organisations.models import Setting
from graduated.pupils.models import Contact, Pupil

YOUNG_PERSON_AGE = 16  # from 16 a young person takes part, and consents, for themself (domain.md §1)


class FamilyLinkError(ServiceError):
    default_message = "This family member could not be linked. Nothing was saved."


@dataclass(frozen=True)
class Invitee:
    email: str
    full_name: str
    role: str  # FamilyRole
    contact: Contact | None = None


def age_on(pupil: Pupil, day: date) -> int:
    born = pupil.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def may_have_own_account(pupil: Pupil, today: date | None = None) -> bool:
    return age_on(pupil, today or timezone.localdate()) >= YOUNG_PERSON_AGE


def live_links_of(pupil: Pupil, setting: Setting) -> list[FamilyLink]:
    """The links ``setting`` made to ``pupil`` that have not been ended (a previous setting's no
    longer give access, and are not this setting's to manage)."""
    return list(
        FamilyLink.objects.filter(pupil=pupil, setting=setting, ended_at__isnull=True)
        .select_related("user", "contact")
        .order_by("pk")
    )


def _send_invitation(link: FamilyLink, new_account: bool, invited_by: User | None) -> None:
    context = {
        "link": link,
        "child": link.pupil.first_name,
        "setting": link.setting,
        "young_person": link.is_young_person,
        "invited_by": invited_by.get_full_name() if invited_by else "",
        "site_name": settings.SITE_NAME,
        "set_password_url": set_password_url(link.user) if new_account else "",
        "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "sign_in_url": settings.SITE_URL + reverse("accounts:login"),
        "family_url": settings.SITE_URL + reverse("families:home"),
    }
    subject = render_to_string("families/emails/invitation_subject.txt", context)
    body = render_to_string("families/emails/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [link.user.email])


def link_family_member(*, actor: Actor, pupil: Pupil, setting: Setting, invitee: Invitee) -> FamilyLink:
    """Link ``invitee`` to ``pupil`` and e-mail them; make their account if they have none.

    Refused: a contact without parental responsibility or without an e-mail address, another
    pupil's contact, a young person under 16, or someone already linked to the child.
    """
    email = invitee.email.strip().lower()
    contact = invitee.contact
    if invitee.role == FamilyRole.PARENT:
        if contact is None or contact.pupil_id != pupil.pk:
            raise FamilyLinkError("Choose one of the pupil's contacts.")
        if not contact.parental_responsibility:
            raise FamilyLinkError(
                f"{contact.first_name} {contact.last_name} does not have parental responsibility, so cannot be "
                "given access. If that has changed, update the contact in your MIS and import again."
            )
    elif not may_have_own_account(pupil):
        raise FamilyLinkError(f"{pupil.first_name} is under {YOUNG_PERSON_AGE}: their parents take part for them.")
    if not email:
        raise FamilyLinkError("An e-mail address is needed to send the invitation.")
    with transaction.atomic():
        Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # two invitations at once make one link
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and FamilyLink.objects.filter(user=user, pupil=pupil, ended_at__isnull=True).exists():
            raise FamilyLinkError(f"{email} can already see {pupil.first_name}'s record.")
        if user is not None and user.is_service:
            raise FamilyLinkError("That address cannot be given access.")
        new_account = user is None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=invitee.full_name)
            record(actor, AuditAction.CREATE, obj=user, description="Account made for a family member")
        try:
            with transaction.atomic():
                link = FamilyLink.objects.create(
                    user=user, pupil=pupil, setting=setting, role=invitee.role,
                    contact=contact if invitee.role == FamilyRole.PARENT else None,
                    relationship=contact.relationship if contact else "", linked_by=actor.user,
                )  # fmt: skip
        except IntegrityError as error:
            raise FamilyLinkError(f"{email} can already see {pupil.first_name}'s record.") from error
        record(
            actor, AuditAction.CREATE, obj=link, pupil_id=pupil.pk, changed_fields=["user", "role"],
            description=f"Gave {email} family access ({link.get_role_display().lower()})",
        )  # fmt: skip
    _send_invitation(link, new_account, actor.user)
    return link


def end_link(*, actor: Actor, link: FamilyLink) -> bool:
    """End a link now. False (nothing written) when it had already ended: a double submit."""
    with transaction.atomic():
        locked = FamilyLink.objects.select_for_update().select_related("user").get(pk=link.pk)
        if locked.ended_at is not None:
            return False
        locked.ended_at = timezone.now()
        locked.ended_by = actor.user
        locked.save(update_fields=["ended_at", "ended_by"])
        record(
            actor, AuditAction.CHANGE, obj=locked, pupil_id=locked.pupil_id, changed_fields=["ended_at"],
            description=f"Ended {locked.user.email}'s family access",
        )  # fmt: skip
    return True
