"""Changes to a pupil's record. Each runs in one transaction, writes the chronology and the audit.

Forms check input first and give the person specific messages; these functions check the rules
that depend on the stored record again, because two people may act at once.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import save_versioned
from graduated.organisations.models import Setting
from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.models import (
    ChronologyEntry,
    ChronologyKind,
    Enrolment,
    Need,
    Pupil,
    SENStatusPeriod,
    StaffLink,
)


def add_to_chronology(pupil: Pupil, actor: Actor, kind: ChronologyKind, occurred_on: date, summary: str) -> None:
    """Put a dated event on the pupil's chronology. Every feature's services call this."""
    ChronologyEntry.objects.create(
        pupil=pupil, kind=kind, occurred_on=occurred_on, summary=summary[:300], recorded_by=actor.user
    )


@transaction.atomic
def register_pupil(
    *,
    actor: Actor,
    setting: Setting,
    start_date: date,
    details: Mapping[str, Any],
) -> Pupil:
    """Add a pupil enrolled at ``setting`` from ``start_date``, with no SEN (status N) to begin."""
    pupil = Pupil.objects.create(**details)
    Enrolment.objects.create(pupil=pupil, setting=setting, start_date=start_date)
    SENStatusPeriod.objects.create(
        pupil=pupil, status=SENProvision.NO_SEN, start_date=start_date, recorded_by=actor.user
    )
    add_to_chronology(pupil, actor, ChronologyKind.ENROLLED, start_date, f"Enrolled at {setting.name}")
    record(actor, AuditAction.CREATE, obj=pupil, pupil_id=pupil.pk, changed_fields=details.keys())
    return pupil


@transaction.atomic
def update_pupil_details(*, actor: Actor, pupil: Pupil, changes: Mapping[str, Any], expected_version: int) -> Pupil:
    """Save changed details, refusing if the record changed since ``expected_version`` was read."""
    for name, value in changes.items():
        setattr(pupil, name, value)
    save_versioned(pupil, update_fields=changes, expected_version=expected_version)
    pupil.refresh_from_db()
    if changes:
        labels = ", ".join(sorted(str(getattr(Pupil._meta.get_field(name), "verbose_name", name)) for name in changes))
        add_to_chronology(pupil, actor, ChronologyKind.DETAILS_CHANGED, date.today(), f"Details changed: {labels}")
    record(actor, AuditAction.CHANGE, obj=pupil, pupil_id=pupil.pk, changed_fields=changes.keys())
    return pupil


_REMEMBERED_STATUS = "_remembered_current_status"


def remember_current_status(pupil: Pupil, status: SENStatusPeriod | None) -> None:
    """For a page that changes nothing and has read the status already (selectors.pupil_record):
    ``current_status`` of this instance answers it without a query. Instances are built afresh
    for each request, so nothing outlives the page."""
    pupil.__dict__[_REMEMBERED_STATUS] = status


def current_status(pupil: Pupil) -> SENStatusPeriod | None:
    if _REMEMBERED_STATUS in pupil.__dict__:
        return pupil.__dict__[_REMEMBERED_STATUS]
    return pupil.sen_statuses.filter(end_date__isnull=True).first()


def check_status_change(pupil: Pupil, status: str, start_date: date) -> None:
    """The rules a status change must meet, as messages keyed by the form field they concern."""
    current = current_status(pupil)
    if status not in SENProvision.current_codes():
        raise ValidationError({"status": "Choose SEN support, EHC plan or no SEN."})
    if current and current.status == status:
        raise ValidationError({"status": f"The pupil already has the status {current.get_status_display()}."})
    if current and start_date <= current.start_date:
        raise ValidationError(
            {"start_date": f"The new status must start after the current one ({current.start_date:%-d %B %Y})."}
        )
    if status != SENProvision.SEN_SUPPORT and pupil.needs.current().filter(sen_type=SENType.NSA).exists():
        raise ValidationError(
            {"status": "End the need ‘no specialist assessment’ (NSA) first: it is only valid with SEN support."}
        )


@transaction.atomic
def change_sen_status(
    *, actor: Actor, pupil: Pupil, status: str, start_date: date, reason: str = ""
) -> SENStatusPeriod:
    """Close the current status period the day before ``start_date`` and open the new one.

    Coming off the register (N) also ends the pupil's current needs: the census records needs only
    for pupils with SEN support or an EHC plan.
    """
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # serialise changes to one pupil
    check_status_change(pupil, status, start_date)
    previous = current_status(pupil)
    if previous:
        previous.end_date = start_date - timedelta(days=1)
        previous.save(update_fields=["end_date"])
    period = SENStatusPeriod.objects.create(
        pupil=pupil, status=status, start_date=start_date, reason=reason, recorded_by=actor.user
    )
    if status == SENProvision.NO_SEN:
        for need in pupil.needs.current():
            _end_need(actor, need, max(need.start_date, start_date - timedelta(days=1)))
    before = previous.get_status_display() if previous else "none"
    summary = f"SEN status changed from {before} to {period.get_status_display()}"
    if reason:
        summary = f"{summary}: {reason}"
    add_to_chronology(pupil, actor, ChronologyKind.STATUS_CHANGED, start_date, summary[:300])
    record(actor, AuditAction.CREATE, obj=period, pupil_id=pupil.pk, changed_fields=["status", "start_date", "reason"])
    return period


def check_need(pupil: Pupil, sen_type: str, rank: int) -> None:
    status = current_status(pupil)
    if status is None or status.status not in (SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN):
        raise ValidationError({"sen_type": "Record SEN support or an EHC plan before recording a type of need."})
    if sen_type == SENType.NSA and status.status != SENProvision.SEN_SUPPORT:
        raise ValidationError({"sen_type": "NSA (no specialist assessment) is only valid with SEN support."})
    if pupil.needs.current().filter(rank=rank).exists():
        raise ValidationError({"rank": f"The pupil already has a current need ranked {rank}. End it first."})
    if pupil.needs.current().filter(sen_type=sen_type).exists():
        raise ValidationError({"sen_type": "The pupil already has this type of need recorded."})


@transaction.atomic
def record_need(*, actor: Actor, pupil: Pupil, sen_type: str, rank: int, start_date: date) -> Need:
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
    check_need(pupil, sen_type, rank)
    try:
        with transaction.atomic():
            need = Need.objects.create(
                pupil=pupil, sen_type=sen_type, rank=rank, start_date=start_date, recorded_by=actor.user
            )
    except IntegrityError as error:  # another person recorded a need at this rank a moment ago
        raise ValidationError({"rank": f"The pupil already has a current need ranked {rank}."}) from error
    add_to_chronology(
        pupil,
        actor,
        ChronologyKind.NEED_RECORDED,
        start_date,
        f"Need recorded: {need.get_sen_type_display()} ({'primary' if rank == 1 else f'rank {rank}'})",
    )
    record(actor, AuditAction.CREATE, obj=need, pupil_id=pupil.pk, changed_fields=["sen_type", "rank", "start_date"])
    return need


def _end_need(actor: Actor, need: Need, end_date: date) -> None:
    need.end_date = end_date
    need.save(update_fields=["end_date"])
    add_to_chronology(
        need.pupil, actor, ChronologyKind.NEED_ENDED, end_date, f"Need ended: {need.get_sen_type_display()}"
    )
    record(actor, AuditAction.CHANGE, obj=need, pupil_id=need.pupil_id, changed_fields=["end_date"])


@transaction.atomic
def end_need(*, actor: Actor, need: Need, end_date: date) -> Need:
    if need.end_date is not None:
        raise ValidationError("This need has already ended.")
    if end_date < need.start_date:
        raise ValidationError({"end_date": "The end date must be on or after the date the need was recorded from."})
    _end_need(actor, need, end_date)
    return need


@transaction.atomic
def link_staff(*, actor: Actor, pupil: Pupil, setting: Setting, user: Any, relationship: str) -> StaffLink:
    link, created = StaffLink.objects.update_or_create(
        pupil=pupil, user=user, defaults={"setting": setting, "relationship": relationship}
    )
    add_to_chronology(
        pupil,
        actor,
        ChronologyKind.STAFF_LINKED,
        date.today(),
        f"{user} linked as {link.get_relationship_display().lower()}",
    )
    record(
        actor,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=link,
        pupil_id=pupil.pk,
        changed_fields=["user", "relationship"],
    )
    return link


@transaction.atomic
def unlink_staff(*, actor: Actor, link: StaffLink) -> None:
    pupil = link.pupil
    add_to_chronology(pupil, actor, ChronologyKind.STAFF_UNLINKED, date.today(), f"{link.user} no longer linked")
    record(actor, AuditAction.DELETE, obj=link, pupil_id=pupil.pk)
    link.delete()
