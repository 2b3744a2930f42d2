"""Outside professionals' access to one named pupil: a grant with a scope and an end date, and the
advice they give through it.

A professional holds no membership: the grant is all they have. It is live while it is not
revoked, today is on or before ``expires_on`` and the pupil is still enrolled at the setting that
made it. The access policy reads it afresh on every request, so expiry, revocation or the pupil
leaving ends access on the next page load, even in the middle of a session.
"""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from graduated.organisations.models import Setting
from graduated.pupils.models import Enrolment, Pupil

MAX_GRANT_DAYS = 366  # about a year ahead at most: a professional's involvement is reviewed at least yearly


SCOPE_LABELS = {
    "can_read_plan": "Read the plan",
    "can_advise": "Contribute advice",
    "can_upload_report": "Upload a report",
}


class GrantQuerySet(models.QuerySet["ProfessionalGrant"]):
    def live(self, on: date | None = None) -> "GrantQuerySet":
        """Not revoked, not past their end date, and the pupil still enrolled at the granting setting."""
        on = on or timezone.localdate()
        enrolled = Enrolment.objects.current(on).filter(pupil=OuterRef("pupil_id"), setting=OuterRef("setting_id"))
        return self.filter(revoked_at__isnull=True, expires_on__gte=on).filter(Exists(enrolled))


class ProfessionalGrant(models.Model):
    """One professional's time-limited access to one pupil, given by the pupil's setting."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="professional_grants")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_grants")
    organisation = models.CharField("the professional's organisation", max_length=200)
    job_title = models.CharField(max_length=120)
    can_read_plan = models.BooleanField("read the plan", default=False)
    can_advise = models.BooleanField("contribute advice", default=False)
    can_upload_report = models.BooleanField("upload a report", default=False)
    expires_on = models.DateField("access ends on")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[GrantQuerySet] = GrantQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(can_read_plan=True) | Q(can_advise=True) | Q(can_upload_report=True),
                name="professional_grant_has_a_scope",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("invited_at")),
                name="professional_grant_revoked_after_invited",
            ),
        ]
        indexes = [models.Index(fields=["user", "expires_on"]), models.Index(fields=["pupil", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title}) for {self.pupil}"

    def is_live(self, on: date | None = None) -> bool:
        """Revocation and the end date only; the enrolment is checked by ``GrantQuerySet.live``."""
        return self.revoked_at is None and (on or timezone.localdate()) <= self.expires_on

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Live" if self.is_live() else "Expired"

    @property
    def scope_labels(self) -> list[str]:
        return [label for name, label in SCOPE_LABELS.items() if getattr(self, name)]


class ProfessionalAdvice(models.Model):
    """A dated piece of advice from a professional about the pupil: never edited once given."""

    # RESTRICT: removing a grant (or its professional's account) must not silently lose advice, but
    # removing the pupil removes both.
    grant = models.ForeignKey(ProfessionalGrant, on_delete=models.RESTRICT, related_name="advice")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="professional_advice")
    given_on = models.DateField()
    advice = models.TextField()
    recommendations = models.TextField(blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-written_at", "-id"]
        verbose_name_plural = "professional advice"

    def __str__(self) -> str:
        return f"Advice for {self.pupil} on {self.given_on:%d/%m/%Y}"
