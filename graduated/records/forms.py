from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings

from graduated.documents import safety
from graduated.documents.content_types import FileType
from graduated.records.csv_import import FIELDS, Field, in_a_sentence
from graduated.records.models import ImportKind

CSV_FILE = FileType("CSV file", "text/csv", (".csv", ".txt"))
CTF_FILE = FileType("Common Transfer File", "application/xml", (".xml",))
NOT_CHOSEN = ""


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_MB) * 1024 * 1024


def _content_kind(head: bytes) -> str:
    """What the first bytes say the file is: "ctf" (XML), "spreadsheet", "binary" or "csv"."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "ctf"
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "spreadsheet"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "csv"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Choose a file",
        error_messages={"required": "Choose a file to import", "empty": "The file you chose is empty"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"A CSV file exported from your MIS, or a Common Transfer File (.xml). Up to {settings.IMPORT_MAX_MB} MB."
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.xml"
        self.kind: ImportKind | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(f"The file must be smaller than {settings.IMPORT_MAX_MB} MB")
        extension = PurePath(upload.name or "").suffix.lower()
        if extension not in (".csv", ".txt", ".xml"):
            raise forms.ValidationError("The file must be a CSV file (.csv) or a Common Transfer File (.xml)")
        upload.seek(0)
        found = _content_kind(upload.read(4096))
        upload.seek(0)
        if found == "spreadsheet":
            raise forms.ValidationError("The file is a spreadsheet: save it from Excel as “CSV UTF-8” and upload that")
        if found == "binary":
            raise forms.ValidationError("The file's content is not text, so it is not a CSV file or a CTF")
        if found == "ctf" and extension != ".xml":
            raise forms.ValidationError(f"The file is named {extension} but its content is XML: name it .xml")
        if found == "csv" and extension == ".xml":
            raise forms.ValidationError("The file is named .xml but its content is not XML")
        file_type = CTF_FILE if found == "ctf" else CSV_FILE
        try:
            safety.check(upload, file_type)  # the EICAR test string; clamd when it is configured
        except safety.RefusedUploadError as refused:
            raise forms.ValidationError(refused.message, code="unsafe") from refused
        self.kind = ImportKind.CTF if found == "ctf" else ImportKind.CSV
        return upload


class MappingForm(forms.Form):
    """For each of Graduated's fields, the file's column that holds it (or none)."""

    def __init__(self, *args: Any, headers: list[str], sample: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_CHOSEN, "Not in this file")] + [(str(i), header) for i, header in enumerate(headers)]
        self.headers = headers
        for field in FIELDS:
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=field.required,
                error_messages={"required": f"Choose the column that holds the {in_a_sentence(field.label)}"},
            )
        self.sample = sample

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in their fieldsets: Pupil, SEN, Contact 1, 2, 3."""
        grouped: dict[str, list[forms.BoundField]] = {}
        for field in FIELDS:
            grouped.setdefault(field.group, []).append(self[field.key])
        return list(grouped.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, list[Field]] = {}
        for field in FIELDS:
            if data.get(field.key):
                chosen.setdefault(data[field.key], []).append(field)
        for column, fields in chosen.items():
            if len(fields) > 1:
                names = " and ".join(field.label for field in fields)
                self.add_error(
                    fields[1].key, f"‘{self.headers[int(column)]}’ is chosen for {names}: a column can hold one thing"
                )
        return data

    def mapping(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items() if value}


def initial_mapping(mapping: dict[str, int]) -> dict[str, str]:
    return {key: str(index) for key, index in mapping.items()}


class StartForm(forms.Form):
    import_the_rest = forms.BooleanField(required=False)

    def __init__(self, *args: Any, importable: int, refused: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pupils = "pupil" if importable == 1 else "pupils"
        self.fields[
            "import_the_rest"
        ].label = f"Import the {importable:,} {pupils} that can be imported, and leave out the {refused:,} that cannot"
        self.refused = refused

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.refused and not data.get("import_the_rest"):
            self.add_error(
                "import_the_rest",
                "Some pupils cannot be imported: tick the box to import the others, or correct the file and upload it "
                "again",
            )
        return data
