"""Pupils as a Common Transfer File: what Graduated holds of them, as the records a CTF carries.

``pupil_records`` reads the pupils a few hundred at a time, each batch in four queries (the pupils,
their SEN status history, their needs and their contacts), so a file of a few thousand leavers is
a fixed number of queries per batch, never one per pupil, and holds one batch in memory at a time.
``leavers_ctf`` is that file as a stream of chunks for a download.

What a record holds is what a CTF can carry of the SEN record (see ``ctf/writer.py``): the
identifiers and names, date of birth, sex, the year group on the day of the file, the whole SEN
provision history, every need (current and ended, with their ranks and dates) and the contacts.
Plans, reviews, documents and the chronology have no place in a CTF and stay here.
"""

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from django.db.models import F, Prefetch, Q, QuerySet

from graduated.organisations.models import Setting
from graduated.pupils.models import Contact, Enrolment, Need, Pupil, SENStatusPeriod
from graduated.pupils.selectors import in_year_group
from graduated.records.ctf import School, ctf_chunks, xml_safe
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry

BATCH = 500  # pupils read at once: four queries a batch


def with_sen_record(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """``pupils`` with what a CTF carries of each loaded in three more queries, in file order."""
    return pupils.prefetch_related(
        Prefetch("sen_statuses", queryset=SENStatusPeriod.objects.order_by("start_date", "id")),
        Prefetch("needs", queryset=Need.objects.order_by("rank", "start_date", "sen_type", "id")),
        # Contacts without an order come last on every database (SQLite would put them first).
        Prefetch("contacts", queryset=Contact.objects.order_by(F("priority").asc(nulls_last=True), "id")),
    )


def record_of(pupil: Pupil, *, on: date) -> PupilRecord:
    """What Graduated holds of ``pupil`` (loaded by ``with_sen_record``) as a CTF's record, with
    their year group on ``on`` (the file's date)."""
    return PupilRecord(
        upn=pupil.upn or "",
        legal_first_name=xml_safe(pupil.legal_first_name),
        legal_last_name=xml_safe(pupil.legal_last_name),
        preferred_first_name=xml_safe(pupil.preferred_first_name),
        preferred_last_name=xml_safe(pupil.preferred_last_name),
        date_of_birth=pupil.date_of_birth,
        sex=pupil.sex,
        year_group=pupil.year_group(on),
        sen_history=tuple(SENStatusEntry(period.start_date, period.status) for period in pupil.sen_statuses.all()),
        needs=tuple(NeedEntry(need.sen_type, need.rank, need.start_date, need.end_date) for need in pupil.needs.all()),
        contacts=tuple(
            ContactEntry(
                first_name=xml_safe(contact.first_name),
                last_name=xml_safe(contact.last_name),
                relationship=xml_safe(contact.relationship),
                parental_responsibility=contact.parental_responsibility,
                email=xml_safe(contact.email),
                phone=xml_safe(contact.phone),
                priority=contact.priority,
            )
            for contact in pupil.contacts.all()
        ),
    )


def pupil_record(pupil: Pupil, *, on: date) -> PupilRecord:
    """One pupil's record, in four queries."""
    loaded = with_sen_record(Pupil.objects.filter(pk=pupil.pk)).get()
    return record_of(loaded, on=on)


def pupil_records(pupil_ids: Sequence[int], *, on: date, batch: int = BATCH) -> Iterator[PupilRecord]:
    """The pupils' records, by name, read ``batch`` pupils at a time as the caller goes.

    The ids are those chosen (and audited) before the file is written, so the file holds exactly
    them. A pupil with no UPN cannot be in a CTF: the caller leaves them out.
    """
    for start in range(0, len(pupil_ids), batch):
        pupils = with_sen_record(Pupil.objects.filter(pk__in=pupil_ids[start : start + batch]))
        for pupil in pupils.order_by("legal_last_name", "legal_first_name", "id"):
            yield record_of(pupil, on=on)


def leavers_ctf(
    pupil_ids: Sequence[int], *, source: School, destination: School | None, generated_at: datetime
) -> Iterator[bytes]:
    """The CTF of the pupils, in chunks, read from the database as the file is sent."""
    records = pupil_records(pupil_ids, on=generated_at.date())
    return ctf_chunks(records, source=source, destination=destination, generated_at=generated_at)


def leavers(
    setting: Setting, *, year: int | None, ends_from: date | None, ends_to: date | None, on: date
) -> QuerySet[Pupil]:
    """The pupils on roll at ``setting`` on ``on`` in National Curriculum ``year`` (then) and whose
    enrolment here ends between the dates, as chosen; by name. Pupils who have left are not on roll,
    so not reached (docs/permissions.md)."""
    enrolments = Enrolment.objects.current(on).filter(setting=setting)
    if ends_from is not None:
        enrolments = enrolments.filter(end_date__gte=ends_from)
    if ends_to is not None:
        enrolments = enrolments.filter(end_date__lte=ends_to)
    pupils = Pupil.objects.filter(pk__in=enrolments.values("pupil_id"))
    if year is not None:
        pupils = pupils.filter(in_year_group(year, on))
    return pupils.order_by("legal_last_name", "legal_first_name", "id")


def has_upn() -> Q:
    return Q(upn__isnull=False) & ~Q(upn="")
