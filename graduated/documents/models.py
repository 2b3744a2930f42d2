import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone

from graduated.pupils.models import Pupil

# MEDIA_ROOT, outside the web root, and never given a URL: files are read only through the
# download view, which asks the access policy first.
document_storage = FileSystemStorage()


def _generated_name(instance: "Document", filename: str) -> str:
    # The stored name says nothing about the pupil or the file; the original name is a field.
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class DocumentKind(models.TextChoices):
    REPORT = "report", "Report from a specialist"
    ASSESSMENT = "assessment", "Assessment"
    WORK_SAMPLE = "work_sample", "Sample of work"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"
    FAMILY = "family", "From the family"


class Document(models.Model):
    """A file about a pupil, optionally attached to something in their record (a cycle, a meeting)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    dated = models.DateField(help_text="The date the document was written.")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(storage=document_storage, upload_to=_generated_name, max_length=200)
    # What in the record the document belongs to, e.g. "support.cycle:12"; blank for the pupil.
    attached_to = models.CharField(max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Shown to the family on their child's page (graduated.families): off unless staff choose it,
    # on for what the family sent themselves.
    shared_with_family = models.BooleanField("shared with the family", default=False)

    class Meta:
        ordering = ["-dated", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["pupil", "-dated"])]

    def __str__(self) -> str:
        return self.title

    @property
    def download_name(self) -> str:
        return self.original_name
