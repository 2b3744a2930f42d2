"""The import service: pupils' records from a file (``PupilRecord``s, from a CSV or a CTF) compared
with what is held, to say what would change (``plan``, a dry run) or to change it (``apply``).

* Matching is by UPN. A pupil the setting holds (enrolled here now, or before and nowhere else) is
  updated; a UPN not held anywhere is a new pupil; a UPN held by a pupil who is, or was, enrolled
  at another setting is refused and left alone: their record can follow them when that setting
  agrees (a transfer, a later piece of work), and is never attached here silently.
* What a file says is what changes, and only that. A change of SEN provision goes on the status
  history from the file's start date, as a change made by hand would (the open period closes the
  day before); needs ranked 1 and 2 follow the file (those no longer in it end, new ones are
  recorded); contacts are replaced by the file's. Needs ranked 3 and over, which the census and
  so the MIS do not hold, are left alone. Each change writes the chronology entry a change by
  hand writes, and each pupil created or changed one audit event (ids and counts, never names).
* The same file again changes nothing: every row is "unchanged".

Work goes in chunks of ``CHUNK_SIZE`` records. For each chunk one query per table loads what is
held (pupils by UPN, then their enrolments, open SEN periods, current needs, contacts) and the
writes are bulk inserts and updates, so the queries grow with the chunks, not the pupils, and
memory holds one chunk. ``apply`` commits each chunk on its own: one transaction for a whole
file of 130,000 pupils would hold SQLite's write lock for the whole import, and every page that
writes (an audit event on every pupil page) would wait behind it. Files are checked whole before
anything is applied (graduated/records/runs.py), so a file that cannot be imported writes
nothing; an import stopped half way (a crash) is finished by importing the same file again.
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import batched

from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.organisations.models import Setting
from graduated.pupils.models import Contact, Enrolment, Need, Pupil, SENStatusPeriod
from graduated.records.changes import (
    CTF_GIVES,
    EVERYTHING,
    HELD_PUPIL_FIELDS,
    Aspect,
    Held,
    HeldEnrolment,
    HeldNeed,
    HeldStatus,
    ImportOptions,
    ImportSummary,
    Outcome,
    RowOutcome,
    decide,
)
from graduated.records.record import ContactEntry, PupilRecord
from graduated.records.writes import Writer

__all__ = [
    "CHUNK_SIZE",
    "CTF_GIVES",
    "EVERYTHING",
    "Aspect",
    "ImportOptions",
    "ImportSummary",
    "Outcome",
    "Progress",
    "RowOutcome",
    "apply",
    "plan",
    "plan_chunks",
]

CHUNK_SIZE = 1000
# Called after each chunk, inside its transaction (so progress is committed with what it counts).
Progress = Callable[[list[RowOutcome], ImportSummary], None]


def plan(
    setting: Setting, records: Iterable[PupilRecord], *, options: ImportOptions, chunk_size: int = CHUNK_SIZE
) -> list[RowOutcome]:
    """What importing ``records`` would do, row by row; nothing is written."""
    return [
        outcome for chunk in plan_chunks(setting, records, options=options, chunk_size=chunk_size) for outcome in chunk
    ]


def plan_chunks(
    setting: Setting, records: Iterable[PupilRecord], *, options: ImportOptions, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[RowOutcome]]:
    """``plan`` a chunk at a time, for a caller that must not hold a whole file's outcomes."""
    for chunk in batched(records, chunk_size):
        held = _load(chunk, lock=False)
        yield [decide(record, held.get(record.upn), setting, options).outcome for record in chunk]


def apply(
    actor: Actor,
    setting: Setting,
    records: Iterable[PupilRecord],
    *,
    options: ImportOptions,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> ImportSummary:
    """Import ``records`` into ``setting``: create, update or leave each pupil, refusing those the
    rules refuse (each refusal is in the outcomes given to ``progress``). One transaction per chunk."""
    summary = ImportSummary()
    for chunk in batched(records, chunk_size):
        with transaction.atomic():
            held = _load(chunk, lock=True)
            decisions = [decide(record, held.get(record.upn), setting, options) for record in chunk]
            Writer(actor, setting, options, summary).write(decisions)
            outcomes = [decision.outcome for decision in decisions]
            for outcome in outcomes:
                summary.count(outcome.outcome)
            if progress is not None:
                progress(outcomes, summary)
    object_type, object_id = options.audit_object
    record(
        actor,
        AuditAction.CHANGE,
        object_type=object_type,
        object_id=object_id,
        description=(
            f"Pupils imported into setting {setting.pk}: {summary.created} created, {summary.updated} changed, "
            f"{summary.unchanged} unchanged, {summary.refused} refused"
        ),
    )
    return summary


# What is held ------------------------------------------------------------------------------------


def _load(records: Iterable[PupilRecord], *, lock: bool) -> dict[str, Held]:
    """The held pupils with these UPNs and what an import compares: five queries, whatever the number."""
    pupils = Pupil.objects.filter(upn__in=[record.upn for record in records]).order_by()
    if lock:
        pupils = pupils.select_for_update()  # PostgreSQL: no one changes them by hand meanwhile
    held = {values["upn"]: Held(values) for values in pupils.values(*HELD_PUPIL_FIELDS)}
    if not held:
        return held
    by_id = {entry.pupil_id: entry for entry in held.values()}
    enrolments = Enrolment.objects.filter(pupil_id__in=by_id).order_by("start_date")
    for pk, pupil_id, setting_id, start, end in enrolments.values_list(
        "id", "pupil_id", "setting_id", "start_date", "end_date"
    ):
        by_id[pupil_id].enrolments.append(HeldEnrolment(pk, setting_id, start, end))
    statuses = SENStatusPeriod.objects.filter(pupil_id__in=by_id, end_date__isnull=True).order_by()
    for pk, pupil_id, status, start in statuses.values_list("id", "pupil_id", "status", "start_date"):
        by_id[pupil_id].status = HeldStatus(pk, status, start)
    needs = Need.objects.filter(pupil_id__in=by_id, end_date__isnull=True).order_by("rank")
    for pk, pupil_id, rank, sen_type, start in needs.values_list("id", "pupil_id", "rank", "sen_type", "start_date"):
        by_id[pupil_id].needs.append(HeldNeed(pk, rank, sen_type, start))
    contacts = Contact.objects.filter(pupil_id__in=by_id).order_by("priority", "id")
    for pupil_id, first, last, relationship, responsible, email, phone, priority in contacts.values_list(
        "pupil_id", "first_name", "last_name", "relationship", "parental_responsibility", "email", "phone", "priority"
    ):
        by_id[pupil_id].contacts.append(ContactEntry(first, last, relationship, responsible, email, phone, priority))
    return held
