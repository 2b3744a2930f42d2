"""Reading a CSV of pupils exported from an MIS: its encoding, its columns matched to Graduated's
fields, and each row checked and turned into a ``PupilRecord`` or the reasons it cannot be one.

The file is untrusted and may be large (130,000 pupils is about 40 MB), so it is read as a stream:
memory holds one row. What is refused for the whole file (``CSVFileError``): a file over the size
limit, one whose characters are not UTF-8 (with or without a byte-order mark) or Windows-1252,
UTF-16 ("Unicode text"), a spreadsheet or other binary file, no header row or no pupils, a quoted
value that never closes, more than ``MAX_ROWS`` rows. What is refused for one row, with its row
number, column and what is wrong: everything else. A row with more values than the header has
columns is refused (its values may have shifted); one with fewer is read as if the rest were empty,
as spreadsheets write them. Cells are only ever data: a value that starts with "=" is a name like
any other, never a formula (and every CSV Graduated writes quotes such cells, ``safe_cell``).
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError

from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.identifiers import normalise_upn, validate_upn
from graduated.records.apply import Aspect
from graduated.records.ctf.model import YEAR_GROUP_OF_NC_YEAR, PupilProblem
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry

MAX_ROWS = 250_000
MAX_CELL = 1000  # characters; the longest real value is an e-mail address
MAX_NAME = 100
CONTACTS = 3  # the contacts a file may give per pupil: Contact 1, 2 and 3
_READ = 1024 * 1024
_CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()\-]{6,30}")
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORDY = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})[ \-](\d{4})")
_MONTHS = {name: number for number, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip
_TITLES = {"mr", "mrs", "miss", "ms", "mx", "dr", "prof", "rev", "sir", "lady", "lord"}
_YES = {"y", "yes", "true", "1"}
_NO = {"", "n", "no", "false", "0"}


class CSVFileError(Exception):
    """The file as a whole cannot be read: nothing in it can be imported. ``str()`` says why, for
    the person who uploaded it."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    group: str
    required: bool = False
    headers: tuple[str, ...] = ()  # header names it is guessed from, compared without case or punctuation


_PUPIL_FIELDS = [
    Field("upn", "UPN", "Pupil", True, ("upn", "uniquepupilnumber", "pupilupn")),
    Field("legal_first_name", "Legal first name", "Pupil", True,
          ("legalforename", "forename", "forenames", "firstname", "legalfirstname", "givenname")),
    Field("legal_last_name", "Legal surname", "Pupil", True,
          ("legalsurname", "surname", "lastname", "legallastname", "familyname")),
    Field("preferred_first_name", "Preferred first name", "Pupil", False,
          ("preferredforename", "preferredfirstname", "knownas", "preferredname", "chosenname")),
    Field("preferred_last_name", "Preferred surname", "Pupil", False,
          ("preferredsurname", "preferredlastname", "knownassurname")),
    Field("date_of_birth", "Date of birth", "Pupil", True, ("dob", "dateofbirth", "birthdate")),
    Field("sex", "Sex", "Pupil", True, ("sex", "gender", "legalsex")),
    Field("year_group", "Year group", "Pupil", False,
          ("year", "yeargroup", "ncyear", "ncyearactual", "nationalcurriculumyear", "curriculumyear", "yr")),
    Field("enrolment_date", "Enrolment date", "Pupil", False,
          ("enrolmentdate", "enrollmentdate", "dateofadmission", "admissiondate", "entrydate", "dateofentry",
           "startdate", "enrolmentstartdate")),
    Field("sen_provision", "SEN provision (E, K or N)", "SEN", False,
          ("senprovision", "senstatus", "sen", "senstage", "sencode")),
    Field("sen_start_date", "SEN provision start date", "SEN", False,
          ("senprovisionstartdate", "senstartdate", "senstatusstartdate", "sensince", "senprovisiondate")),
    Field("primary_need", "Primary need (rank 1)", "SEN", False,
          ("primaryneed", "sentype1", "sentyperank1", "primarytypeofneed", "primarysenneed", "senprimaryneed",
           "senneed1", "primarysentype", "needrank1")),
    Field("secondary_need", "Secondary need (rank 2)", "SEN", False,
          ("secondaryneed", "sentype2", "sentyperank2", "secondarytypeofneed", "secondarysenneed",
           "sensecondaryneed", "senneed2", "secondarysentype", "needrank2")),
    Field("sen_unit", "SEN unit indicator", "SEN", False, ("senunit", "senunitindicator", "insenunit")),
    Field("resourced_provision", "Resourced provision indicator", "SEN", False,
          ("resourcedprovision", "resourcedprovisionindicator", "inresourcedprovision")),
]  # fmt: skip
_CONTACT_PARTS = [
    ("first_name", "first name", ("forename", "forenames", "firstname", "givenname")),
    ("last_name", "surname", ("surname", "lastname", "familyname")),
    ("name", "full name (if there are no separate name columns)", ("name", "fullname", "")),
    ("relationship", "relationship", ("relationship", "relation", "relationshiptopupil", "relationshiptochild")),
    ("responsibility", "parental responsibility", ("parentalresponsibility", "responsibility", "pr",
                                                   "hasparentalresponsibility")),
    ("email", "e-mail address", ("email", "emailaddress", "mainemail")),
    ("phone", "telephone", ("phone", "telephone", "tel", "mobile", "mobilephone", "phonenumber",
                            "telephonenumber", "mainphone")),
]  # fmt: skip
_CONTACT_PREFIXES = ("contact", "parent", "carer", "parentcarer", "guardian")
FIELDS = _PUPIL_FIELDS + [
    Field(f"contact{n}_{part}", f"Contact {n} {label}", f"Contact {n}")
    for n in range(1, CONTACTS + 1)
    for part, label, _ in _CONTACT_PARTS
]
FIELD_BY_KEY = {field.key: field for field in FIELDS}


def in_a_sentence(label: str) -> str:
    """A field's label inside a sentence: "legal surname", but "UPN" and "SEN provision" as they are."""
    label = label.split(" (")[0]
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


REQUIRED = [field.key for field in FIELDS if field.required]


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _contact_guess(normal: str) -> str | None:
    for prefix in _CONTACT_PREFIXES:
        found = re.fullmatch(rf"{prefix}([1-{CONTACTS}])(.*)", normal)
        if found:
            number, rest = found.groups()
            for part, _, words in _CONTACT_PARTS:
                if rest in words:
                    return f"contact{number}_{part}"
    return None


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Our fields matched to the file's columns by their usual names: field key → column index."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        normal = _normal(header)
        key = next((field.key for field in _PUPIL_FIELDS if normal in field.headers), None) or _contact_guess(normal)
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def gives(mapping: dict[str, int]) -> frozenset[Aspect]:
    """What a file mapped like this gives, so that an import changes only that."""
    given = set()
    keys = set(mapping)
    if keys & {"preferred_first_name", "preferred_last_name"}:
        given.add(Aspect.PREFERRED_NAMES)
    for key, aspect in [
        ("year_group", Aspect.YEAR_GROUP),
        ("enrolment_date", Aspect.ENROLMENT_DATE),
        ("sen_provision", Aspect.SEN),
        ("sen_unit", Aspect.SEN_UNIT),
        ("resourced_provision", Aspect.RESOURCED_PROVISION),
    ]:
        if key in keys:
            given.add(aspect)
    if keys & {"primary_need", "secondary_need"}:
        given.add(Aspect.NEEDS)
    if any(key.startswith("contact") for key in keys):
        given.add(Aspect.CONTACTS)
    return frozenset(given)


def column_letter(index: int) -> str:
    """The spreadsheet's name for a column: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def safe_cell(value: object) -> str:
    """A value for a CSV that a spreadsheet will show as text: one that starts like a formula is quoted."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# The file ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    encoding: str
    delimiter: str
    headers: list[str]  # as labels: blank ones named by their column, repeated ones by it too
    sample: list[str]  # the first pupil's values, to show beside the columns when matching them


class _Counting(io.RawIOBase):
    """A binary stream that counts what has been read from it (progress through a large file)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.read_bytes += len(data)
        return len(data)


def _encoding(stream: IO[bytes], max_bytes: int) -> str:
    """UTF-8 (a byte-order mark is dropped) if every byte decodes as it, else Windows-1252, else refused."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CSVFileError(
            "The file is saved as UTF-16 (Excel calls it “Unicode text”). Save it again as “CSV UTF-8 "
            "(comma delimited)” and upload that."
        )
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CSVFileError("The file is a spreadsheet, not a CSV file. Save it from Excel as “CSV UTF-8” first.")
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        total = 0
        try:
            while chunk := stream.read(_READ):
                total += len(chunk)
                if total > max_bytes:
                    raise CSVFileError(
                        f"The file is larger than {max_bytes // 1_000_000} MB, the most an import may be."
                    )
                if b"\x00" in chunk:
                    raise CSVFileError(
                        "The file holds binary data, so it is not a CSV file. Check it is the right file."
                    )
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
    raise CSVFileError(
        "Some characters in the file cannot be read. Save it again as “CSV UTF-8 (comma delimited)” and upload that."
    )


def _text(stream: IO[bytes], encoding: str) -> tuple[_Counting, io.TextIOWrapper]:
    counting = _Counting(stream)
    return counting, io.TextIOWrapper(io.BufferedReader(counting, _READ), encoding=encoding, newline="")


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _labels(headers: list[str]) -> list[str]:
    names = [_CONTROL.sub("", header).strip()[:100] for header in headers]
    labels = []
    for index, name in enumerate(names):
        if not name:
            labels.append(f"Column {column_letter(index)} (no heading)")
        elif names.count(name) > 1:
            labels.append(f"{name} (column {column_letter(index)})")
        else:
            labels.append(name)
    return labels


def read_layout(stream: IO[bytes], *, max_bytes: int) -> Layout:
    """The file's encoding, delimiter, header row and first pupil row; raises CSVFileError."""
    encoding = _encoding(stream, max_bytes)
    head = stream.read(_READ).decode(encoding, errors="replace").lstrip("\ufeff\r\n")
    delimiter = _delimiter(head.splitlines()[0] if head else "")
    stream.seek(0)
    _, text = _text(stream, encoding)
    try:
        rows = csv.reader(text, delimiter=delimiter)
        try:
            headers = next((row for row in rows if any(cell.strip() for cell in row)), None)
            sample = next((row for row in rows if any(cell.strip() for cell in row)), None)
        except csv.Error as error:
            raise CSVFileError(f"The file cannot be read as CSV ({error}).") from None
    finally:
        text.detach()
        stream.seek(0)
    if headers is None:
        raise CSVFileError("The file is empty.")
    if sample is None:
        raise CSVFileError("The file has a header row but no pupils.")
    if len(headers) < 3:
        raise CSVFileError(
            "The file's first row has fewer than three columns, so it is not a header row of pupils' details. "
            "The first row must name the columns (UPN, Surname, …)."
        )
    labels = _labels(headers)
    return Layout(encoding, delimiter, labels, [cell[:100] for cell in sample] + [""] * (len(labels) - len(sample)))


# The rows ----------------------------------------------------------------------------------------


class _Row:
    """One row's values by field, and the messages found while reading them."""

    def __init__(self, number: int, cells: list[str], mapping: dict[str, int], headers: list[str]) -> None:
        self.number = number
        self.mapping = mapping
        self.headers = headers
        self.messages: list[str] = []
        # Every mapped value, read once: a row of 30 columns is looked at some 30 times.
        width = len(cells)
        self.values = {key: cells[index].strip() if index < width else "" for key, index in mapping.items()}
        if _CONTROL.search("".join(self.values.values())) or any(len(v) > MAX_CELL for v in self.values.values()):
            for key, value in self.values.items():
                if len(value) > MAX_CELL:
                    self.problem(key, f"the value is longer than {MAX_CELL} characters.")
                    self.values[key] = ""
                elif _CONTROL.search(value):
                    self.problem(key, "the value holds a control character, which a name or code cannot.")
                    self.values[key] = ""

    def where(self, key: str) -> str:
        index = self.mapping.get(key)
        if index is None:
            return f"Row {self.number}"
        return f"Row {self.number}, column ‘{self.headers[index]}’ ({column_letter(index)})"

    def problem(self, key: str, text: str) -> None:
        self.messages.append(f"{self.where(key)}: {text}")

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def required(self, key: str) -> str:
        value = self.get(key)
        if not value and key in self.mapping:
            self.problem(key, f"{in_a_sentence(FIELD_BY_KEY[key].label)} is missing.")
        return value

    def name(self, key: str, *, required: bool = False) -> str:
        value = self.required(key) if required else self.get(key)
        if len(value) > MAX_NAME:
            self.problem(key, f"the name is longer than {MAX_NAME} characters.")
        return value

    def date(self, key: str, *, required: bool = False) -> date | None:
        value = self.required(key) if required else self.get(key)
        if not value:
            return None
        found = parse_date(value)
        if isinstance(found, str):
            self.problem(key, found)
            return None
        return found

    def flag(self, key: str) -> bool:
        value = self.get(key).lower()
        if value in _YES:
            return True
        if value not in _NO:
            self.problem(key, f"“{value}” is not yes or no (Y or N).")
        return False


def parse_date(value: str) -> date | str:
    """A date as MIS exports write them (14/03/2015, 2015-03-14, 14-Mar-2015; a time after it is
    ignored), or the message saying why it is not one. Dates are day first, as in the UK."""
    text = value.split(" ")[0] if re.match(r"\d", value) and re.search(r"\d:\d", value) else value
    text = text.split("T")[0] if _ISO.match(text) else text
    day = month = year = 0
    if found := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
    elif found := _DMY.fullmatch(text):
        if len(found.group(3)) == 2:
            return f"“{value}” gives the year in two digits: give all four, e.g. 14/03/2015."
        day, month, year = (int(part) for part in found.groups())
    elif (found := _WORDY.fullmatch(text)) and found.group(2)[:3].lower() in _MONTHS:
        day, month, year = int(found.group(1)), _MONTHS[found.group(2)[:3].lower()], int(found.group(3))
    else:
        return f"“{value}” is not a date. Give it as day/month/year, e.g. 14/03/2015."
    try:
        return date(year, month, day)
    except ValueError:
        return f"“{value}” is not a real date (day {day}, month {month}, year {year})."


_PROVISION_WORDS = {
    "e": "E", "ehc": "E", "ehcp": "E", "ehcplan": "E", "educationhealthandcareplan": "E",
    "k": "K", "sensupport": "K", "support": "K",
    "n": "N", "": "N", "nosen": "N", "none": "N", "no": "N",
    "s": "S", "statement": "S", "p": "P", "schoolactionplus": "P", "a": "A", "schoolaction": "A",
}  # fmt: skip
_TYPE_WORDS = {code.value.lower(): code.value for code in SENType} | {
    _normal(code.label): code.value for code in SENType
}
_YEAR_WORDS = {code.lower(): year for code, year in YEAR_GROUP_OF_NC_YEAR.items()} | {"reception": 0}
_SEX_WORDS = {"m": "M", "male": "M", "f": "F", "female": "F"}


class CSVReader:
    """Iterating gives each pupil row as a ``PupilRecord`` or a ``PupilProblem``, and raises
    ``CSVFileError`` at a fault that stops the file being read. ``read_bytes`` is how far it has got."""

    def __init__(self, stream: IO[bytes], layout: Layout, mapping: dict[str, int], *, today: date) -> None:
        self.stream = stream
        self.layout = layout
        self.mapping = mapping
        self.today = today
        self._counting: _Counting | None = None
        self._contact_keys = {
            n: [key for key in mapping if key.startswith(f"contact{n}_")] for n in range(1, CONTACTS + 1)
        }

    @property
    def read_bytes(self) -> int:
        return self._counting.read_bytes if self._counting else 0

    def __iter__(self) -> Iterator[PupilRecord | PupilProblem]:
        self.stream.seek(0)
        self._counting, text = _text(self.stream, self.layout.encoding)
        seen: dict[str, int] = {}
        columns = len(self.layout.headers)
        try:
            rows = csv.reader(text, delimiter=self.layout.delimiter)
            number = 0
            header_seen = False
            while True:
                try:
                    cells = next(rows, None)
                except csv.Error as error:
                    raise CSVFileError(
                        f"Row {number + 1} cannot be read ({error}). A value may have an opening quotation mark "
                        "and no closing one."
                    ) from None
                if cells is None:
                    break
                number += 1
                if not any(cell.strip() for cell in cells):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                if number > MAX_ROWS:
                    raise CSVFileError(f"The file has more than {MAX_ROWS:,} rows, the most one import may have.")
                if len(cells) > columns and any(cell.strip() for cell in cells[columns:]):
                    yield PupilProblem(number, cells[self.mapping["upn"]][:20] if "upn" in self.mapping else "", "", (
                        f"Row {number} has {len(cells)} values but the header row names {columns} columns: a value "
                        "may hold a comma without quotation marks around it.",
                    ))  # fmt: skip
                    continue
                yield self._record(_Row(number, cells, self.mapping, self.layout.headers), seen)
        finally:
            text.detach()

    def _record(self, row: _Row, seen: dict[str, int]) -> PupilRecord | PupilProblem:
        upn = self._upn(row, seen)
        first = row.name("legal_first_name", required=True)
        last = row.name("legal_last_name", required=True)
        born = row.date("date_of_birth", required=True)
        if born and born > self.today:
            row.problem("date_of_birth", f"the date of birth {born:%d/%m/%Y} is in the future.")
        elif born and born.year < self.today.year - 26:
            row.problem("date_of_birth", f"the date of birth {born:%d/%m/%Y} is more than 25 years ago.")
        sex = self._code(row, "sex", _SEX_WORDS, "M or F (or Male or Female)")
        year_group = self._year_group(row)
        enrolled = row.date("enrolment_date")
        if enrolled and born and enrolled < born:
            row.problem("enrolment_date", "the enrolment date is before the date of birth.")
        history = self._sen(row, born)
        needs = self._needs(row, history)
        contacts = tuple(
            contact for n, keys in self._contact_keys.items() if keys and (contact := self._contact(row, n))
        )
        preferred = row.name("preferred_first_name"), row.name("preferred_last_name")
        sen_unit, resourced = row.flag("sen_unit"), row.flag("resourced_provision")
        if row.messages or born is None:
            name = f"{first} {last}".strip()
            return PupilProblem(row.number, upn or row.get("upn")[:20], name, tuple(row.messages))
        return PupilRecord(
            upn=upn, legal_first_name=first, legal_last_name=last, date_of_birth=born, sex=sex,
            preferred_first_name=preferred[0], preferred_last_name=preferred[1], year_group=year_group,
            enrolment_date=enrolled, sen_history=history, needs=needs, contacts=contacts, sen_unit=sen_unit,
            resourced_provision=resourced, source_line=row.number,
        )  # fmt: skip

    def _upn(self, row: _Row, seen: dict[str, int]) -> str:
        upn = normalise_upn(row.required("upn"))
        if not upn:
            return ""
        try:
            validate_upn(upn)
        except ValidationError as error:
            row.problem("upn", f"“{row.get('upn')}”: {' '.join(error.messages)}")
            return ""
        if upn in seen:
            row.problem("upn", f"{upn} is also the UPN in row {seen[upn]}: each pupil may be in the file once.")
        else:
            seen[upn] = row.number
        return upn

    @staticmethod
    def _code(row: _Row, key: str, words: dict[str, str], expected: str) -> str:
        value = row.required(key)
        if value and _normal(value) not in words:
            row.problem(key, f"“{value}” is not {expected}.")
            return ""
        return words.get(_normal(value), "")

    @staticmethod
    def _year_group(row: _Row) -> int | None:
        value = row.get("year_group")
        if not value:
            return None
        normal = re.sub(r"^(year|yr|y)", "", _normal(value)) or _normal(value)
        if normal not in _YEAR_WORDS:
            row.problem("year_group", f"“{value}” is not a year group (R, N1, N2, 1 to 14, or X).")
            return None
        return _YEAR_WORDS[normal]

    def _sen(self, row: _Row, born: date | None) -> tuple[SENStatusEntry, ...]:
        if "sen_provision" not in self.mapping:
            return ()
        value = row.get("sen_provision")
        provision = _PROVISION_WORDS.get(_normal(value))
        if provision is None:
            row.problem("sen_provision", f"“{value}” is not an SEN provision: E (EHC plan), K (SEN support) or N.")
            return ()
        given = row.date("sen_start_date")
        if given and given > self.today:
            row.problem("sen_start_date", f"the SEN provision start date {given:%d/%m/%Y} is in the future.")
        if given and born and given < born:
            row.problem("sen_start_date", "the SEN provision starts before the date of birth.")
        return (SENStatusEntry(given or self.today, provision),)

    def _needs(self, row: _Row, history: tuple[SENStatusEntry, ...]) -> tuple[NeedEntry, ...]:
        needs = []
        for key, rank in (("primary_need", 1), ("secondary_need", 2)):
            value = row.get(key)
            if not value:
                continue
            code = _TYPE_WORDS.get(_normal(value))
            if code is None:
                row.problem(key, f"“{value}” is not a census SEN type (e.g. ASD, SLCN, SEMH, SPLD, MLD).")
                continue
            needs.append(NeedEntry(code, rank))
        codes = [need.sen_type for need in needs]
        provision = history[-1].provision if history else None
        if [need.rank for need in needs] == [2]:
            row.problem("secondary_need", "a secondary need is given but no primary need.")
        if len(codes) == 2 and codes[0] == codes[1]:
            row.problem("secondary_need", "the secondary need is the same as the primary need.")
        if needs and provision == SENProvision.NO_SEN:
            where = "primary_need" if "primary_need" in self.mapping else "secondary_need"
            row.problem(where, "needs are given but the SEN provision is N: needs go with K (SEN support) or E.")
        if SENType.NSA in codes and provision not in (None, SENProvision.SEN_SUPPORT):
            key = "primary_need" if codes[0] == SENType.NSA else "secondary_need"
            row.problem(key, "NSA (no specialist assessment) is only valid with SEN support (K).")
        return tuple(needs)

    def _contact(self, row: _Row, n: int) -> ContactEntry | None:
        prefix = f"contact{n}_"
        keys = self._contact_keys[n]
        if not any(row.values[key] for key in keys):
            return None
        first, last = row.name(prefix + "first_name"), row.name(prefix + "last_name")
        if not (first or last) and row.get(prefix + "name"):
            first, last = split_name(row.get(prefix + "name"))
            if len(first) > MAX_NAME or len(last) > MAX_NAME:
                row.problem(prefix + "name", f"the name is longer than {MAX_NAME} characters.")
        if not last:
            key = next((k for k in (prefix + "last_name", prefix + "name") if k in self.mapping), keys[0])
            row.problem(key, f"contact {n} has details but no surname.")
        email = row.get(prefix + "email")
        if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
            row.problem(prefix + "email", f"“{email}” is not an e-mail address.")
        phone = row.get(prefix + "phone")
        if phone and not _PHONE.fullmatch(phone):
            row.problem(prefix + "phone", f"“{phone}” is not a telephone number.")
        relationship = row.get(prefix + "relationship")
        if len(relationship) > 50:
            row.problem(prefix + "relationship", "the relationship is longer than 50 characters.")
        return ContactEntry(
            first_name=first, last_name=last, relationship=relationship,
            parental_responsibility=row.flag(prefix + "responsibility"), email=email, phone=phone, priority=n,
        )  # fmt: skip


def split_name(name: str) -> tuple[str, str]:
    """First names and surname from one value: "Mrs Jane Smith", "Smith, Jane" (titles dropped)."""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    words = [word for word in name.split() if word.lower().rstrip(".") not in _TITLES]
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]
