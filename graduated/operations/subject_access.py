"""A subject access request (UK GDPR article 15): everything held about one pupil, as one ZIP.

    README.txt                    what the parts are, and when the export was made
    record/<app>.<model>.json     every row of the record, one file per kind (Django's JSON
                                  serialisation: model, id, fields; other rows named by their id)
    files/<kind>/<id>-<name>      every stored file: documents by the name they were uploaded with
    audit-trail.json              who viewed, changed or exported the record, when, in which role

The rows are the ones the retention purge removes (``pupil_data.collect``): what a person can ask
to see is exactly what is held. Making the export writes one EXPORT audit event.
"""

import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core import serializers
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.operations.pupil_data import collect
from graduated.pupils.models import Pupil

AUDIT_FIELDS = ["occurred_at", "actor_email", "actor_role", "action", "object_type", "object_id", "description"]


class SubjectAccessError(ServiceError):
    """An export that cannot be written, said in words."""


@dataclass(frozen=True)
class SubjectAccessResult:
    path: Path
    rows: int
    files: int
    audit_events: int


def export_subject_access(pupil: Pupil, destination: Path, actor: Actor) -> SubjectAccessResult:
    if destination.exists():
        raise SubjectAccessError(f"{destination} exists already; choose another name.")
    partial = destination.with_name(destination.name + ".partial")
    try:
        # Readable by its owner only, like a backup: it is a child's whole record.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise SubjectAccessError(f"Cannot write {partial}: {error.strerror}.") from error
    try:
        with (
            transaction.atomic(),
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            data = collect(pupil)
            for queryset in data.querysets():
                name = f"record/{queryset.model._meta.label_lower}.json"
                archive.writestr(name, serializers.serialize("json", queryset, indent=2))
            files = data.files()
            for stored in files:
                entry = zipfile.ZipInfo(_file_name(stored), date_time=timezone.localtime().timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                with stored.open("rb") as source, archive.open(entry, "w") as target:
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
            trail = AuditEvent.objects.filter(pupil_id=pupil.pk).order_by("occurred_at", "id")
            events = list(trail.values(*AUDIT_FIELDS))
            archive.writestr("audit-trail.json", json.dumps(events, indent=2, default=str))
            archive.writestr("README.txt", _readme(pupil, data.count(), len(files), len(events)))
            record(
                actor,
                AuditAction.EXPORT,
                object_type="subject access request",
                object_id=str(pupil.pk),
                pupil_id=pupil.pk,
                description=f"Subject access request export: {data.count()} records, {len(files)} files",
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)
    return SubjectAccessResult(path=destination, rows=data.count(), files=len(files), audit_events=len(events))


def _file_name(stored: FieldFile) -> str:
    instance = stored.instance
    # A document is named as it was uploaded; other files (generated bundles) by their stored name.
    shown = getattr(instance, "original_name", "") or Path(stored.name or "file").name
    safe = re.sub(r"[^\w.\- ]+", "_", Path(shown).name).strip() or "file"
    return f"files/{instance._meta.model_name}/{instance.pk}-{safe}"


def _readme(pupil: Pupil, rows: int, files: int, events: int) -> str:
    return (
        f"Everything held about pupil {pupil.pk}, exported {timezone.localtime():%-d %B %Y at %H:%M}.\n\n"
        f"record/           {rows} rows of the record, one JSON file for each kind of row\n"
        f"files/            {files} stored files (documents and generated bundles)\n"
        f"audit-trail.json  {events} audit events: who viewed, changed or exported the record, and when\n\n"
        "Other rows (settings, staff accounts) are named by their id in the record's files.\n"
    )
