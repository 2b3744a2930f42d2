"""One ``<Pupil>`` element's values, as the reader collected them, checked and turned into a record.

Every message names the line and the element it is about, so the person who uploaded the file can
find it, e.g. "Line 42, <SENtype>: “XYZ” is not a census SEN type (expected one of …)."
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from graduated.pupils.codes import SENProvision, SENType, Sex
from graduated.pupils.identifiers import normalise_upn, validate_upn
from graduated.records.ctf.model import YEAR_GROUP_OF_NC_YEAR, PupilProblem
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry

PROVISION_CODES = [code.value for code in SENProvision]  # N, K, E and the legacy S, P, A
SEN_TYPE_CODES = [code.value for code in SENType]
SEX_CODES = [code.value for code in Sex]
MAX_NAME_LENGTH = 100

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RELATIONSHIP = re.compile(r"[A-Z]{3}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ()\-]{6,30}")


@dataclass
class Fields:
    """The values of one element group (the pupil, a <SEN>, a <SENneed>, a <Contact>, a <Phone>)."""

    element: str
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)  # element → (text, line)

    def get(self, name: str) -> str:
        return self.values[name][0] if name in self.values else ""

    def line_of(self, name: str) -> int:
        return self.values[name][1] if name in self.values else self.line


@dataclass
class ContactFields(Fields):
    phones: list[Fields] = field(default_factory=list)


@dataclass
class PupilFields(Fields):
    sen: list[Fields] = field(default_factory=list)
    needs: list[Fields] = field(default_factory=list)
    contacts: list[ContactFields] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # found while reading: repeats, long values
    overflowing: set[str] = field(default_factory=set)  # elements given more often than a pupil can have


def message(line: int, element: str, text: str) -> str:
    return f"Line {line}, <{element}>: {text}"


def _listing(codes: list[str]) -> str:
    return ", ".join(codes)


class _Checker:
    """Collects the messages for one pupil while turning its values into typed ones."""

    def __init__(self, pupil: PupilFields) -> None:
        self.pupil = pupil
        self.messages = list(pupil.problems)

    def problem(self, group: Fields, name: str, text: str) -> None:
        self.messages.append(message(group.line_of(name), name, text))

    def required(self, group: Fields, name: str) -> str:
        if name not in group.values:
            self.messages.append(message(group.line, group.element, f"<{name}> is missing."))
        elif not group.get(name):
            self.messages.append(message(group.line_of(name), name, f"<{name}> is empty."))
        return group.get(name)

    def name(self, group: Fields, name: str, *, required: bool) -> str:
        value = self.required(group, name) if required else group.get(name)
        if len(value) > MAX_NAME_LENGTH:
            self.problem(group, name, f"the name is longer than {MAX_NAME_LENGTH} characters.")
        return value

    def date(self, group: Fields, name: str, *, required: bool) -> date | None:
        value = self.required(group, name) if required else group.get(name)
        if not value:
            return None
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(group, name, f"“{value}” is not a date in the form yyyy-mm-dd (e.g. 2019-09-04).")
        return None

    def code(self, group: Fields, name: str, codes: list[str], what: str) -> str:
        value = self.required(group, name)
        if value and value not in codes:
            self.problem(group, name, f"“{value}” is not {what} (expected one of {_listing(codes)}).")
            return ""
        return value


def build_pupil(pupil: PupilFields, *, file_date: date, seen_upns: dict[str, int]) -> PupilRecord | PupilProblem:
    """The pupil's record, or the reasons it cannot be imported. ``seen_upns`` (UPN → line of the
    pupil that had it) finds a pupil given twice; this adds the pupil's UPN to it."""
    check = _Checker(pupil)
    upn = _upn(check, pupil, seen_upns)
    surname = check.name(pupil, "Surname", required=True)
    forename = check.name(pupil, "Forename", required=True)
    date_of_birth = check.date(pupil, "DOB", required=True)
    if date_of_birth and date_of_birth > file_date:
        check.problem(pupil, "DOB", f"the date of birth {date_of_birth:%d/%m/%Y} is after the date of the file.")
    sex_element = "Sex" if "Sex" in pupil.values and "Gender" not in pupil.values else "Gender"
    sex = check.code(pupil, sex_element, SEX_CODES, "a census sex code")
    preferred_forename = check.name(pupil, "PreferredForename", required=False)
    preferred_surname = check.name(pupil, "PreferredSurname", required=False)
    year_group = _year_group(check, pupil)
    history = _sen_history(check, pupil, date_of_birth)
    needs = _needs(check, pupil, history)
    contacts = tuple(_contact(check, contact) for contact in pupil.contacts)

    if check.messages or date_of_birth is None:
        return PupilProblem(
            line=pupil.line, upn=pupil.get("UPN"), name=f"{forename} {surname}".strip(), messages=tuple(check.messages)
        )
    return PupilRecord(
        upn=upn,
        legal_first_name=forename,
        legal_last_name=surname,
        date_of_birth=date_of_birth,
        sex=sex,
        preferred_first_name=preferred_forename,
        preferred_last_name=preferred_surname,
        year_group=year_group,
        sen_history=history,
        needs=needs,
        contacts=contacts,
        source_line=pupil.line,
    )


def _upn(check: _Checker, pupil: PupilFields, seen_upns: dict[str, int]) -> str:
    upn = normalise_upn(check.required(pupil, "UPN"))
    if not upn:
        return ""
    try:
        validate_upn(upn)
    except ValidationError as error:
        check.problem(pupil, "UPN", f"“{pupil.get('UPN')}”: {' '.join(error.messages)}")
        return upn
    if upn in seen_upns:
        check.problem(pupil, "UPN", f"“{upn}” is also the UPN of the pupil at line {seen_upns[upn]}.")
    else:
        seen_upns[upn] = pupil.line
    return upn


def _year_group(check: _Checker, pupil: PupilFields) -> int | None:
    value = pupil.get("NCyearActual")
    if not value:
        return None
    if value not in YEAR_GROUP_OF_NC_YEAR:
        codes = list(YEAR_GROUP_OF_NC_YEAR)
        check.problem(pupil, "NCyearActual", f"“{value}” is not an NC year (expected one of {_listing(codes)}).")
        return None
    return YEAR_GROUP_OF_NC_YEAR[value]


def _sen_history(check: _Checker, pupil: PupilFields, date_of_birth: date | None) -> tuple[SENStatusEntry, ...]:
    entries: list[SENStatusEntry] = []
    first_line: dict[date, int] = {}
    for sen in pupil.sen:
        start = check.date(sen, "StartDate", required=True)
        provision = check.code(sen, "SENprovision", PROVISION_CODES, "a census SEN provision")
        if start is None or not provision:
            continue
        if date_of_birth and start < date_of_birth:
            check.problem(sen, "StartDate", f"the SEN provision starts on {start:%d/%m/%Y}, before the date of birth.")
        if start in first_line:
            check.problem(
                sen,
                "StartDate",
                f"another <SEN> (line {first_line[start]}) starts on the same day, {start:%d/%m/%Y}: "
                "a pupil has one SEN provision at a time.",
            )
            continue
        first_line[start] = sen.line
        entries.append(SENStatusEntry(start_date=start, provision=provision))
    return tuple(sorted(entries, key=lambda entry: entry.start_date))


def _needs(check: _Checker, pupil: PupilFields, history: tuple[SENStatusEntry, ...]) -> tuple[NeedEntry, ...]:
    needs: list[tuple[NeedEntry, Fields]] = []
    for need_fields in pupil.needs:
        sen_type = check.code(need_fields, "SENtype", SEN_TYPE_CODES, "a census SEN type")
        rank_text = check.required(need_fields, "SENtypeRank")
        start = check.date(need_fields, "NeedStartDate", required=False)
        end = check.date(need_fields, "NeedEndDate", required=False)
        rank = 0
        if rank_text in ("1", "2"):
            rank = int(rank_text)
        elif rank_text:
            check.problem(
                need_fields,
                "SENtypeRank",
                f"“{rank_text}” is not a rank the census takes: 1 (primary need) or 2 (secondary need).",
            )
        if start and end and end < start:
            check.problem(need_fields, "NeedEndDate", f"the need ends on {end:%d/%m/%Y}, before it starts.")
        if sen_type and rank:
            needs.append((NeedEntry(sen_type=sen_type, rank=rank, start_date=start, end_date=end), need_fields))
    for need, need_fields in needs:
        if need.rank == 2 and not any(other.rank == 1 and _overlap(other, need) for other, _ in needs):
            check.problem(
                need_fields,
                "SENtypeRank",
                f"a secondary need (rank 2, {need.sen_type}) needs a primary need (rank 1) at the same time, "
                "and there is none.",
            )
        if need.sen_type == SENType.NSA:
            _check_nsa(check, need, need_fields, history)
    return tuple(need for need, _ in needs)


def _overlap(one: NeedEntry, other: NeedEntry) -> bool:
    return (one.start_date or date.min) <= (other.end_date or date.max) and (other.start_date or date.min) <= (
        one.end_date or date.max
    )


def _check_nsa(check: _Checker, need: NeedEntry, need_fields: Fields, history: tuple[SENStatusEntry, ...]) -> None:
    """NSA (SEN support, no specialist assessment of the type of need) is valid with K only: every
    SEN provision in force while the need was recorded must be K."""
    clash = _provision_other_than_k(need, history)
    if clash is None:
        return
    since = f" from {clash.start_date:%d/%m/%Y}" if clash.start_date != date.min else ""
    check.problem(
        need_fields,
        "SENtype",
        f"NSA is only valid with SEN support (K), but the pupil's SEN provision{since} is {clash.provision}.",
    )


def _provision_other_than_k(need: NeedEntry, history: tuple[SENStatusEntry, ...]) -> SENStatusEntry | None:
    if not history:
        return SENStatusEntry(start_date=need.start_date or date.min, provision="N")
    # Before the first <SEN> the file says nothing, so a need recorded a little earlier than the
    # provision (a common difference of days) is not held against the pupil.
    need_start = max(need.start_date or date.min, history[0].start_date)
    need_end = need.end_date or date.max
    for i, entry in enumerate(history):
        until = history[i + 1].start_date - timedelta(days=1) if i + 1 < len(history) else date.max
        if entry.provision != "K" and entry.start_date <= need_end and need_start <= until:
            return entry
    return None


def _contact(check: _Checker, contact: ContactFields) -> ContactEntry:
    surname = check.name(contact, "Surname", required=True)
    forename = check.name(contact, "Forename", required=False)
    relationship = contact.get("Relationship")
    if relationship and not _RELATIONSHIP.fullmatch(relationship):
        check.problem(
            contact,
            "Relationship",
            f"“{relationship}” is not a relationship code (three capital letters, e.g. PAM for mother).",
        )
    responsibility = contact.get("Responsibility")
    if responsibility not in ("", "true", "false", "1", "0"):
        check.problem(contact, "Responsibility", f"“{responsibility}” is not true or false.")
    email = contact.get("Email")
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        check.problem(contact, "Email", f"“{email}” is not an e-mail address.")
    order_text = contact.get("Order")
    priority = None
    if order_text:
        if order_text.isascii() and order_text.isdigit() and 0 < int(order_text) < 100:
            priority = int(order_text)
        else:
            check.problem(contact, "Order", f"“{order_text}” is not a contact order (a whole number from 1).")
    return ContactEntry(
        first_name=forename,
        last_name=surname,
        relationship=relationship,
        parental_responsibility=responsibility in ("true", "1"),
        email=email,
        phone=_phone(check, contact),
        priority=priority,
    )


def _phone(check: _Checker, contact: ContactFields) -> str:
    """The number to call: a mobile first, then a home number, then whatever comes first."""
    numbers: list[tuple[str, str]] = []
    for phone in contact.phones:
        number = phone.get("PhoneNo")
        if number and not _PHONE.fullmatch(number):
            check.problem(phone, "PhoneNo", f"“{number}” is not a telephone number.")
        elif number:
            numbers.append((phone.get("TelephoneType"), number))
    for wanted in ("M", "H"):
        for kind, number in numbers:
            if kind == wanted:
                return number
    return numbers[0][1] if numbers else ""
