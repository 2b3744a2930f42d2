"""Where notices start: every chronology entry of an e-mailed kind, once its transaction commits.

A post_save receiver (connected in apps.py), not a call inside ``pupils.services.add_to_chronology``:
the pupils app stays unaware of families and their e-mails (the domain apps sit below this one),
and an entry any app saves, through ``add_to_chronology`` or not, is told by construction. Imports
write their entries in bulk without signals, but only kinds that are staff-only (enrolment, status,
needs, details: graduated/records/writes.py).
"""

from functools import partial
from typing import Any

from django.db import transaction

from graduated.families.models import FamilyLink
from graduated.family_notices.kinds import EMAILED_KINDS
from graduated.family_notices.tasks import send_notices
from graduated.pupils.models import ChronologyEntry


def _queue(entry_id: int, pupil_id: int) -> None:
    # Most pupils have no family account: checking costs a query, a task for nothing costs a row
    # and a worker's turn. Whose links are live is decided by the task, when it sends.
    if FamilyLink.objects.filter(pupil_id=pupil_id, ended_at__isnull=True).exists():
        send_notices.enqueue(entry_id)


def chronology_saved(sender: type[ChronologyEntry], instance: ChronologyEntry, created: bool, raw: bool = False,
                     using: str | None = None, **kwargs: Any) -> None:  # fmt: skip
    if not created or raw or instance.kind not in EMAILED_KINDS:
        return
    # After commit: a rolled-back change is never told, and the task reads what was committed.
    transaction.on_commit(partial(_queue, instance.pk, instance.pupil_id), using=using)
