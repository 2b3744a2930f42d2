from datetime import date
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from graduated.documents import safety
from graduated.documents.content_types import ALLOWED_EXTENSIONS, FileType, sniff
from graduated.documents.models import DocumentKind
from graduated.lib.forms import GovukDateField


def _today() -> date:
    return timezone.localdate()


def max_bytes() -> int:
    return int(settings.DOCUMENT_MAX_MB) * 1024 * 1024


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Choose a file",
        error_messages={"required": "Choose a file to upload", "empty": "The file you chose is empty"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Educational psychology report",
        error_messages={"required": "Enter a title"},
    )
    kind = forms.ChoiceField(
        label="What is it?",
        # "From the family" is what a family sends from their own pages (graduated.families).
        choices=[choice for choice in DocumentKind.choices if choice[0] != DocumentKind.FAMILY],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the document is"},
    )
    dated = GovukDateField(label="Date of the document", max_date=_today, help_text="For example, 14 10 2026")
    shared_with_family = forms.BooleanField(
        label="Share it with the family", required=False,
        help_text="Parents and carers with access (or the young person) will see it on their own pages.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"PDF, Word, Excel, OpenDocument text, PNG or JPEG, up to {settings.DOCUMENT_MAX_MB} MB."
        self.file_type: FileType | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(f"The file must be smaller than {settings.DOCUMENT_MAX_MB} MB")
        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError("The file must be a PDF, Word, Excel, OpenDocument text, PNG or JPEG file")
        found = sniff(upload)
        if found is None:
            raise forms.ValidationError(
                "The file's content is not a PDF, Word, Excel, OpenDocument text, PNG or JPEG file"
            )
        if extension not in found.extensions:
            raise forms.ValidationError(f"The file is named {extension} but its content is a {found.label}")
        try:
            safety.check(upload, found)
        except safety.RefusedUploadError as refused:
            raise forms.ValidationError(refused.message, code="unsafe") from refused
        self.file_type = found
        return upload
