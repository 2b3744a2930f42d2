from django.conf import settings
from django.db import models
from django.utils import timezone


class DigestSent(models.Model):
    """One daily digest sent to one person: at most one a day, and the next starts from this one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_per_person_per_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.sent_on}"
