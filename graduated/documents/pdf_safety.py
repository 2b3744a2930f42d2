"""Is an uploaded PDF inert? No JavaScript, no actions that run by themselves, no files inside.

A report is read by many people on school and council machines; a PDF that runs code or carries
another file when opened is how such machines get infected. Two looks, because each misses what the
other sees:

* the raw bytes, outside stream data: every dictionary of a classic PDF is there in plain syntax,
  even in a file too damaged for a parser (names may be spelt with ``#xx`` escapes: ``/J#53``);
* the document's object graph as pypdf reads it from the catalogue: it unpacks the compressed
  object streams of PDF 1.5+, where the bytes show nothing but deflated data.
"""

import logging
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import IO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

logger = logging.getLogger(__name__)


class PdfProblem(StrEnum):
    SCRIPT = "script"
    EMBEDDED_FILE = "embedded file"
    UNREADABLE = "unreadable"
    LOCKED = "locked"


# Names that mean code or an action runs by itself (/AA: actions on opening a page, a field, ...).
_SCRIPT_NAMES = frozenset({"JS", "JavaScript", "AA", "Launch"})
# An OpenAction that is a destination ([page /Fit]) is harmless; one that is a script is caught by
# the names above, since the action's dictionary holds /S /JavaScript and /JS.
_EMBEDDED_NAMES = frozenset({"EmbeddedFile", "EmbeddedFiles", "FileAttachment"})

# The stream keyword (not the "stream" at the end of "endstream"), its data, and endstream.
_STREAM_DATA = re.compile(rb"(?<![A-Za-z])stream\r?\n.*?endstream", re.DOTALL)
# A name: a solidus and regular characters, up to a delimiter or white space (PDF 32000 7.3.5).
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Past this many objects the graph is a denial of service, not a report.
MAX_OBJECTS = 500_000


def problem(stream: IO[bytes]) -> PdfProblem | None:
    """The first reason to refuse this PDF, or None. Leaves the stream at its start."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    names = set(_names_in_syntax(data))
    found = _classify(names)
    if found:
        return found
    return _problem_in_graph(stream, has_object_streams="ObjStm" in names)


def _names_in_syntax(data: bytes) -> Iterator[str]:
    # Stream data is left out: deflated bytes hold "/JS" by chance every few megabytes.
    syntax = _STREAM_DATA.sub(b"stream endstream", data)
    for match in _NAME.finditer(syntax):
        yield _ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), match.group(1)).decode("latin-1")


def _classify(names: set[str]) -> PdfProblem | None:
    if names & _SCRIPT_NAMES:
        return PdfProblem.SCRIPT
    if names & _EMBEDDED_NAMES:
        return PdfProblem.EMBEDDED_FILE
    return None


def _problem_in_graph(stream: IO[bytes], *, has_object_streams: bool) -> PdfProblem | None:
    # pypdf raises all kinds of errors on hostile or broken input (PdfReadError, ValueError,
    # KeyError, zlib.error, RecursionError, ...): any of them means the file cannot be checked.
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            # Encryption hides strings and streams, not dictionaries: without object streams the
            # byte look above has seen every dictionary. With them, the file must open to be checked.
            if not has_object_streams:
                return None
            if not _opens_without_password(reader):
                return PdfProblem.LOCKED
        return _classify(set(_names_in_graph(reader)))
    except Exception:  # see above: a PDF that cannot be read is refused, never a 500
        logger.info("An uploaded PDF could not be read", exc_info=True)
        return PdfProblem.UNREADABLE
    finally:
        stream.seek(0)


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # AES needs a crypto library pypdf may lack: unchecked, so refused
        return False


def _names_in_graph(reader: PdfReader) -> Iterator[str]:
    """Every dictionary key and name value reachable from the trailer (the catalogue, its names
    tree, pages, annotations, form fields, ...), each indirect object visited once."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject] = [reader.trailer]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            visited += 1
            if visited > MAX_OBJECTS:
                raise ValueError(f"more than {MAX_OBJECTS} objects")
            resolved = item.get_object()
            if resolved is None:  # a reference to nothing: the null object
                continue
            item = resolved
        if isinstance(item, NameObject):
            yield str(item)[1:]
        elif isinstance(item, DictionaryObject):  # streams too: their dictionary, not their data
            for name, value in item.items():
                yield str(name)[1:]
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
