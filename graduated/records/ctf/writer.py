"""Writing a Common Transfer File: one pupil leaving, or a group of leavers.

The file holds the parts of the CTF that Graduated keeps (identifiers and basic details, the SEN
history and needs, contacts), in the element order of the CTF specification, so it is marked
``partial``. What ``read_ctf`` gives back equals what was written, field by field, for everything
a CTF carries; a ``PupilRecord``'s enrolment date and its SEN unit and resourced provision
indicators have no place in a CTF and are not written.
"""

import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Protocol
from xml.sax.saxutils import escape

from graduated.pupils.year_groups import academic_year_start
from graduated.records.ctf.model import (
    DOCUMENT_NAME,
    NC_YEAR_OF_YEAR_GROUP,
    RELATIONSHIP_CODES,
    UNKNOWN_DESTINATION,
    School,
)
from graduated.records.record import ContactEntry, PupilRecord

# The version written, and with it the pupil's sex as <Gender>, as CTF 20 names it. Later CTFs may
# name it <Sex> (DfE's own recent exports do); the reader takes either. Check the current
# specification before raising this.
DEFAULT_VERSION = "20.0"
CHUNK_LINES = 512  # lines of XML in each chunk handed on: about 20 KB
# Characters XML 1.0 cannot hold at all (most control characters, lone surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CODE_OF_WORDS = {label.lower(): code for code, label in RELATIONSHIP_CODES.items()} | {
    "stepmother": "STM",
    "stepfather": "STF",
    "guardian": "CAR",
    "grandmother": "FAM",
    "grandfather": "FAM",
}


class Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


class _Out:
    """The file's lines as they are written, handed on as UTF-8 chunks by ``take``."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def line(self, depth: int, text: str) -> None:
        self.parts.append("  " * depth + text + "\n")

    def value(self, depth: int, name: str, value: str | int | None) -> None:
        if value is None or value == "":
            return
        self.line(depth, f"<{name}>{_text(str(value))}</{name}>")

    @property
    def full(self) -> bool:
        return len(self.parts) >= CHUNK_LINES

    def take(self) -> bytes:
        chunk = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        return chunk


def xml_safe(value: str) -> str:
    """``value`` without the characters an XML file cannot hold (most control characters), which
    ``write_ctf`` refuses: for text typed or pasted into Graduated, where one may have slipped in."""
    return _NOT_XML.sub("", value)


def _text(value: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise ValueError(f"{value!r} holds a character (U+{ord(bad.group()):04X}) that an XML file cannot hold.")
    return escape(value.strip(), {"\r": "&#13;"})


def write_ctf(
    records: Iterable[PupilRecord],
    *,
    source: School,
    destination: School | None,
    generated_at: datetime,
    ctf_version: str = DEFAULT_VERSION,
    supplier_id: str = "Graduated",
) -> bytes:
    """The CTF as UTF-8 bytes. ``destination`` None: not known (the spec's MMM/MMMM)."""
    buffer = io.BytesIO()
    write_ctf_to(
        buffer,
        records,
        source=source,
        destination=destination,
        generated_at=generated_at,
        ctf_version=ctf_version,
        supplier_id=supplier_id,
    )
    return buffer.getvalue()


def write_ctf_to(
    stream: Writable,
    records: Iterable[PupilRecord],
    *,
    source: School,
    destination: School | None,
    generated_at: datetime,
    ctf_version: str = DEFAULT_VERSION,
    supplier_id: str = "Graduated",
) -> None:
    """Writes the CTF to ``stream`` as it goes, so a large group of leavers needs little memory."""
    chunks = ctf_chunks(
        records,
        source=source,
        destination=destination,
        generated_at=generated_at,
        ctf_version=ctf_version,
        supplier_id=supplier_id,
    )
    for chunk in chunks:
        stream.write(chunk)


def ctf_chunks(
    records: Iterable[PupilRecord],
    *,
    source: School,
    destination: School | None,
    generated_at: datetime,
    ctf_version: str = DEFAULT_VERSION,
    supplier_id: str = "Graduated",
) -> Iterator[bytes]:
    """The CTF as UTF-8 chunks of a few hundred lines, each yielded once written: for a streamed
    download, where the records themselves are read from the database as the file goes."""
    out = _Out()
    out.line(0, '<?xml version="1.0" encoding="UTF-8"?>')
    out.line(0, "<CTfile>")
    _header(out, source, destination, generated_at, ctf_version, supplier_id)
    out.line(1, "<CTFpupilData>")
    for record in records:
        _pupil(out, record)
        if out.full:
            yield out.take()
    out.line(1, "</CTFpupilData>")
    out.line(0, "</CTfile>")
    yield out.take()


def file_name(source: School, destination: School | None, *, sequence: int = 1) -> str:
    """The spec's file name: source LA and establishment, CTF, destination, a sequence number."""
    to = destination.dfe_number if destination else "".join(UNKNOWN_DESTINATION)
    return f"{source.dfe_number}_CTF_{to}_{sequence:03d}.XML"


def _header(
    out: _Out, source: School, destination: School | None, generated_at: datetime, version: str, supplier: str
) -> None:
    out.line(1, "<Header>")
    out.value(2, "DocumentName", DOCUMENT_NAME)
    out.value(2, "CTFversion", version)
    out.value(2, "DateTime", f"{generated_at:%Y-%m-%dT%H:%M:%S}")
    out.value(2, "DocumentQualifier", "partial")
    out.value(2, "SupplierID", supplier)
    out.line(2, "<SourceSchool>")
    _school(out, source)
    out.value(3, "AcademicYear", academic_year_start(generated_at.date()))
    out.line(2, "</SourceSchool>")
    out.line(2, "<DestSchool>")
    _school(out, destination or School(lea=UNKNOWN_DESTINATION[0], estab=UNKNOWN_DESTINATION[1]))
    out.line(2, "</DestSchool>")
    out.line(1, "</Header>")


def _school(out: _Out, school: School) -> None:
    out.value(3, "LEA", school.lea)
    out.value(3, "Estab", school.estab)
    out.value(3, "URN", school.urn)
    out.value(3, "SchoolName", school.name)


def _pupil(out: _Out, record: PupilRecord) -> None:
    out.line(2, "<Pupil>")
    out.value(3, "UPN", record.upn)
    out.value(3, "Surname", record.legal_last_name)
    out.value(3, "Forename", record.legal_first_name)
    out.value(3, "DOB", _date(record.date_of_birth))
    out.value(3, "Gender", record.sex)
    nc_year = NC_YEAR_OF_YEAR_GROUP.get(record.year_group) if record.year_group is not None else None
    if record.preferred_last_name or record.preferred_first_name or nc_year:
        out.line(3, "<BasicDetails>")
        out.value(4, "PreferredSurname", record.preferred_last_name)
        out.value(4, "PreferredForename", record.preferred_first_name)
        out.value(4, "NCyearActual", nc_year)
        out.line(3, "</BasicDetails>")
    if record.sen_history or record.needs:
        out.line(3, "<SENhistory>")
        for entry in sorted(record.sen_history, key=lambda entry: entry.start_date):
            out.line(4, "<SEN>")
            out.value(5, "StartDate", _date(entry.start_date))
            out.value(5, "SENprovision", entry.provision)
            out.line(4, "</SEN>")
        if record.needs:
            out.line(4, "<SENneeds>")
            for need in record.needs:
                out.line(5, "<SENneed>")
                out.value(6, "NeedStartDate", _date(need.start_date))
                out.value(6, "NeedEndDate", _date(need.end_date))
                out.value(6, "SENtypeRank", need.rank)
                out.value(6, "SENtype", need.sen_type)
                out.line(5, "</SENneed>")
            out.line(4, "</SENneeds>")
        out.line(3, "</SENhistory>")
    if record.contacts:
        out.line(3, "<Contacts>")
        for contact in record.contacts:
            _contact(out, contact)
        out.line(3, "</Contacts>")
    out.line(2, "</Pupil>")


def _contact(out: _Out, contact: ContactEntry) -> None:
    out.line(4, "<Contact>")
    out.value(5, "Order", contact.priority)
    out.value(5, "Surname", contact.last_name)
    out.value(5, "Forename", contact.first_name)
    out.value(5, "Relationship", relationship_code(contact.relationship))
    out.value(5, "Responsibility", "true" if contact.parental_responsibility else "false")
    if contact.phone:
        out.line(5, "<Phones>")
        out.line(6, "<Phone>")
        out.value(7, "TelephoneType", "M" if contact.phone.replace(" ", "").startswith(("07", "+447")) else "H")
        out.value(7, "PhoneNo", contact.phone)
        out.line(6, "</Phone>")
        out.line(5, "</Phones>")
    out.value(5, "Email", contact.email)
    out.line(4, "</Contact>")


def relationship_code(relationship: str) -> str:
    """A CTF relationship code for what the MIS recorded: a code stays as it is, the usual words
    ("Mother", "Step-father") become their code, and anything else becomes OTH (other contact)."""
    if not relationship:
        return ""
    if re.fullmatch(r"[A-Z]{3}", relationship):
        return relationship
    return _CODE_OF_WORDS.get(relationship.strip().lower(), "OTH")


def _date(day: date | None) -> str | None:
    return day.isoformat() if day else None
