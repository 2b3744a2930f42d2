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
