"""The audit trail: one append-only row for every change to, and every look at, pupil data."""

from typing import Any, NoReturn

from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which pupil's record, in which role, when and from where.

    The actor and pupil are plain ids and copied text rather than foreign keys, so that the row
    outlives the user or pupil and nothing can cascade into it. Database triggers (see the
    migration) refuse UPDATE and DELETE as well, for code that bypasses the ORM.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_email = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=64, blank=True)
    setting_id = models.BigIntegerField(null=True)
    local_authority_id = models.BigIntegerField(null=True)
    pupil_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=300, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["pupil_id", "-occurred_at"]),
            models.Index(fields=["actor_id", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_email} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class SecurityEventKind(models.TextChoices):
    # A 403 or 404 answer to a signed-in person on a page about a pupil, an organisation or one of
    # their records: someone looking where their roles do not reach (DeniedAccessMiddleware).
    DENIED = "denied", "Access refused"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_IN_LOCKED = "sign_in_locked", "Sign-in locked out"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Wrong second-factor code"
    SECOND_FACTOR_LOCKED = "second_factor_locked", "Second factor locked out"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
    PASSWORD_RESET_THROTTLED = "password_reset_throttled", "Password reset refused (too many)"
    OTHER = "other", "Other"


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Security events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Security events cannot be deleted.")


class SecurityEvent(models.Model):
    """A refused or failed step: a denied page, a wrong password or code, a lockout, a reset.

    Append-only like AuditEvent, with plain ids for the same reason. ``email`` is what was typed
    (or the account's address); ``local_authority_id`` and ``setting_id`` are where the account
    held a role when the event happened, so that an LA admin still sees a former member's events.
    """

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=32, choices=SecurityEventKind.choices)
    user_id = models.BigIntegerField(null=True)
    email = models.CharField(max_length=254, blank=True)
    local_authority_id = models.BigIntegerField(null=True)
    setting_id = models.BigIntegerField(null=True)
    ip_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(null=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority_id", "-occurred_at"]),
            models.Index(fields=["user_id", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.email or self.user_id} {self.path}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Security events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Security events cannot be deleted.")


class ChainSeal(models.Model):
    """One link of a trail's hash chain: the SHA-256 over the sealed event and the link before it.

    Seals are written after the event, by ``graduated audit-seal`` (chain.py; decision 0004), so
    that no request waits on a chain-wide lock. ``previous_event_id`` names the event sealed just
    before, so a deleted seal is found as a gap, not just as a wrong hash.
    """

    event_id = models.BigIntegerField(primary_key=True)
    previous_event_id = models.BigIntegerField(null=True)
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["event_id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.chain_hash[:12]}"


class AuditSeal(ChainSeal):
    """The audit trail's chain: one seal per AuditEvent, in id order."""


class SecurityEventSeal(ChainSeal):
    """The security log's chain: one seal per SecurityEvent, in id order."""
