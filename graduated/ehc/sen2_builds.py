"""The SEN2 return, built ahead and kept (``models.Sen2Build``): an LA's return is too big to build while
an officer waits (18 MB of XML from 10,000 cases), so "Build the return" asks the background worker
for it (``tasks.build_sen2_return``, enqueued once the asking commits, as the evidence bundle is), and
the check page and the downloads read what was stored.

What is stored is exactly what the pages built before: the same files, byte for byte, from the same
cases and census date; the XML header's creation time (and the ZIP entries' times) is when the build
drew the cases. One build per LA and year: a new one replaces the last once it is made, and the last
stays readable until then. A failure is kept, with "try again"; a build that stopped (no worker) can
be asked for again after ``SEN2_BUILD_STUCK_AFTER``.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor, record
from graduated.ehc import sen2_checks, sen2_files, sen2_return
from graduated.ehc.models import Sen2Build, Sen2BuildStatus
from graduated.lib.db_routing import from_replica
from graduated.lib.errors import ServiceError
from graduated.organisations.models import LocalAuthority

logger = logging.getLogger(__name__)

BUILD_ACTOR = "SEN2 return"  # the role the background task's audit events are written in
OBJECT_TYPE = "ehc sen2 return"  # not "ehc.…": the build must not make itself look out of date
FAILED = (
    "Something went wrong while the return was being built. Try again, and if it keeps happening tell your "
    "administrator."
)


class Sen2BuildError(ServiceError):
    """A build the rules refuse to ask for; ``message`` says why."""


# -- Reading what is stored ----------------------------------------------------------------------------


def stored_build(la: LocalAuthority, year: int) -> Sen2Build | None:
    """The LA's return for ``year`` as last built or asked for; None if it never was. 1 query."""
    return Sen2Build.objects.filter(local_authority=la, year=year).select_related("asked_by", "built_asked_by").first()


def changed_since(la: LocalAuthority, since: datetime) -> bool:
    """Whether the LA's officers changed an EHC record (a case, plan, placement, review, advice or
    exception: the audit events of the ``ehc.*`` records) after ``since``. A cheap test, 1 query on
    the events' time index from ``since`` on, that tells the page the return may be out of date."""
    return AuditEvent.objects.filter(
        occurred_at__gt=since, local_authority_id=la.pk, object_type__startswith="ehc."
    ).exists()


# -- Asking for a build ---------------------------------------------------------------------------------


@transaction.atomic
def ask_for_build(*, actor: Actor, la: LocalAuthority, year: int) -> Sen2Build:
    """Ask for the LA's return for ``year`` to be built (again), in the background once this commits.
    Refused while a build is under way (two officers, or a double click: one build)."""
    LocalAuthority.objects.select_for_update().filter(pk=la.pk).values_list("pk").get()
    build = Sen2Build.objects.filter(local_authority=la, year=year).first()
    if build is None:
        build = Sen2Build.objects.create(local_authority=la, year=year, asked_by=actor.user)
    elif not build.can_build_again:
        raise Sen2BuildError("The return is already being built: this page shows when it is ready.")
    else:
        build.status, build.status_at, build.started_at = Sen2BuildStatus.BUILDING, timezone.now(), None
        build.attempts, build.error, build.asked_by = build.attempts + 1, "", actor.user
        build.save(update_fields=["status", "status_at", "started_at", "attempts", "error", "asked_by"])
    record(actor, AuditAction.CHANGE, object_type=OBJECT_TYPE, object_id=str(la.pk), changed_fields=["status"],
           description=f"SEN2 {year} return asked to be built (attempt {build.attempts})")  # fmt: skip
    _build_once_committed(build)
    return build


def _build_once_committed(build: Sen2Build) -> None:
    # After the commit, so that the worker finds the build asked for; robust, so that a queue that cannot
    # be reached never turns the asking into an error page (the build shows as stopped, to try again).
    build_id = build.pk

    def enqueue() -> None:
        from graduated.ehc.tasks import build_sen2_return

        build_sen2_return.enqueue(build_id)

    transaction.on_commit(enqueue, robust=True)


# -- Building, by the background task --------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """A return built from the cases: its files and what the checks found."""

    built: sen2_return.Sen2Return
    findings: list[sen2_checks.Finding]
    xml: bytes
    csv_zip: bytes


def draw(la: LocalAuthority, year: int, created: datetime) -> Drawn:
    """The LA's return for ``year`` as the cases stand now, its files dated ``created``."""
    collection = sen2_return.Collection(year)
    with from_replica():
        cases = sen2_return.cases_for_return(la, collection)
    built = sen2_return.build_return(la, collection, cases)
    findings = sen2_checks.check(built)
    return Drawn(built, findings, sen2_files.as_xml(built, created), sen2_files.as_csv_zip(built, created))


def _finding(finding: sen2_checks.Finding) -> dict[str, object]:
    case = finding.case
    return {"error": finding.error, "rule": finding.rule, "message": finding.message,
            "case": case.pk if case else None, "pupil": case.pupil.display_name if case else ""}  # fmt: skip


def make_return(build_id: int) -> None:
    """Build the return asked for and store it. Does nothing unless a build is waiting. A failure is
    kept on the build (``error``) for the officer to read and try again; the last return built stays."""
    build = Sen2Build.objects.select_related("local_authority").filter(
        pk=build_id, status=Sen2BuildStatus.BUILDING
    ).first()  # fmt: skip
    if build is None:
        return  # built already
    attempt = build.attempts
    Sen2Build.objects.filter(pk=build.pk).update(started_at=timezone.now())
    try:
        created = timezone.localtime()
        drawn = draw(build.local_authority, build.year, created)
    except Exception:
        logger.exception("SEN2 %s return of LA %s could not be built", build.year, build.local_authority_id)
        _failed(build, attempt=attempt, message=FAILED)
        raise  # the task's result records the failure too
    _store(build, attempt=attempt, drawn=drawn, created=created)


def _store(build: Sen2Build, *, attempt: int, drawn: Drawn, created: datetime) -> bool:
    """Keep the files and findings and mark the build ready; False (and nothing kept) when a newer
    attempt was asked for meanwhile. The files it replaces are removed once this commits."""
    old = [name for name in (build.xml.name, build.csv_zip.name) if name]
    build.xml.save("return.xml", ContentFile(drawn.xml), save=False)
    build.csv_zip.save("return.zip", ContentFile(drawn.csv_zip), save=False)
    new, storage = [build.xml.name or "", build.csv_zip.name or ""], build.xml.storage
    built = drawn.built
    errors = sum(1 for finding in drawn.findings if finding.error)
    try:
        with transaction.atomic():
            stored = Sen2Build.objects.filter(pk=build.pk, status=Sen2BuildStatus.BUILDING, attempts=attempt).update(
                status=Sen2BuildStatus.READY, status_at=timezone.now(), error="", built_at=created,
                built_asked_by=build.asked_by_id, xml=new[0], csv_zip=new[1], people=len(built.rows("person")),
                counts=[[sen2_files.ELEMENT[module], len(rows)] for module, rows in built.modules.items()],
                findings=[_finding(finding) for finding in drawn.findings], error_count=errors,
            )  # fmt: skip
            if not stored:
                _delete(storage, new)
                return False
            record(Actor.system(BUILD_ACTOR), AuditAction.CHANGE, object_type=OBJECT_TYPE,
                   object_id=str(build.local_authority_id), changed_fields=["status", "xml", "csv_zip"],
                   description=f"SEN2 {build.year} return built: {len(built.rows('person'))} people, "
                   f"{errors} errors")  # fmt: skip
            transaction.on_commit(lambda: _delete(storage, old))
    except BaseException:
        _delete(storage, new)  # nothing recorded, so the files must not stay behind either
        raise
    return True


def _delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _failed(build: Sen2Build, *, attempt: int, message: str) -> None:
    """Keep why the return could not be built, unless a newer attempt is under way."""
    with transaction.atomic():
        failed = Sen2Build.objects.filter(pk=build.pk, status=Sen2BuildStatus.BUILDING, attempts=attempt).update(
            status=Sen2BuildStatus.FAILED, status_at=timezone.now(), error=message
        )
        if failed:
            record(Actor.system(BUILD_ACTOR), AuditAction.CHANGE, object_type=OBJECT_TYPE,
                   object_id=str(build.local_authority_id), changed_fields=["status"],
                   description=f"SEN2 {build.year} return could not be built (attempt {attempt})")  # fmt: skip
