"""Writes: a family member's choice of e-mails (audited)."""

from django.db import transaction
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.family_notices.models import Frequency, NoticePreference


@transaction.atomic
def save_preferences(*, actor: Actor, user: User, frequency: Frequency, short: bool) -> bool:
    """Save how often ``user`` is e-mailed and whether in short; False when nothing changed."""
    preference = NoticePreference.objects.select_for_update().filter(user=user).first() or NoticePreference(user=user)
    changed = [
        name for name, value in (("frequency", frequency), ("short", short)) if getattr(preference, name) != value
    ]
    if not changed:  # the same choices again (or the default chosen): nothing to save or audit
        return False
    preference.frequency, preference.short, preference.changed_at = frequency, short, timezone.now()
    preference.save()
    record(
        actor, AuditAction.CHANGE, obj=preference, changed_fields=changed,
        description=f"E-mails about their children: {Frequency(frequency).label.lower()}"
        + (", short" if short else ", in full"),
    )  # fmt: skip
    return True
