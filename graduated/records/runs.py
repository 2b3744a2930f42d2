"""An import's life: the upload is stored, (a CSV's columns are matched,) the whole file is checked
in the background (a dry run), the person starts the import, the background task applies it.

Nothing is written to pupils' records until the whole file has been read and checked. When rows
are refused (a pupil the file cannot describe, or one held by another setting) nothing is written
unless the person chooses to import the rest, having seen the list. The same rule holds for CSV
and CTF: a partial import is always a choice, never a surprise.

Each step writes an audit event naming the run (ids and counts, never names); the import writes
one event per pupil it creates or changes as well (apply.py).
"""

import hashlib
import logging
from collections.abc import Iterator
from datetime import date
from itertools import batched
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.context import RequestContext, current_context, reset_context, set_context
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.organisations.models import Setting
from graduated.records import apply as service
from graduated.records import csv_import
from graduated.records.apply import Outcome, RowOutcome
from graduated.records.csv_import import CSVFileError
from graduated.records.ctf import CTFError, PupilProblem
from graduated.records.models import ImportKind, ImportRefusal, ImportRun, ImportStatus
from graduated.records.record import PupilRecord
from graduated.records.sources import max_bytes, open_source

logger = logging.getLogger(__name__)

EXAMPLES = 20  # rows of each outcome the dry run shows; every refusal is in the download
CHECK_CHUNK = service.CHUNK_SIZE
FAILED = (
    "Something went wrong, so the import stopped. Pupils imported before it stopped are kept: upload the file "
    "again to import the rest (those already imported will show as unchanged). If it keeps happening, tell your "
    "administrator."
)


class ImportRefusedError(ServiceError):
    """The step asked for cannot be taken on this import now."""


def _describe(run: ImportRun, done: str) -> str:
    return f"{done} import {run.pk} ({run.kind}) into setting {run.setting_id}"


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload(*, actor: Actor, setting: Setting, user: User, file: UploadedFile, kind: ImportKind) -> ImportRun:
    """Store a file the form has checked (size, type by content). A CTF goes straight to its check;
    a CSV waits for its columns to be matched: its header row is read now, so that a file that is
    not a CSV of pupils at all is refused at once."""
    details: dict[str, Any] = {}
    if kind == ImportKind.CSV:
        try:
            layout = csv_import.read_layout(file, max_bytes=max_bytes())
        except CSVFileError as error:
            raise ImportRefusedError(str(error)) from error
        details = {"encoding": layout.encoding, "delimiter": layout.delimiter, "headers": layout.headers,
                   "sample": layout.sample}  # fmt: skip
    run = ImportRun(
        details=details,
        setting=setting, created_by=user, kind=kind, original_name=(file.name or "pupils")[-255:],
        size=file.size or 0, sha256=_sha256(file),
        status=ImportStatus.CHECKING if kind == ImportKind.CTF else ImportStatus.UPLOADED,
    )  # fmt: skip
    run.file.save("upload", file, save=False)
    try:
        with transaction.atomic():
            run.save()
            record(actor, AuditAction.CREATE, obj=run, description=_describe(run, f"Uploaded {run.size} bytes for"))
    except BaseException:
        run.file.delete(save=False)
        raise
    if kind == ImportKind.CTF:
        _enqueue_check(run)
    return run


def _enqueue_check(run: ImportRun) -> None:
    from graduated.records.tasks import check_import

    check_import.enqueue(run.pk)


def match_columns(*, actor: Actor, run: ImportRun, mapping: dict[str, int]) -> None:
    """Keep the person's matching of a CSV's columns and check the file with it (again)."""
    if run.kind != ImportKind.CSV or run.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        raise ImportRefusedError("This import's columns can no longer be changed.")
    with transaction.atomic():
        changed = ImportRun.objects.filter(pk=run.pk, status=run.status).update(
            mapping=mapping, status=ImportStatus.CHECKING, processed=0, processed_bytes=0
        )
        if not changed:
            raise ImportRefusedError("Someone else changed this import a moment ago. Look at it again.")
        record(actor, AuditAction.CHANGE, obj=run, description=_describe(run, f"Matched {len(mapping)} columns for"),
               changed_fields=["mapping"])  # fmt: skip
    run.refresh_from_db()
    _enqueue_check(run)


def start(*, actor: Actor, run: ImportRun, import_the_rest: bool, request_id: str = "") -> None:
    """Queue a checked import. Refused while rows are refused and the person has not chosen to
    import the rest, and while another import into the setting is under way."""
    if run.status != ImportStatus.CHECKED:
        raise ImportRefusedError("This import is not ready to start.")
    if run.will_refuse and not import_the_rest:
        raise ImportRefusedError(
            "Some pupils in the file cannot be imported. Nothing will be imported unless you choose to import the "
            "others."
        )
    if run.importable == 0:
        raise ImportRefusedError("There are no pupils in the file that can be imported.")
    with transaction.atomic():
        busy = ImportRun.objects.filter(
            setting=run.setting_id, status__in=[ImportStatus.QUEUED, ImportStatus.IMPORTING]
        )
        if busy.exclude(pk=run.pk).exists():
            raise ImportRefusedError("Another import into this setting is under way. Wait for it to finish.")
        changed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.QUEUED, import_the_rest=import_the_rest, request_id=request_id, processed=0
        )
        if not changed:
            raise ImportRefusedError("This import has already been started.")
        record(actor, AuditAction.CHANGE, obj=run, description=_describe(run, "Started"), changed_fields=["status"])
    from graduated.records.tasks import run_import

    run_import.enqueue(run.pk)


def cancel(*, actor: Actor, run: ImportRun) -> None:
    """Stop an import that has not started importing, and delete its file."""
    with transaction.atomic():
        cancellable = [ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.CHECKED, ImportStatus.FAILED]
        changed = ImportRun.objects.filter(pk=run.pk, status__in=cancellable).update(
            status=ImportStatus.CANCELLED, finished_at=timezone.now()
        )
        if not changed:
            raise ImportRefusedError("This import can no longer be cancelled.")
        record(actor, AuditAction.CHANGE, obj=run, description=_describe(run, "Cancelled"), changed_fields=["status"])
        tidy(run)


def tidy(run: ImportRun) -> None:
    """An import that is over keeps its counts and refusals, not the pupils' data it was shown
    with: the file goes (once the change commits), and so do the first pupil's values and the first
    rows of each outcome."""
    stored, storage = run.file.name, run.file.storage
    details = {key: value for key, value in run.details.items() if key != "sample"}
    ImportRun.objects.filter(pk=run.pk).update(file="", examples={}, details=details)
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _fail(run: ImportRun, message: str) -> None:
    """The run could not go on: say why, and delete the file (a new upload starts again)."""
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
        )
        record(Actor.system("import"), AuditAction.CHANGE, obj=run, description=_describe(run, "Could not finish"),
               changed_fields=["status"])  # fmt: skip
        tidy(run)


def _refusals(run: ImportRun, problems: list[PupilProblem], outcomes: list[RowOutcome]) -> list[ImportRefusal]:
    rows = [ImportRefusal(run=run, line=p.line, upn=p.upn[:20], name=p.name[:210], reasons="\n".join(p.messages))
            for p in problems]  # fmt: skip
    rows += [ImportRefusal(run=run, line=o.line, upn=o.upn, name=o.name[:210], reasons="\n".join(o.reasons))
             for o in outcomes if o.outcome == Outcome.REFUSE]  # fmt: skip
    return rows


def _example(item: RowOutcome | PupilProblem) -> dict[str, Any]:
    if isinstance(item, PupilProblem):
        return {"line": item.line, "upn": item.upn[:20], "name": item.name, "reasons": list(item.messages)}
    return {"line": item.line, "upn": item.upn, "name": item.name, "changes": list(item.changes),
            "reasons": list(item.reasons)}  # fmt: skip


# The check (a background task) ------------------------------------------------------------------


def check(run_id: int, *, today: date | None = None) -> None:
    """Read the whole file and plan it against what is held: counts, examples and every refusal."""
    run = ImportRun.objects.select_related("setting").filter(pk=run_id, status=ImportStatus.CHECKING).first()
    if run is None:
        return  # cancelled, or checked already
    today = today or timezone.localdate()
    ImportRefusal.objects.filter(run=run).delete()
    counts = {outcome: 0 for outcome in Outcome}
    examples: dict[str, list[dict[str, Any]]] = {outcome.value: [] for outcome in Outcome}
    rows = 0
    try:
        with open_source(run, today=today) as source:
            for chunk in batched(source.items, CHECK_CHUNK):
                problems = [item for item in chunk if isinstance(item, PupilProblem)]
                records = [item for item in chunk if isinstance(item, PupilRecord)]
                outcomes = service.plan(run.setting, records, options=source.options) if records else []
                counts[Outcome.REFUSE] += len(problems)
                for outcome in outcomes:
                    counts[outcome.outcome] += 1
                listed: list[PupilProblem | RowOutcome] = [*problems, *outcomes]
                for item in listed:
                    kind = Outcome.REFUSE if isinstance(item, PupilProblem) else item.outcome
                    if len(examples[kind]) < EXAMPLES:
                        examples[kind].append(_example(item))
                rows += len(chunk)
                with transaction.atomic():
                    ImportRefusal.objects.bulk_create(_refusals(run, problems, outcomes))
                    going = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.CHECKING).update(
                        processed=rows, processed_bytes=source.read_bytes
                    )
                if not going:
                    return  # cancelled while being checked
            details = {**run.details, **source.details}
    except (CSVFileError, CTFError) as error:
        ImportRefusal.objects.filter(run=run).delete()
        _fail(run, str(error))
        return
    except Exception:
        logger.exception("Checking import %s failed", run.pk)
        _fail(run, "Something went wrong while checking the file. Try again, and if it keeps happening tell your "
              "administrator.")  # fmt: skip
        raise
    if rows == 0:
        _fail(run, "The file holds no pupils.")
        return
    for first_rows in examples.values():
        first_rows.sort(key=lambda example: example["line"] or 0)
    with transaction.atomic():
        ImportRun.objects.filter(pk=run.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.CHECKED, checked_at=timezone.now(), rows=rows, processed=rows,
            processed_bytes=run.size, details=details, examples=examples, will_create=counts[Outcome.CREATE],
            will_update=counts[Outcome.UPDATE], will_leave=counts[Outcome.UNCHANGED],
            will_refuse=counts[Outcome.REFUSE],
        )  # fmt: skip
        record(Actor.system("import"), AuditAction.CHANGE, obj=run, changed_fields=["status"], description=(
            f"Checked import {run.pk}: {rows} rows, {counts[Outcome.CREATE]} to create, {counts[Outcome.UPDATE]} to "
            f"change, {counts[Outcome.UNCHANGED]} unchanged, {counts[Outcome.REFUSE]} refused"
        ))  # fmt: skip


# The import (a background task) -----------------------------------------------------------------


def _actor_for(run: ImportRun) -> Actor | None:
    """The person who started the import, in their role at the setting, if they may still import."""
    from graduated import access

    user = run.created_by
    if user is None or not user.is_active:
        return None
    if access.OrganisationPermission.ADD_PUPIL not in access.setting_permissions(user, run.setting):
        return None
    return access.actor_in(user, run.setting)


def _unchanged_file(run: ImportRun) -> bool:
    digest = hashlib.sha256()
    with run.file.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest() == run.sha256


def run_import(run_id: int, *, today: date | None = None) -> None:
    """Apply a queued import, chunk by chunk, keeping its progress and refusals as it goes."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.IMPORTING, started_at=timezone.now(), processed=0
    )
    if not claimed:
        return
    run = ImportRun.objects.select_related("setting", "created_by").get(pk=run_id)
    actor = _actor_for(run)
    if actor is None:
        _fail(
            run, "The person who started this import may no longer add pupils to the setting, so nothing was imported."
        )
        return
    if not run.file or not _unchanged_file(run):
        _fail(run, "The uploaded file is missing or has changed since it was checked, so nothing was imported.")
        return
    token = set_context(RequestContext(ip_address=current_context().ip_address, request_id=run.request_id))
    try:
        _import(run, actor, today or timezone.localdate())
    except (CSVFileError, CTFError) as error:
        _fail(run, str(error))
    except Exception:
        logger.exception("Import %s failed", run.pk)
        _fail(run, FAILED)
        raise
    finally:
        reset_context(token)


def _import(run: ImportRun, actor: Actor, today: date) -> None:
    ImportRefusal.objects.filter(run=run).delete()
    problems: list[PupilProblem] = []  # rows the file cannot describe, met since the last chunk
    skipped = 0

    with open_source(run, today=today) as source:

        def records() -> Iterator[PupilRecord]:
            for item in source.items:
                if isinstance(item, PupilProblem):
                    problems.append(item)
                else:
                    yield item

        def progress(outcomes: list[RowOutcome], summary: service.ImportSummary) -> None:
            nonlocal skipped
            ImportRefusal.objects.bulk_create(_refusals(run, problems, outcomes))
            skipped += len(problems)
            problems.clear()
            ImportRun.objects.filter(pk=run.pk).update(
                processed=summary.total + skipped, processed_bytes=source.read_bytes, created=summary.created,
                updated=summary.updated, unchanged=summary.unchanged, refused=summary.refused + skipped,
            )  # fmt: skip

        summary = service.apply(actor, run.setting, records(), options=source.options, progress=progress)
    with transaction.atomic():
        ImportRefusal.objects.bulk_create(_refusals(run, problems, []))
        skipped += len(problems)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FINISHED, finished_at=timezone.now(), processed=summary.total + skipped,
            processed_bytes=run.size, created=summary.created, updated=summary.updated,
            unchanged=summary.unchanged, refused=summary.refused + skipped,
        )  # fmt: skip
        tidy(run)
