"""What a document really is, judged by its first bytes rather than its name.

A file whose name says one thing and whose content says another is refused: the name is what a
person will trust when they open it.
"""

import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", (".pdf",))
PNG = FileType("PNG image", "image/png", (".png",))
JPEG = FileType("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
ODT = FileType("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
ALLOWED = (PDF, PNG, JPEG, DOCX, XLSX, ODT)
ALLOWED_EXTENSIONS = sorted(ext for file_type in ALLOWED for ext in file_type.extensions)


def _zip_names(stream: IO[bytes]) -> set[str]:
    try:
        with zipfile.ZipFile(stream) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def sniff(stream: IO[bytes]) -> FileType | None:
    """The allowed type this content is, or None. Leaves the stream at its start."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        names = _zip_names(stream)
        stream.seek(0)
        if "word/document.xml" in names:
            found = DOCX
        elif "xl/workbook.xml" in names:
            found = XLSX
        elif "content.xml" in names and "mimetype" in names:
            found = ODT
    return found
