"""An import of pupils from a file: the uploaded file, the check (a dry run), the import itself."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from graduated.organisations.models import Setting

# MEDIA_ROOT, outside the web root, never given a URL: only the import task reads the file, and it
# is deleted once the import has finished, failed or been cancelled.
import_storage = FileSystemStorage()


def _generated_name(instance: "ImportRun", filename: str) -> str:
    # The stored name says nothing about the setting or the file; the original name is a field.
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ImportKind(models.TextChoices):
    CSV = "csv", "CSV file"
    CTF = "ctf", "Common Transfer File"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded: its columns need matching"
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked: ready to import"
    QUEUED = "queued", "Waiting to start"
    IMPORTING = "importing", "Importing"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Could not be imported"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def working(cls) -> list["ImportStatus"]:
        """The statuses a background task is on, for which the page refreshes itself."""
        return [cls.CHECKING, cls.QUEUED, cls.IMPORTING]

    @classmethod
    def over(cls) -> list["ImportStatus"]:
        return [cls.FINISHED, cls.FAILED, cls.CANCELLED]


class ImportRun(models.Model):
    """One file uploaded to a setting, and what became of it.

    The check fills in the ``will_*`` counts, ``examples`` (the first rows of each outcome) and the
    refusals (``ImportRefusal``); the import fills in the counts of what it did. ``processed`` is
    how far the task working on it has got: rows checked, or pupils imported.
    """

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="import_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=8, choices=ImportKind.choices)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=import_storage, upload_to=_generated_name, max_length=200, blank=True)
    # CSV: our field -> the file's column (its index), as the person matched them.
    mapping = models.JSONField(default=dict, blank=True)
    # What the check found out about the file: its encoding and headers (CSV), its header (CTF).
    details = models.JSONField(default=dict, blank=True)
    processed = models.PositiveIntegerField(default=0)
    processed_bytes = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(null=True, blank=True)  # in the file: known once checked
    will_create = models.PositiveIntegerField(default=0)
    will_update = models.PositiveIntegerField(default=0)
    will_leave = models.PositiveIntegerField(default=0)
    will_refuse = models.PositiveIntegerField(default=0)
    examples = models.JSONField(default=dict, blank=True)  # outcome -> the first rows with it
    # Refused rows were listed and the person chose to import the rest.
    import_the_rest = models.BooleanField(default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the file could not be read or imported
    request_id = models.CharField(max_length=64, blank=True)  # of the request that started the import
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["setting", "-created_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_kind_display()}) into {self.setting}"

    @property
    def is_working(self) -> bool:
        return self.status in ImportStatus.working()

    @property
    def importable(self) -> int:
        return self.will_create + self.will_update + self.will_leave


class ImportRefusal(models.Model):
    """A row of an import's file that is not imported, and why: found by the check or the import."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="refusals")
    line = models.PositiveIntegerField(null=True)  # the CSV row, or the CTF line of the <Pupil>
    upn = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=210, blank=True)
    reasons = models.TextField()  # one a line

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["run", "line"])]

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reasons[:60]}"

    @property
    def reason_list(self) -> list[str]:
        return self.reasons.splitlines()
