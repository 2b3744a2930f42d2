"""People who sign in. What they may do comes from their memberships (organisations app)."""

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """Signs in with an e-mail address. ``is_superuser`` marks a platform administrator."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the platform's administration pages.")
    date_joined = models.DateTimeField(default=timezone.now)
    # The account behind an API service token (graduated/api): no password, never signs in, holds
    # one membership with the service role, and is ended when its token is revoked.
    is_service = models.BooleanField(default=False, editable=False)
    # Part of the session's check value: raising it ends every session of this person at their next
    # request (a reset second factor), as a changed password does.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "graduated.accounts.User.get_session_auth_hash"
        value = f"{self.password}|{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def end_all_sessions(self) -> None:
        """Every session of this person ends at its next request (the session check value changes)."""
        User.objects.filter(pk=self.pk).update(session_epoch=models.F("session_epoch") + 1)
        self.refresh_from_db(fields=["session_epoch"])

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


class ThrottleHit(models.Model):
    """One counted attempt (a failed sign-in, a second-factor code tried, a reset asked for) within a
    throttle's window: ``throttle.py`` counts them by scope and key, and forgets them after the window."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=320)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} at {self.at:%Y-%m-%d %H:%M}"


class RecoveryCode(models.Model):
    """A single-use code that stands in for the authenticator app. Only its hash is kept: the codes
    are random and long (50 bits), so a plain SHA-256 is enough, and the person sees them only once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"Recovery code of {self.user_id} ({'used' if self.used_at else 'unused'})"


class RememberedDevice(models.Model):
    """A browser that a person asked to skip the second step on for REMEMBER_DEVICE_DAYS. Its cookie
    holds a random token; only the token's hash is kept here, so a copy of the database opens nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="remembered_devices")
    token_hash = models.CharField(max_length=64, unique=True)
    description = models.CharField(max_length=200, help_text="The browser and system, as the browser said.")
    ip_address = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_used_at"]

    def __str__(self) -> str:
        return f"{self.description} ({self.user_id})"
