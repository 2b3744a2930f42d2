"""When the summaries are worked out again: after every committed change to what they count.

Two kinds of receiver, both only noting which keys changed:

* model signals where the records are saved one by one: a delivery record (``log_delivery``, the
  group register) and a meeting (recorded, deleted);
* the audit trail, for the changes saved in ways that send no model signal (a versioned save is one
  UPDATE, attendees are bulk-created): every create, change and delete writes one audit event
  (docs/architecture.md), naming the kind of record, the pupil and the setting of whoever acted.

Nothing is worked out inside the change's own transaction: the keys are noted (``Pending``, one
per transaction) and worked out once each after it commits (``transaction.on_commit``, robust: a
failure is logged and never undoes or refuses the change; a rolled-back change is never counted).
Sessions and meetings are a query or two each, done then; a setting's costed provision map goes to
the task queue (``tasks.py``). Bulk writes that send neither (the demo's bulk-stored sessions, the
benchmark generator) are followed by ``graduated manage rebuild_oversight``.
"""

import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from graduated.audit.models import AuditEvent
from graduated.meetings.models import Meeting
from graduated.oversight import summaries
from graduated.pupils.year_groups import academic_year_start
from graduated.support.models import DeliveryRecord, Provision

logger = logging.getLogger(__name__)

# What each audited kind of record changes: the costs of the actor's setting (the setting whose
# SENCO planned the provision, ran the group or set the hourly costs), or the pupil's meetings.
COST_RECORDS = frozenset(
    {
        "support.provision", "support.cycle", "support.review", "provision.interventiongroup",
        "provision.staffcost", "provision.catalogueitem", "provision.senbudget",
    }
)  # fmt: skip
LA_COST_RECORDS = frozenset({"provision.termdates"})  # the LA's term dates: every setting's weeks
MEETING_RECORDS = frozenset({"meetings.meeting"})


class Pending:
    """The keys one transaction changed, worked out again once it commits: a single on_commit
    callback however many records changed, each key once."""

    def __init__(self) -> None:
        self.deliveries: set[tuple[int, date]] = set()  # (provision, day)
        self.settings_year: set[tuple[int, int]] = set()  # (setting, academic year): its sessions
        self.pupils: set[int] = set()  # their meetings with parents
        self.costs: set[int] = set()  # settings
        self.la_costs: set[int] = set()  # local authorities
        self.done = False

    def __call__(self) -> None:
        if self.done:  # forgotten (forget_pending), or run already
            return
        self.done = True
        steps: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        keys = set(self.settings_year)
        if self.deliveries:
            where = dict(
                Provision.objects.filter(pk__in={p for p, _ in self.deliveries}).values_list("pk", "cycle__setting_id")
            )
            keys |= {(where[p], academic_year_start(on)) for p, on in self.deliveries if p in where}
        steps += [(summaries.refresh_deliveries, key) for key in sorted(keys)]
        steps += [(summaries.refresh_parent_meetings, (pupil,)) for pupil in sorted(self.pupils)]
        steps += [(_enqueue_costs, (setting,)) for setting in sorted(self.costs)]
        steps += [(_enqueue_la_costs, (la,)) for la in sorted(self.la_costs)]
        for func, args in steps:
            try:
                func(*args)
            except Exception:  # one summary's failure must not stop the others, nor undo the change
                logger.exception("Could not work out the SEN dashboard summary %s%s", func.__name__, args)


_local = threading.local()


def pending() -> Pending:
    """The current transaction's Pending, registered to run when it commits: a new one when the last
    has run or was discarded with a rolled-back transaction."""
    connection = transaction.get_connection()
    current: Pending | None = getattr(_local, "pending", None)
    registered = current is not None and not current.done and connection.in_atomic_block and any(
        callback is current for _, callback, _ in connection.run_on_commit
    )  # fmt: skip
    if not registered:
        current = _local.pending = Pending()
        transaction.on_commit(current, robust=True)
    assert current is not None
    return current


def forget_pending() -> None:
    """Nothing noted so far in this transaction needs working out (a rebuild has just done it all)."""
    current: Pending | None = getattr(_local, "pending", None)
    if current is not None:
        current.done = True


def _enqueue_costs(setting_id: int) -> None:
    from graduated.oversight.tasks import refresh_setting_costs

    refresh_setting_costs.enqueue(setting_id, summaries_year())


def _enqueue_la_costs(local_authority_id: int) -> None:
    from graduated.oversight.tasks import refresh_la_costs

    refresh_la_costs.enqueue(local_authority_id, summaries_year())


def summaries_year() -> int:
    """The academic year whose costs the dashboard shows: this one."""
    return academic_year_start(timezone.localdate())


def _note(add: Callable[[Pending], None]) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        add(pending())
    else:  # autocommit: the change is saved already
        now = Pending()
        add(now)
        now()


def delivery_saved(sender: type[DeliveryRecord], instance: DeliveryRecord, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _note(lambda p: p.deliveries.add((instance.provision_id, instance.on)))


def meeting_changed(sender: type[Meeting], instance: Meeting, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.pupil_id is not None:
        _note(lambda p: p.pupils.add(instance.pupil_id))


def audit_recorded(sender: type[AuditEvent], instance: AuditEvent, created: bool, raw: bool = False,
                   **kwargs: Any) -> None:  # fmt: skip
    if raw or not created:
        return
    kind, pupil_id, setting_id, la_id = (
        instance.object_type, instance.pupil_id, instance.setting_id, instance.local_authority_id,
    )  # fmt: skip
    if kind in MEETING_RECORDS and pupil_id is not None:
        _note(lambda p: p.pupils.add(pupil_id))
    elif kind in COST_RECORDS and setting_id is not None:
        _note(lambda p: p.costs.add(setting_id))
        if kind == "support.provision":  # a provision linked to another catalogue item moves its sessions
            _note(lambda p: p.settings_year.add((setting_id, summaries_year())))
    elif kind in LA_COST_RECORDS and la_id is not None:
        _note(lambda p: p.la_costs.add(la_id))


def connect() -> None:
    post_save.connect(delivery_saved, sender=DeliveryRecord, dispatch_uid="oversight_delivery_saved")
    post_save.connect(meeting_changed, sender=Meeting, dispatch_uid="oversight_meeting_saved")
    post_delete.connect(meeting_changed, sender=Meeting, dispatch_uid="oversight_meeting_deleted")
    post_save.connect(audit_recorded, sender=AuditEvent, dispatch_uid="oversight_audit_recorded")
