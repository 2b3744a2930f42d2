"""The end of the retention period: a pupil's record is kept until their date of birth plus
``RETENTION_YEARS_AFTER_BIRTH`` years (31 by default, the SEN file retention schools follow), then
removed, files and all, leaving only an audit tombstone that says a record existed and went.

The audit trail itself stays: its rows hold the pupil's id, never their name (see the views'
audit descriptions), so keeping them keeps the history of who did what without the child.

The task queue's finished results go too, ``TASK_RESULTS_KEEP_DAYS`` (30) after they finished: a
sent e-mail is kept as its task's arguments, and a digest or an invitation may name pupils.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import batched
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import connection, models, transaction
from django.db.models.deletion import SET_NULL
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.operations.pupil_data import Detachment, collect
from graduated.pupils.models import Pupil

TOMBSTONE = "Record removed at end of retention period"


class PurgeError(ServiceError):
    """A record that cannot be removed safely; nothing of it was removed."""


@dataclass(frozen=True)
class PurgeResult:
    pupil_id: int
    rows: int
    files: int


def retention_cutoff(today: date, years: int) -> date:
    """The latest date of birth whose record is due for removal on ``today``.

    Someone born on 29 February reaches the anniversary on 1 March in other years, so their record
    is kept one day longer rather than one day shorter.
    """
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # today is 29 February and that year had none
        return today.replace(year=today.year - years, day=28)


def expired_pupils(today: date | None = None) -> models.QuerySet[Pupil]:
    cutoff = retention_cutoff(today or timezone.localdate(), settings.RETENTION_YEARS_AFTER_BIRTH)
    return Pupil.objects.filter(date_of_birth__lte=cutoff).order_by("pk")


def expired_task_results(now: datetime | None = None) -> models.QuerySet[DBTaskResult]:
    """Task results that finished (done or failed) more than TASK_RESULTS_KEEP_DAYS ago, on any queue.

    Tasks waiting or running are never touched, however old."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    return DBTaskResult.objects.finished().filter(finished_at__lte=cutoff)


def purge_task_results(now: datetime | None = None) -> int:
    """Remove the expired task results; returns how many went."""
    deleted, _ = expired_task_results(now).delete()
    return deleted


def purge_pupil(pupil: Pupil) -> PurgeResult:
    """Remove every row of the pupil's and, once that is committed, their stored files."""
    with transaction.atomic():
        data = collect(pupil)
        files = [(stored.storage, stored.name) for stored in data.files() if stored.name]
        for detachment in data.detachments:
            _detach(detachment)
        # Deepest rows first. The keys are checked at commit (Django makes them deferrable on
        # SQLite and PostgreSQL), so PROTECT keys within the record, which stop Django's own
        # deletion (a cycle continuing the previous one), do not stop this.
        for model in reversed(list(data.rows)):
            _delete_rows(model, data.rows[model])
        record(
            Actor.system("retention"),
            AuditAction.DELETE,
            object_type="pupil",
            object_id=str(pupil.pk),
            pupil_id=pupil.pk,
            description=TOMBSTONE,
        )
        # A rollback must not lose the files of a record that is still there.
        transaction.on_commit(lambda: _delete_files(files))
    return PurgeResult(pupil_id=pupil.pk, rows=data.count(), files=len(files))


def _detach(detachment: Detachment) -> None:
    key = detachment.field
    if key.remote_field.on_delete is not SET_NULL:
        raise PurgeError(
            f"{key.model._meta.label}.{key.name} points into the record and cannot be cleared; "
            "give the key on_delete=SET_NULL or CASCADE."
        )
    key.model._base_manager.filter(pk__in=detachment.pks).update(**{key.name: None})


def _delete_rows(model: type[models.Model], pks: list[Any]) -> None:
    quote = connection.ops.quote_name
    assert model._meta.pk is not None and model._meta.pk.column is not None  # every table here has one
    table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for chunk in batched(pks, 500):
            placeholders = ", ".join(["%s"] * len(chunk))
            # Table and column names come from the models, the values are parameters.
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", list(chunk))  # noqa: S608


def _delete_files(files: Iterable[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)  # a file already gone is no error
