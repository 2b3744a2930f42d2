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


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the other setting"
    APPROVED = "approved", "Transferred"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Declaration(models.TextChoices):
    """What a student may declare when they join a college or sixth form (post-16)."""

    LEARNING_DIFFICULTY = "learning_difficulty", "A learning difficulty"
    DISABILITY = "disability", "A disability"
    MEDICAL_CONDITION = "medical_condition", "A medical condition"


class RecordTransfer(models.Model):
    """A setting's request for a pupil's SEN record from the setting they were last enrolled at.

    The receiving setting asks by UPN and date of birth; the sending setting's SENCO approves (the
    pupil's enrolment there ends, and one here begins) or refuses with a reason. The record is one
    record: after the transfer the receiving setting reads what the sending setting wrote, as the
    "from the previous setting" part, and cannot change it.
    """

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="transfers")
    from_setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="transfers_out")
    to_setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="transfers_in")
    status = models.CharField(max_length=16, choices=TransferStatus.choices, default=TransferStatus.REQUESTED)
    starts_on = models.DateField(help_text="The day the pupil starts at the receiving setting.")
    # Post-16: what the student declared at entry (Declaration values) and their own words.
    declared = models.JSONField(default=list, blank=True)
    declaration_notes = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per pupil and receiving setting: a second ask is refused, not doubled.
            models.UniqueConstraint(
                fields=["pupil", "to_setting"], condition=models.Q(status="requested"), name="one_open_transfer"
            ),
        ]
        indexes = [
            models.Index(fields=["from_setting", "status"]),
            models.Index(fields=["to_setting", "status"]),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}: {self.from_setting} to {self.to_setting} ({self.status})"

    @property
    def declared_labels(self) -> list[str]:
        return [Declaration(code).label for code in self.declared if code in Declaration.values]
