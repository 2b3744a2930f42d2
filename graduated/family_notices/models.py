"""A family member's choice of e-mails about their child's record, and the weekly digest's memory.

No row means the default: an e-mail as each change happens, in full. Choices belong to the
account, not to one child: a parent of two children chooses once.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Frequency(models.TextChoices):
    AS_IT_HAPPENS = "as_it_happens", "An e-mail each time something changes"
    WEEKLY = "weekly", "One e-mail a week, with everything that changed"
    NEVER = "never", "No e-mails. I will look on the website"


class NoticePreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.AS_IT_HAPPENS)
    # Short e-mails say only that there is news, and where: no aims, needs or names of services,
    # for a parent who shares a phone or an inbox.
    short = models.BooleanField("short e-mails", default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}{' (short)' if self.short else ''}"


class WeeklyDigestSent(models.Model):
    """One weekly digest sent to one person: at most one a week; the next starts from ``up_to``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_of = models.DateField(help_text="The Monday of the week it was sent.")
    # Changes recorded up to this moment were in it (or in an e-mail before it).
    up_to = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_of"], name="one_family_digest_per_week")]

    def __str__(self) -> str:
        return f"Weekly family digest for {self.user_id}, week of {self.week_of}"
