"""Is an upload safe to keep and pass on? Checked after its type is known (content_types.sniff).

Refused: a PDF with scripts or files inside (pdf_safety), an Office or OpenDocument file that would
unpack far beyond its size (a "zip bomb", which brings down whatever opens or indexes it) or whose
zip structure is broken, the EICAR anti-virus test string, and, when ClamAV is configured
(CLAMD_SOCKET), whatever clamd finds. If clamd cannot be asked the upload is refused too: an
unchecked file must not slip through because the scanner is down.
"""

import logging
import zipfile
from collections.abc import Iterator
from typing import IO

from django.conf import settings

from graduated.documents import pdf_safety
from graduated.documents.content_types import DOCX, ODT, PDF, XLSX, FileType
from graduated.lib import clamd
from graduated.lib.errors import ServiceError

logger = logging.getLogger(__name__)

ZIP_BASED = (DOCX, XLSX, ODT)
# The standard 68-byte test file that every virus scanner reports. Joined at run time from two
# halves so that neither this file nor its compiled .pyc (which would hold a folded constant) sets
# off the scanners on developers' machines.
EICAR = b"".join(
    [
        b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*",
    ]
)
# A part below this size may be compressed as tightly as it likes: tiny repetitive XML parts are
# normal, and cannot add up to much.
_RATIO_GRACE_BYTES = 1024 * 1024
_MAX_ZIP_PARTS = 10_000
_READ_BYTES = 1024 * 1024

_ADVICE = "Nothing has been uploaded."
_RESAVE = "save it again as a new PDF (for example, by printing it to PDF) and upload the new copy"
PDF_MESSAGES = {
    pdf_safety.PdfProblem.SCRIPT: f"The PDF contains JavaScript or actions that run when it is opened: {_RESAVE}",
    pdf_safety.PdfProblem.EMBEDDED_FILE: f"The PDF has other files embedded in it: {_RESAVE}",
    pdf_safety.PdfProblem.UNREADABLE: f"The PDF could not be read, so it could not be checked (it may be damaged): "
    f"{_RESAVE}",
    pdf_safety.PdfProblem.LOCKED: "The PDF is protected with a password, so it could not be checked: upload a copy "
    "without the password",
}
VIRUS_UNAVAILABLE = (
    "The virus check is not working at the moment, so the file has not been uploaded. Try again later, and if "
    "it keeps happening tell your administrator"
)


class RefusedUploadError(ServiceError):
    """An upload refused as unsafe or unreadable; ``message`` is written for the person uploading."""


def check(upload: IO[bytes], file_type: FileType) -> None:
    """Raise RefusedUploadError with a message for the person uploading, or return: safe to store."""
    if file_type in ZIP_BASED:
        _check_zip(upload, file_type)  # before reading the parts for EICAR, which unpacks them
    if _holds_eicar(upload, file_type):
        raise RefusedUploadError(f"A virus was found in the file (the EICAR test file). {_ADVICE}")
    if file_type == PDF and (found := pdf_safety.problem(upload)):
        raise RefusedUploadError(PDF_MESSAGES[found])
    if settings.CLAMD_SOCKET:
        _scan_with_clamd(upload)


def _check_zip(upload: IO[bytes], file_type: FileType) -> None:
    limit_mb = int(settings.UPLOAD_MAX_UNPACKED_MB)
    max_ratio = int(settings.UPLOAD_MAX_COMPRESSION_RATIO)
    try:
        # Only the central directory is read here: the sizes it declares are what unpacking may
        # produce at most (zipfile stops a part at its declared size and then checks its CRC).
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise RefusedUploadError(_damaged(file_type)) from error
    finally:
        upload.seek(0)
    unpacked = sum(part.file_size for part in parts)
    tight = [
        part
        for part in parts
        if part.file_size > _RATIO_GRACE_BYTES and part.file_size > max_ratio * max(part.compress_size, 1)
    ]
    if len(parts) > _MAX_ZIP_PARTS or unpacked > limit_mb * 1024 * 1024 or tight:
        logger.warning(
            "Refused a %s that unpacks to %d bytes in %d parts (%d compressed unusually tightly)",
            file_type.label, unpacked, len(parts), len(tight),
        )  # fmt: skip
        raise RefusedUploadError(
            f"The {file_type.label} would unpack to far more than its size (over {limit_mb} MB, or compressed "
            f"unusually tightly), as files made to harm computers do. Save it again, or as a PDF, and upload the "
            f"new copy. {_ADVICE}"
        )


def _holds_eicar(upload: IO[bytes], file_type: FileType) -> bool:
    if _contains(_chunks(upload), EICAR):
        return True
    if file_type not in ZIP_BASED:
        return False
    # Inside a Word or Excel file the string is deflated: look in each part, unpacked (bounded by
    # the sizes _check_zip accepted). A part that does not unpack as declared is a damaged file.
    try:
        with zipfile.ZipFile(upload) as archive:
            return any(_contains(_part_chunks(archive, part), EICAR) for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
        # RuntimeError: an encrypted part; NotImplementedError: a compression zipfile lacks.
        raise RefusedUploadError(_damaged(file_type)) from error
    finally:
        upload.seek(0)


def _damaged(file_type: FileType) -> str:
    return f"The {file_type.label} is damaged, so it could not be checked: save it again and upload the new copy"


def _contains(chunks: Iterator[bytes], needle: bytes) -> bool:
    tail = b""
    for chunk in chunks:
        window = tail + chunk
        if needle in window:
            return True
        tail = window[-(len(needle) - 1) :]  # a match may straddle two chunks
    return False


def _chunks(upload: IO[bytes]) -> Iterator[bytes]:
    upload.seek(0)
    try:
        while chunk := upload.read(_READ_BYTES):
            yield chunk
    finally:
        upload.seek(0)


def _part_chunks(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(part) as unpacking:
        while chunk := unpacking.read(_READ_BYTES):
            yield chunk


def _scan_with_clamd(upload: IO[bytes]) -> None:
    try:
        verdict = clamd.scan(
            _chunks(upload), socket_path=settings.CLAMD_SOCKET, timeout=float(settings.CLAMD_TIMEOUT_SECONDS)
        )
    except clamd.ScannerUnavailableError as error:
        logger.error("Virus check unavailable, upload refused: %s", error)
        raise RefusedUploadError(VIRUS_UNAVAILABLE) from error
    if verdict.infected:
        logger.warning("clamd found %s in an upload; refused", verdict.signature)
        raise RefusedUploadError(f"A virus was found in the file ({verdict.signature}). {_ADVICE}")
