"""Reading a Common Transfer File as a stream, one pupil at a time, treating it as untrusted.

The file is parsed with the standard library's expat parser, fed in chunks: memory holds one
pupil's values, never the document, so a 300 MB file of 130,000 pupils reads in bounded memory.
A DOCTYPE, any entity declaration or external entity is refused (no XXE, no "billion laughs"),
parameter entities are never parsed, and the file may be no larger than ``max_bytes``.

The elements read (CTF specification, section 4.3; CTF 17 added NeedStartDate and NeedEndDate)::

    CTfile
      Header: DocumentName, CTFversion, DateTime, DocumentQualifier, SupplierID,
              SourceSchool (LEA, Estab, URN, SchoolName, AcademicYear), DestSchool (LEA, Estab, URN)
      CTFpupilData
        Pupil: UPN, Surname, Forename, DOB, Gender (or Sex)
          BasicDetails: PreferredSurname, PreferredForename, NCyearActual
          SENhistory: SEN* (StartDate, SENprovision)
                      SENneeds: SENneed* (NeedStartDate, NeedEndDate, SENtypeRank, SENtype)
          Contacts: Contact* (Order, Surname, Forename, Relationship, Responsibility, Email,
                              Phones: Phone* (TelephoneType, PhoneNo))

Everything else (attendance, assessments, addresses, school history …) is passed over unread.
SENneeds is also accepted directly under Pupil, where some MIS exports put it.
"""

import io
import re
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Protocol
from xml.parsers import expat

from graduated.records.ctf.model import (
    OLDEST_VERSION,
    UNKNOWN_DESTINATION,
    CTFError,
    CTFHeader,
    CTFResult,
    PupilProblem,
    School,
)
from graduated.records.ctf.pupil import ContactFields, Fields, PupilFields, build_pupil, message
from graduated.records.record import PupilRecord

CHUNK_SIZE = 64 * 1024
MAX_DEPTH = 32  # the CTF nests seven deep; anything far deeper is not a CTF
MAX_TEXT = 2000  # characters in one value that is read; the longest real one is an e-mail address
MAX_REPEATS = 200  # SEN entries, needs, contacts or phones for one pupil: far more than any real one

_ROOT = ("CTfile",)
_HEADER = ("CTfile", "Header")
_PUPIL = ("CTfile", "CTFpupilData", "Pupil")
_HEADER_FIELDS = ("DocumentName", "CTFversion", "DateTime", "DocumentQualifier", "SupplierID")
_SCHOOL_FIELDS = ("LEA", "Estab", "URN", "SchoolName", "AcademicYear")

# Paths below <Pupil>: a group opens a new set of values; a leaf is a value of the innermost group.
_GROUPS = {
    ("SENhistory", "SEN"): "sen",
    ("SENhistory", "SENneeds", "SENneed"): "need",
    ("SENneeds", "SENneed"): "need",
    ("Contacts", "Contact"): "contact",
    ("Contacts", "Contact", "Phones", "Phone"): "phone",
}
_GROUP_LEAVES = {
    "sen": ("StartDate", "SENprovision"),
    "need": ("NeedStartDate", "NeedEndDate", "SENtypeRank", "SENtype"),
    "contact": ("Order", "Surname", "Forename", "Relationship", "Responsibility", "Email"),
    "phone": ("TelephoneType", "PhoneNo"),
}

# What to do at an element, by its full path from the root: one dictionary look-up per element,
# since a large file has millions of them. Elements not listed are passed over.
_OPEN, _LEAF, _NOTHING = 1, 2, 3
_ACTIONS: dict[tuple[str, ...], tuple[int, str]] = {
    _ROOT: (_NOTHING, ""),
    _PUPIL: (_OPEN, "pupil"),
    **{(*_HEADER, name): (_LEAF, "header") for name in _HEADER_FIELDS},
    **{(*_HEADER, part, name): (_LEAF, "header") for part in ("SourceSchool", "DestSchool") for name in _SCHOOL_FIELDS},
    **{(*_PUPIL, name): (_LEAF, "pupil") for name in ("UPN", "Surname", "Forename", "DOB", "Gender", "Sex")},
    **{
        (*_PUPIL, "BasicDetails", name): (_LEAF, "pupil")
        for name in ("PreferredSurname", "PreferredForename", "NCyearActual")
    },
    **{(*_PUPIL, *path): (_OPEN, kind) for path, kind in _GROUPS.items()},
    **{(*_PUPIL, *path, name): (_LEAF, kind) for path, kind in _GROUPS.items() for name in _GROUP_LEAVES[kind]},
}
# The elements that only contain ones read (CTFpupilData, SourceSchool, SENhistory, Contacts …).
_ACTIONS |= {
    path[:end]: (_NOTHING, "") for path in list(_ACTIONS) for end in range(1, len(path)) if path[:end] not in _ACTIONS
}


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class CTFReader:
    """Iterating gives each pupil in the file, as a ``PupilRecord`` or a ``PupilProblem``, and
    raises ``CTFError`` at the first fault that makes the whole file unreadable. ``header`` is
    known once the first pupil has been given (or the file has been read to its end).

    A caller that must change nothing unless the whole file is good reads it to the end first
    (``read_ctf`` does), since a fault near the end is only found there.
    """

    def __init__(self, stream: Readable, *, max_bytes: int) -> None:
        self._stream = stream
        self._max_bytes = max_bytes
        self._header: CTFHeader | None = None
        self._parser = expat.ParserCreate()
        self._path: tuple[str, ...] = ()
        self._stack: list[tuple[str, ...]] = []  # the paths of the open elements' parents
        self._text: list[str] | None = None  # the value being read, if one is
        self._text_length = 0
        self._text_kind = ""
        self._text_line = 0
        self._skipping = 0  # how deep inside an element that is not read
        self._header_values: dict[str, tuple[str, int]] = {}
        self._pupil: PupilFields | None = None
        self._ready: deque[PupilRecord | PupilProblem] = deque()
        self._seen_upns: dict[str, int] = {}
        self._configure(self._parser)

    @property
    def header(self) -> CTFHeader:
        if self._header is None:
            raise RuntimeError("The header is known once the first pupil has been read.")
        return self._header

    def _configure(self, parser: expat.XMLParserType) -> None:
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._refuse_doctype
        parser.EntityDeclHandler = self._refuse_entity
        parser.UnparsedEntityDeclHandler = self._refuse_entity
        parser.ExternalEntityRefHandler = self._refuse_external_entity
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end

    def __iter__(self) -> Iterator[PupilRecord | PupilProblem]:
        total = 0
        while True:
            chunk = self._stream.read(CHUNK_SIZE)
            total += len(chunk)
            if total > self._max_bytes:
                raise CTFError(
                    f"The file is larger than {_size(self._max_bytes)}, the most a Common Transfer File may be "
                    "here. Check it is the right file, or ask for it to be sent as several smaller files."
                )
            self._parse(chunk, final=not chunk)
            while self._ready:
                yield self._ready.popleft()
            if not chunk:
                break
        if self._header is None:
            raise CTFError("The file has no <Header>, so it is not a Common Transfer File.", line=1)

    def _parse(self, chunk: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as error:
            where = f", inside <{self._path[-1]}>" if self._path else ""
            reason = expat.ErrorString(error.code) if error.code is not None else str(error)
            raise CTFError(
                f"Line {error.lineno}, column {error.offset + 1}{where}: the file is not well-formed XML ({reason}). "
                "It may have been cut short or edited by hand; ask for it to be exported again.",
                line=error.lineno,
            ) from None
        except (LookupError, UnicodeError) as error:
            line = self._parser.CurrentLineNumber
            raise CTFError(
                f"Line {line}: the file's character encoding cannot be read ({error}). A Common Transfer File is "
                "normally UTF-8; ask for it to be exported again.",
                line=line,
            ) from None

    # Refusals ---------------------------------------------------------------------------------

    def _refuse_doctype(self, name: str, *_: object) -> None:
        raise CTFError(
            f"Line {self._parser.CurrentLineNumber}, <!DOCTYPE {name}>: a Common Transfer File has no document type "
            "declaration, and files that carry one are refused for safety.",
            line=self._parser.CurrentLineNumber,
        )

    def _refuse_entity(self, name: str, *_: object) -> None:
        raise CTFError(
            f"Line {self._parser.CurrentLineNumber}, <!ENTITY {name}>: entity declarations are refused for safety.",
            line=self._parser.CurrentLineNumber,
        )

    def _refuse_external_entity(self, *_: object) -> int:
        raise CTFError(
            f"Line {self._parser.CurrentLineNumber}: the file refers to an external entity, which is refused "
            "for safety.",
            line=self._parser.CurrentLineNumber,
        )

    # Elements ---------------------------------------------------------------------------------

    def _start(self, name: str, _attributes: dict[str, str]) -> None:
        if self._skipping:
            self._skipping += 1
            if self._skipping + len(self._path) > MAX_DEPTH:
                line = self._parser.CurrentLineNumber
                raise CTFError(message(line, name, "the elements nest far deeper than a CTF's do."), line=line)
            return
        if self._text is not None:
            self._refuse_nested_element(name)
        path = (*self._path, name)
        action = _ACTIONS.get(path)
        if action is None:
            if not self._path:
                line = self._parser.CurrentLineNumber
                text = f"this is not a Common Transfer File: its root element is <{name}>, not <CTfile>."
                raise CTFError(message(line, name, text), line=line)
            self._skipping = 1  # an element not read: it and all inside it are passed over
            return
        self._stack.append(self._path)
        self._path = path
        what, kind = action
        if what == _LEAF:
            self._text = []
            self._text_length = 0
            self._text_kind = kind
            self._text_line = self._parser.CurrentLineNumber
            self._parser.CharacterDataHandler = self._characters
        elif what == _OPEN and not self._open(name, kind, self._parser.CurrentLineNumber):
            self._path = self._stack.pop()
            self._skipping = 1

    def _open(self, name: str, kind: str, line: int) -> bool:
        """Starts a new set of values; False when the pupil already has as many as a pupil can."""
        if kind == "pupil":
            if self._header is None:
                raise CTFError(message(line, "Pupil", "the pupils come before the <Header>."), line=line)
            self._pupil = PupilFields(element="Pupil", line=line)
            return True
        pupil = self._pupil
        assert pupil is not None
        contact = pupil.contacts[-1] if kind == "phone" else None
        counts = {"sen": len(pupil.sen), "need": len(pupil.needs), "contact": len(pupil.contacts)}
        if (counts[kind] if contact is None else len(contact.phones)) >= MAX_REPEATS:
            if name not in pupil.overflowing:
                pupil.overflowing.add(name)
                pupil.problems.append(message(line, name, f"the pupil has more than {MAX_REPEATS} <{name}> elements."))
            return False
        if kind == "sen":
            pupil.sen.append(Fields(element=name, line=line))
        elif kind == "need":
            pupil.needs.append(Fields(element=name, line=line))
        elif kind == "contact":
            pupil.contacts.append(ContactFields(element=name, line=line))
        else:
            assert contact is not None
            contact.phones.append(Fields(element=name, line=line))
        return True

    def _refuse_nested_element(self, name: str) -> None:
        """A value that holds an element instead of text is not read (and so is reported missing)."""
        self._text = None
        self._parser.CharacterDataHandler = None
        line = self._parser.CurrentLineNumber
        text = message(line, name, f"<{self._path[-1]}> holds an element where a value belongs.")
        if self._pupil is None:
            raise CTFError(text, line=line)
        self._pupil.problems.append(text)

    def _characters(self, data: str) -> None:
        if self._text is not None and self._text_length <= MAX_TEXT:
            self._text.append(data)
            self._text_length += len(data)

    def _end(self, name: str) -> None:
        if self._skipping:
            self._skipping -= 1
            return
        path = self._path
        self._path = self._stack.pop()
        if self._text is not None:
            self._store(path, name)
        elif len(path) == 2 and path == _HEADER:
            self._header = _header(self._header_values, self._parser.CurrentLineNumber)
        elif len(path) == 3 and path == _PUPIL and self._pupil is not None:
            file_date = self.header.generated_at.date()
            self._ready.append(build_pupil(self._pupil, file_date=file_date, seen_upns=self._seen_upns))
            self._pupil = None

    def _store(self, path: tuple[str, ...], name: str) -> None:
        assert self._text is not None
        value = "".join(self._text).strip()
        self._text = None
        self._parser.CharacterDataHandler = None
        line = self._text_line
        if self._text_kind == "header":
            self._header_values.setdefault("/".join(path[2:]), (value, line))
            return
        pupil = self._pupil
        assert pupil is not None
        group = self._group(pupil, self._text_kind)
        if self._text_length > MAX_TEXT:
            pupil.problems.append(message(line, name, f"the value is longer than {MAX_TEXT} characters."))
            value = value[:MAX_TEXT]
        if name in group.values:
            first = group.values[name][1]
            pupil.problems.append(
                message(line, name, f"<{name}> appears twice in one <{group.element}> (first at line {first}).")
            )
            return
        group.values[name] = (value, line)

    @staticmethod
    def _group(pupil: PupilFields, kind: str) -> Fields:
        if kind == "sen":
            return pupil.sen[-1]
        if kind == "need":
            return pupil.needs[-1]
        if kind == "contact":
            return pupil.contacts[-1]
        if kind == "phone":
            return pupil.contacts[-1].phones[-1]
        return pupil


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB"
    return f"{limit / 1000:g} kB" if limit >= 1000 else f"{limit} bytes"


def _header(values: dict[str, tuple[str, int]], end_line: int) -> CTFHeader:
    """The header, checked: a file with a bad header is refused whole, since it says where the
    pupils come from."""

    def value(key: str) -> str:
        return values[key][0] if key in values else ""

    def fail(key: str, text: str) -> CTFError:
        line = values[key][1] if key in values else end_line
        element = key.rpartition("/")[2] if key in values else "Header"
        return CTFError(message(line, element, text), line=line)

    if not value("DocumentName"):
        raise fail("DocumentName", "the header has no <DocumentName>, so this is not a Common Transfer File.")
    version_text = value("CTFversion")
    major = version_text.partition(".")[0]
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,3})?", version_text):
        raise fail("CTFversion", f"“{version_text}” is not a CTF version number such as 20.0.")
    if int(major) < OLDEST_VERSION:
        raise fail(
            "CTFversion",
            f"this is a CTF {int(major)} file; Graduated reads CTF {OLDEST_VERSION} and later. Ask the sending school "
            "to export it again from an up-to-date MIS.",
        )
    try:
        generated_at = datetime.fromisoformat(value("DateTime"))
    except ValueError:
        raise fail("DateTime", f"“{value('DateTime')}” is not a date and time such as 2026-07-17T15:30:00.") from None
    source = _school(values, "SourceSchool", fail, required=True)
    destination = _school(values, "DestSchool", fail, required=False)
    if destination and (destination.lea, destination.estab) == UNKNOWN_DESTINATION:
        destination = None
    assert source is not None
    return CTFHeader(
        document_name=value("DocumentName"),
        ctf_version=version_text,
        version=int(major),
        generated_at=generated_at,
        source=source,
        destination=destination,
        document_qualifier=value("DocumentQualifier"),
        supplier_id=value("SupplierID"),
        academic_year=value("SourceSchool/AcademicYear"),
    )


def _school(
    values: dict[str, tuple[str, int]], part: str, fail: Callable[[str, str], CTFError], *, required: bool
) -> School | None:
    lea, estab = values.get(f"{part}/LEA", ("", 0))[0], values.get(f"{part}/Estab", ("", 0))[0]
    urn = values.get(f"{part}/URN", ("", 0))[0]
    if not required and not (lea or estab):
        return None
    placeholders = ("MMM", "XXX") if part == "DestSchool" else ()
    if not re.fullmatch(r"[0-9]{3}", lea) and lea not in placeholders:
        raise fail(f"{part}/LEA", f"“{lea}” is not a local authority code (three digits) in <{part}>.")
    placeholders = ("MMMM", "XXXX") if part == "DestSchool" else ()
    if not re.fullmatch(r"[0-9]{4}", estab) and estab not in placeholders:
        raise fail(f"{part}/Estab", f"“{estab}” is not an establishment number (four digits) in <{part}>.")
    if urn and not re.fullmatch(r"[0-9]{6}", urn):
        raise fail(f"{part}/URN", f"“{urn}” is not a URN (six digits) in <{part}>.")
    return School(lea=lea, estab=estab, urn=urn, name=values.get(f"{part}/SchoolName", ("", 0))[0])


def read_ctf(stream: Readable | bytes, *, max_bytes: int) -> CTFResult:
    """The whole file read and checked: its header, the pupils that can be imported, and the
    problems of those that cannot. Raises ``CTFError`` when the file itself cannot be read."""
    if isinstance(stream, bytes):
        stream = io.BytesIO(stream)
    reader = CTFReader(stream, max_bytes=max_bytes)
    pupils: list[PupilRecord] = []
    problems: list[PupilProblem] = []
    for item in reader:
        if isinstance(item, PupilProblem):
            problems.append(item)
        else:
            pupils.append(item)
    return CTFResult(header=reader.header, pupils=pupils, problems=problems)
