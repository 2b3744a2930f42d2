"""Imports do not keep pupils' data longer than they need it (``graduated purge-expired``).

An import left unfinished (uploaded, checked, or waiting) for ``IMPORT_KEEP_DAYS`` is cancelled,
and its stored file deleted: nobody is coming back to it. An import that is over keeps its counts,
but its list of rows not imported (each with a UPN and a name) goes ``IMPORT_KEEP_DAYS`` after it
ended: long enough to download the list and put the rows right in the MIS.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.records.models import ImportRefusal, ImportRun, ImportStatus
from graduated.records.runs import tidy

LEFT_UNFINISHED = [ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.CHECKED, ImportStatus.QUEUED]
OVER = [ImportStatus.FINISHED, ImportStatus.FAILED, ImportStatus.CANCELLED]
PURGE = Actor.system("purge-expired")


@dataclass(frozen=True)
class Expired:
    cancelled: int  # imports left unfinished, now cancelled with their files deleted
    refusals: int  # rows not imported, removed from imports long over


def _cutoff(now: datetime | None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.IMPORT_KEEP_DAYS)


def left_unfinished(now: datetime | None = None) -> list[ImportRun]:
    return list(ImportRun.objects.filter(status__in=LEFT_UNFINISHED, created_at__lte=_cutoff(now)).order_by("pk"))


def old_refusals(now: datetime | None = None) -> int:
    return ImportRefusal.objects.filter(run__status__in=OVER, run__finished_at__lte=_cutoff(now)).count()


def expire_imports(now: datetime | None = None, *, dry_run: bool = False) -> Expired:
    runs = left_unfinished(now)
    if dry_run:
        return Expired(cancelled=len(runs), refusals=old_refusals(now))
    cancelled = 0
    for run in runs:
        with transaction.atomic():
            changed = ImportRun.objects.filter(pk=run.pk, status__in=LEFT_UNFINISHED).update(
                status=ImportStatus.CANCELLED, finished_at=timezone.now(),
                error=f"Not finished within {settings.IMPORT_KEEP_DAYS} days, so the file was deleted.",
            )  # fmt: skip
            if changed:  # a task may have taken it up since it was listed
                days = settings.IMPORT_KEEP_DAYS
                record(PURGE, AuditAction.CHANGE, obj=run, changed_fields=["status"],
                       description=f"Cancelled import {run.pk}: left unfinished for {days} days")  # fmt: skip
                tidy(run)
                cancelled += 1
    refusals, _ = ImportRefusal.objects.filter(run__status__in=OVER, run__finished_at__lte=_cutoff(now)).delete()
    return Expired(cancelled=cancelled, refusals=refusals)
