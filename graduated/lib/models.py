from django.db import models
from django.utils import timezone


class SubmissionClaim(models.Model):
    """A form's one-time token, spent by the first request that carried it (lib/submit_once.py).

    The unique digest is the guard: a second request with the same token cannot insert its own
    row, whichever database and however close together the two arrive.
    """

    # SHA-256 of the person's id and the token: the table never holds a token that could be replayed.
    digest = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Where the first request's answer redirected to; empty while that request is still running.
    location = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Form token claimed at {self.claimed_at:%Y-%m-%d %H:%M}"
