"""Personal and service tokens for the JSON API: kept only as a SHA-256 hash, scoped, expiring, revocable."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "grd_"


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


def hash_token(raw: str) -> str:
    # A plain SHA-256 is enough: the token is 256 random bits, so there is nothing to guess slowly.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self, now: datetime | None = None) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A credential that acts as its owner, with the owner's current memberships, within its scope.

    A personal token's owner is the person who made it. A service token's owner is an account of
    its own (``User.is_service``) holding one membership, the service role, in the setting or LA it
    was made for (graduated/api/services.py): it keeps working when the person who made it leaves,
    and the organisation's SENCOs or LA admins see and revoke it.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=100, help_text="What uses it, for example the MIS sync.")
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters after the prefix, so that a person can tell their tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # A fixed one-minute window for the rate limit (graduated/api/auth.py), counted in one UPDATE.
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_service(self) -> bool:
        return self.owner.is_service

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
