"""What of a pupil's record the family sees, chosen per record by the SENCO on "Family access".

The defaults follow the Code: plans (with their outcomes, support and review) and the one-page
profile are shared; a meeting record once the school marks it shared with the parents; a document
only when its uploader chose to share it. Each kind of record keeps its own flag, and this module
is the one place that reads and changes them for families, so the child's page and the SENCO's
choices cannot disagree.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from graduated.access import PupilAccess
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.documents.models import Document
from graduated.meetings.models import Meeting
from graduated.profiles.models import ProfileVersion
from graduated.support.models import Cycle

KINDS = ("plan", "profile", "meeting", "document")
SHOWN = 30  # of each kind, newest first, on the SENCO's page


@dataclass
class SharedRecord:
    kind: str
    pk: int
    label: str
    shared: bool


def _records(pupil_access: PupilAccess) -> list[SharedRecord]:
    pupil = pupil_access.pupil
    found = [
        SharedRecord("plan", c.pk, f"Plan {c.number}, from {c.started_on:%-d %B %Y}", c.shared_with_family)
        for c in Cycle.objects.filter(pupil=pupil).order_by("-number")[:SHOWN]
    ]
    found += [
        SharedRecord("profile", v.pk, f"One-page profile, version {v.number} ({v.written_on:%-d %B %Y})",
                     v.shared_with_family)
        for v in ProfileVersion.objects.filter(profile__pupil=pupil).order_by("-number")[:SHOWN]
    ]  # fmt: skip
    found += [
        SharedRecord("meeting", m.pk, f"{m.get_kind_display()}, {m.held_on:%-d %B %Y}",
                     m.shared_with_parents_on is not None)
        for m in Meeting.objects.filter(pupil=pupil).order_by("-held_on", "-id")[:SHOWN]
    ]  # fmt: skip
    found += [
        SharedRecord("document", d.pk, f"{d.title} ({d.dated:%-d %B %Y})", d.shared_with_family)
        for d in Document.objects.filter(pupil=pupil).order_by("-dated", "-id")[:SHOWN]
    ]
    return found


def records_for(pupil_access: PupilAccess) -> dict[str, list[SharedRecord]]:
    """The pupil's records by kind, each with whether the family sees it."""
    grouped: dict[str, list[SharedRecord]] = {kind: [] for kind in KINDS}
    for item in _records(pupil_access):
        grouped[item.kind].append(item)
    return grouped


def _target(pupil_access: PupilAccess, kind: str, pk: int) -> Any:
    pupil = pupil_access.pupil
    queries = {
        "plan": Cycle.objects.filter(pupil=pupil),
        "profile": ProfileVersion.objects.filter(profile__pupil=pupil),
        "meeting": Meeting.objects.filter(pupil=pupil),
        "document": Document.objects.filter(pupil=pupil),
    }
    if kind not in queries:
        raise Http404("No such record.")
    found = queries[kind].select_for_update().filter(pk=pk).first()
    if found is None:
        raise Http404("No such record.")
    return found


@transaction.atomic
def set_shared(*, pupil_access: PupilAccess, kind: str, pk: int, shared: bool) -> bool:
    """Share a record with the family or stop sharing it. False when it already was as asked."""
    target = _target(pupil_access, kind, pk)
    value: date | bool | None
    if kind == "meeting":
        if (target.shared_with_parents_on is not None) == shared:
            return False
        field, value = "shared_with_parents_on", timezone.localdate() if shared else None
    else:
        if target.shared_with_family == shared:
            return False
        field, value = "shared_with_family", shared
    type(target).objects.filter(pk=target.pk).update(**{field: value})
    record(pupil_access.actor, AuditAction.CHANGE, obj=target, pupil_id=pupil_access.pupil.pk, changed_fields=[field],
           description=f"{'Shared with' if shared else 'No longer shared with'} the family")  # fmt: skip
    return True
