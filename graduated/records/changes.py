"""What an import changes, decided for one pupil's record at a time: the types the import service
(graduated/records/apply.py) works with, and the rules it applies (see its docstring)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from graduated.organisations.models import Setting
from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.year_groups import year_group_for, year_group_label
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry

CURRENT_PROVISIONS = {code.value for code in SENProvision.current_codes()}
CENSUS_RANKS = (1, 2)
ELSEWHERE = (
    "A pupil with this UPN is, or was, enrolled at another setting. Their SEN record can follow them "
    "when the other setting agrees; until then nothing is imported for them."
)


class Outcome(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSE = "refuse"


class Aspect(StrEnum):
    """Parts of a record a file may or may not give. Legal names, date of birth and sex it always gives."""

    PREFERRED_NAMES = "preferred_names"
    YEAR_GROUP = "year_group"
    ENROLMENT_DATE = "enrolment_date"
    SEN = "sen"  # the SEN provision and its history
    NEEDS = "needs"
    CONTACTS = "contacts"
    SEN_UNIT = "sen_unit"  # the census indicators, each on its own: a file may give one
    RESOURCED_PROVISION = "resourced_provision"


EVERYTHING = frozenset(Aspect)
# A CTF has no enrolment date and no census indicators (writer.py); all else it gives.
CTF_GIVES = EVERYTHING - {Aspect.ENROLMENT_DATE, Aspect.SEN_UNIT, Aspect.RESOURCED_PROVISION}


@dataclass(frozen=True)
class ImportOptions:
    today: date  # the import's date: a change the file does not date happens on it
    gives: frozenset[Aspect] = EVERYTHING
    year_groups_on: date | None = None  # the day the file's year groups are as at (default: today)
    audit_object: tuple[str, str] = ("pupil import", "")  # what the run's audit event names
    source: str = "import"  # how chronology entries and audit descriptions name the change


@dataclass(frozen=True, slots=True)
class RowOutcome:
    line: int | None
    upn: str
    name: str
    outcome: Outcome
    changes: tuple[str, ...] = ()  # in plain words, e.g. "SEN provision: SEN support to EHC plan"
    reasons: tuple[str, ...] = ()  # why it is refused
    pupil_id: int | None = None


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    status_changes: int = 0
    needs_recorded: int = 0
    needs_ended: int = 0
    contacts_written: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.refused

    def count(self, outcome: Outcome) -> None:
        name = {Outcome.CREATE: "created", Outcome.UPDATE: "updated", Outcome.UNCHANGED: "unchanged"}
        attribute = name.get(outcome, "refused")
        setattr(self, attribute, getattr(self, attribute) + 1)


@dataclass(slots=True)
class HeldEnrolment:
    pk: int
    setting_id: int
    start_date: date
    end_date: date | None


@dataclass(slots=True)
class HeldStatus:
    """The pupil's open SEN status period."""

    pk: int
    status: str
    start_date: date


@dataclass(slots=True)
class HeldNeed:
    """One of the pupil's current needs."""

    pk: int
    rank: int
    sen_type: str
    start_date: date


@dataclass
class Held:
    """What is held of a pupil that an import compares, as plain values (no model instances: an
    import of 130,000 pupils reads half a million rows)."""

    pupil: dict[str, Any]  # "id" and the fields an import may change
    enrolments: list[HeldEnrolment] = field(default_factory=list)
    status: HeldStatus | None = None
    needs: list[HeldNeed] = field(default_factory=list)
    contacts: list[ContactEntry] = field(default_factory=list)

    @property
    def pupil_id(self) -> int:
        return int(self.pupil["id"])


HELD_PUPIL_FIELDS = (
    "id", "upn", "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name",
    "date_of_birth", "sex", "year_group_override", "sen_unit", "resourced_provision",
)  # fmt: skip


# Deciding ----------------------------------------------------------------------------------------


@dataclass
class Decision:
    """What one record changes: the outcome, and the writes that make it."""

    record: PupilRecord
    outcome: RowOutcome
    held: Held | None = None
    details: dict[str, Any] = field(default_factory=dict)  # Pupil field -> new value
    enrol_from: date | None = None  # open a new enrolment here
    enrolment_start: tuple[HeldEnrolment, date] | None = None  # move the current enrolment's start
    periods: list[SENStatusEntry] = field(default_factory=list)  # status periods to open, oldest first
    replaces_status: bool = False  # the one new period starts the day the open one did: it replaces it
    end_needs: list[tuple[HeldNeed, date]] = field(default_factory=list)
    add_needs: list[NeedEntry] = field(default_factory=list)  # with their dates settled
    contacts: tuple[ContactEntry, ...] | None = None  # None: leave the pupil's contacts as they are


LABELS = {
    "legal_first_name": "legal first name",
    "legal_last_name": "legal surname",
    "preferred_first_name": "preferred first name",
    "preferred_last_name": "preferred surname",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "year_group_override": "year group",
    "sen_unit": "SEN unit indicator",
    "resourced_provision": "resourced provision indicator",
}


def _detail_label(name: str, record: PupilRecord) -> str:
    if name == "year_group_override" and record.year_group is not None:
        return f"year group ({year_group_label(record.year_group)})"
    return LABELS.get(name, name)


def _name(record: PupilRecord) -> str:
    first = record.preferred_first_name or record.legal_first_name
    return f"{first} {record.preferred_last_name or record.legal_last_name}"


def _refuse(record: PupilRecord, reasons: list[str], held: Held | None = None) -> Decision:
    outcome = RowOutcome(record.source_line, record.upn, _name(record), Outcome.REFUSE, reasons=tuple(reasons))
    return Decision(record, outcome, held)


_PROVISION_LABELS: dict[str, str] = {code: str(label) for code, label in SENProvision.choices}


def provision_label(code: str | None) -> str:
    return _PROVISION_LABELS.get(code or "", "none")


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _details(record: PupilRecord, options: ImportOptions) -> dict[str, Any]:
    """The Pupil fields the file gives, as they should be held."""
    details: dict[str, Any] = {
        "legal_first_name": record.legal_first_name,
        "legal_last_name": record.legal_last_name,
        "date_of_birth": record.date_of_birth,
        "sex": record.sex,
    }
    if Aspect.PREFERRED_NAMES in options.gives:
        details["preferred_first_name"] = record.preferred_first_name
        details["preferred_last_name"] = record.preferred_last_name
    if Aspect.SEN_UNIT in options.gives:
        details["sen_unit"] = record.sen_unit
    if Aspect.RESOURCED_PROVISION in options.gives:
        details["resourced_provision"] = record.resourced_provision
    if Aspect.YEAR_GROUP in options.gives and record.year_group is not None:
        # Held only when it differs from the year group the date of birth gives.
        usual = year_group_for(record.date_of_birth, options.year_groups_on or options.today)
        details["year_group_override"] = None if record.year_group == usual else record.year_group
    return details


def _says_sen(record: PupilRecord, options: ImportOptions) -> bool:
    return Aspect.SEN in options.gives and bool(record.sen_history)


def _says_needs(record: PupilRecord, options: ImportOptions) -> bool:
    # A pupil with neither an SEN history nor needs in the file: the file says nothing of their SEN.
    return Aspect.NEEDS in options.gives and bool(record.sen_history or record.needs)


def _need_problems(needs: list[NeedEntry], provision: str) -> list[str]:
    """The rules a pupil's current needs (ranks 1 and 2) must meet with their SEN provision."""
    problems = []
    if needs and provision not in (SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN):
        problems.append(
            f"The file gives needs, but their SEN provision is {provision_label(provision)}: needs are recorded "
            "only for pupils with SEN support (K) or an EHC plan (E)."
        )
    ranks = [need.rank for need in needs]
    types = [need.sen_type for need in needs]
    if len(set(ranks)) < len(ranks):
        problems.append("The file gives two current needs with the same rank.")
    if len(set(types)) < len(types):
        problems.append("The file gives the same type of need twice.")
    if 2 in ranks and 1 not in ranks:
        problems.append("The file gives a secondary need (rank 2) but no primary need (rank 1).")
    if SENType.NSA in types and provision != SENProvision.SEN_SUPPORT:
        problems.append("NSA (no specialist assessment) is only valid with SEN support (K).")
    return problems


def decide(record: PupilRecord, held: Held | None, setting: Setting, options: ImportOptions) -> Decision:
    if Aspect.SEN in options.gives and record.sen_history and record.current_provision not in CURRENT_PROVISIONS:
        code = record.current_provision
        return _refuse(
            record,
            [
                f"The file's current SEN provision is {code} ({provision_label(code)}), a code from before 2014: "
                "it is kept in a history but cannot be a pupil's status now. Change it in the MIS to E, K or N."
            ],
            held,
        )
    if held is None:
        return _decide_new(record, setting, options)
    return _decide_held(record, held, setting, options)


def _settle_needs(needs: Iterable[NeedEntry], default_start: date) -> list[NeedEntry]:
    """Needs with a start date: the file's, or ``default_start`` (never after the need's end)."""
    settled = []
    for need in needs:
        start = need.start_date or default_start
        if need.end_date is not None and start > need.end_date:
            start = need.end_date
        settled.append(NeedEntry(need.sen_type, need.rank, start, need.end_date))
    return settled


def _decide_new(record: PupilRecord, setting: Setting, options: ImportOptions) -> Decision:
    enrol_from = (Aspect.ENROLMENT_DATE in options.gives and record.enrolment_date) or options.today
    history = list(record.sen_history) if _says_sen(record, options) else [SENStatusEntry(enrol_from, "N")]
    provision = history[-1].provision
    needs = list(record.needs) if _says_needs(record, options) else []
    problems = _need_problems([need for need in needs if need.end_date is None], provision)
    if problems:
        return _refuse(record, problems)
    current_start = history[-1].start_date if provision != SENProvision.NO_SEN else options.today
    contacts = record.contacts if Aspect.CONTACTS in options.gives and record.contacts else ()
    changes = [f"SEN provision: {provision_label(provision)}"]
    if needs:
        changes.append("needs: " + ", ".join(
            f"{need.sen_type} (rank {need.rank}{f', ended {_day(need.end_date)}' if need.end_date else ''})"
            for need in needs
        ))  # fmt: skip
    if contacts:
        changes.append(f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}")
    outcome = RowOutcome(record.source_line, record.upn, _name(record), Outcome.CREATE, changes=tuple(changes))
    return Decision(
        record,
        outcome,
        details=_details(record, options),
        enrol_from=enrol_from,
        periods=history,
        add_needs=_settle_needs(needs, current_start),
        contacts=contacts,
    )


def _decide_held(record: PupilRecord, held: Held, setting: Setting, options: ImportOptions) -> Decision:
    today = options.today
    here = [enrolment for enrolment in held.enrolments if enrolment.setting_id == setting.pk]
    current_here = [e for e in here if e.end_date is None or e.end_date >= today]
    if not current_here and (len(here) < len(held.enrolments) or not here):
        return _refuse(record, [ELSEWHERE], held)
    pupil = held.pupil
    decision = Decision(record, RowOutcome(record.source_line, record.upn, _name(record), Outcome.UNCHANGED), held)
    changes: list[str] = []
    problems: list[str] = []

    decision.details = {name: value for name, value in _details(record, options).items() if pupil[name] != value}
    changes += [_detail_label(name, record) for name in decision.details]

    given_start = record.enrolment_date if Aspect.ENROLMENT_DATE in options.gives else None
    if current_here:
        current = current_here[-1]
        if given_start and given_start != current.start_date:
            if current.end_date is not None and given_start > current.end_date:
                problems.append(f"The enrolment date {_day(given_start)} is after the enrolment here ends.")
            else:
                decision.enrolment_start = (current, given_start)
                changes.append(f"enrolment date ({_day(given_start)})")
    else:  # enrolled here before, and nowhere else: they have come back
        start = given_start or today
        last_end = max(e.end_date for e in here if e.end_date is not None)
        if start <= last_end:
            problems.append(
                f"The pupil's last enrolment here ended on {_day(last_end)}; the file's enrolment date "
                f"{_day(start)} is not after it."
            )
        decision.enrol_from = start
        changes.append(f"enrolled again from {_day(start)}")

    held_provision = held.status.status if held.status else None
    provision = held_provision or SENProvision.NO_SEN.value
    status_start = today
    if _says_sen(record, options) and record.current_provision != held_provision:
        latest = record.sen_history[-1]
        if held.status and latest.start_date == held.status.start_date:
            # The same day as the status held (a file corrected and imported again, or a status
            # recorded by hand today): the file's provision replaces it from that day.
            decision.periods, decision.replaces_status = [latest], True
            provision, status_start = latest.provision, latest.start_date
            changes.append(
                f"SEN provision: {provision_label(held_provision)} to {provision_label(provision)} "
                f"from {_day(status_start)} (the same day, so it replaces it)"
            )
        elif held.status and latest.start_date < held.status.start_date:
            problems.append(
                f"The file gives {provision_label(latest.provision)} from {_day(latest.start_date)}, but the record "
                f"here has {provision_label(held_provision)} from {_day(held.status.start_date)}: a change must "
                "start after the current status. Correct the file, or change the SEN status by hand."
            )
        else:
            decision.periods = [latest]
            provision, status_start = latest.provision, latest.start_date
            changes.append(
                f"SEN provision: {provision_label(held_provision)} to {provision_label(provision)} "
                f"from {_day(status_start)}"
            )

    if _says_needs(record, options):
        wanted = [need for need in record.needs if need.end_date is None]
        problems += _need_problems(wanted, provision)
        _decide_needs(decision, held, record, wanted, status_start if decision.periods else today)
    if decision.periods and provision == SENProvision.NO_SEN:
        # Coming off the register ends every current need (as a change by hand does), ranks 3+ too.
        ending = {need.pk for need, _ in decision.end_needs}
        decision.end_needs += [
            (need, max(need.start_date, status_start - timedelta(days=1)))
            for need in held.needs
            if need.pk not in ending
        ]
    elif decision.periods and provision != SENProvision.SEN_SUPPORT:
        ending = {need.pk for need, _ in decision.end_needs}
        decision.end_needs += [
            (need, max(need.start_date, status_start - timedelta(days=1)))
            for need in held.needs
            if need.sen_type == SENType.NSA and need.pk not in ending
        ]
    if decision.end_needs or decision.add_needs:
        ended = [f"{need.sen_type} (rank {need.rank}) ended" for need, _ in decision.end_needs]
        added = [f"{need.sen_type} (rank {need.rank}) recorded" for need in decision.add_needs]
        changes.append("needs: " + ", ".join(ended + added))

    gives_contacts = Aspect.CONTACTS in options.gives and bool(record.contacts)
    if gives_contacts and _contact_keys(record.contacts) != _contact_keys(held.contacts):
        decision.contacts = record.contacts
        changes.append(f"contacts ({len(record.contacts)})")

    if problems:
        return _refuse(record, problems, held)
    kind = Outcome.UPDATE if changes else Outcome.UNCHANGED
    decision.outcome = RowOutcome(
        record.source_line, record.upn, _name(record), kind, changes=tuple(changes), pupil_id=held.pupil_id
    )
    return decision


def _decide_needs(decision: Decision, held: Held, record: PupilRecord, wanted: list[NeedEntry], start: date) -> None:
    """End the held census needs the file no longer gives, and record the ones it gives anew."""
    held_census = {(need.rank, need.sen_type): need for need in held.needs if need.rank in CENSUS_RANKS}
    wanted_keys = {(need.rank, need.sen_type) for need in wanted}
    new = [need for need in wanted if (need.rank, need.sen_type) not in held_census]
    settled = _settle_needs(new, start)
    starts = {need.rank: need.start_date or start for need in settled}
    ended_in_file = {(need.rank, need.sen_type): need.end_date for need in record.needs if need.end_date is not None}
    for key, need in held_census.items():
        if key in wanted_keys:
            continue
        # The file's end date; or the day before the need that takes its rank starts, or before
        # the import (or the status change it comes with): the census then counts one need a rank.
        end = ended_in_file.get(key) or starts.get(need.rank, start) - timedelta(days=1)
        decision.end_needs.append((need, max(need.start_date, end)))
    decision.add_needs = settled


def _contact_keys(contacts: Iterable[ContactEntry]) -> list[tuple[Any, ...]]:
    keys = [
        (
            contact.priority if contact.priority is not None else 999,
            contact.last_name,
            contact.first_name,
            contact.relationship,
            contact.parental_responsibility,
            contact.email.lower(),
            contact.phone,
        )
        for contact in contacts
    ]
    return sorted(keys)
