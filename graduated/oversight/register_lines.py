"""Each pupil's lines of the SEN dashboard, worked out ahead (``RegisterLine``), so that the
dashboard reads a few thousand narrow rows instead of looking up, for every pupil on an LA's
register, their enrolments, status, primary need, cycle, outcomes, staff links and meetings.

Kept up to date from the audit trail rather than by model signals. Every create, change and delete
of a pupil's records writes an audit event naming the pupil, in the change's own transaction,
whichever way the change was saved (one by one, a versioned UPDATE, an import in bulk). Before
the dashboard reads the lines, ``sync`` works out again the lines of every pupil named by such an
event since it last ran: usually a handful, in one batch of queries for them all. Events of the
last ``SYNC_MARGIN`` are read again each time: an event's time (like its id) is taken before its
transaction commits, so a change committed late must not fall between two syncs.

What passes with time alone, with no change to any record, is left to the reader: an enrolment
that ends (its end is kept and compared with the day), a review date that passes (kept), and the
academic year that turns (the count of meetings is kept with its year; another year's counts none).

``rebuild`` works every line out again (``graduated rebuild-oversight``; the benchmark generator,
whose rows go in without audit events).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import batched
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.meetings.models import Meeting
from graduated.oversight.models import LineSync, RegisterLine
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment, Need, Pupil, SENStatusPeriod, StaffLink
from graduated.pupils.year_groups import academic_year_start
from graduated.support.models import Cycle, CycleStatus, Outcome, PlanAcknowledgement

SYNC_MARGIN = timedelta(minutes=10)  # far longer than any request's transaction (gunicorn: 30 s)
MARK_EVERY = timedelta(minutes=1)  # the sync's time is saved at most this often
BATCH = 500  # pupils worked out together (SQLite allows 999 parameters a statement)
CHANGES = [AuditAction.CREATE, AuditAction.CHANGE, AuditAction.DELETE]
ON_REGISTER = [SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN]
IN_PROGRESS = [CycleStatus.ASSESS, CycleStatus.PLAN, CycleStatus.DO]  # stored; "review" never is

# Pupils, or all of them (None), or a subquery of their ids.
Pupils = Iterable[int] | QuerySet[Any] | None


@dataclass(frozen=True)
class _Cycle:
    status: str
    review_date: date | None
    has_outcome: bool
    unread: bool


def _of(queryset: QuerySet[Any], pupils: Pupils, field: str = "pupil_id") -> QuerySet[Any]:
    return queryset if pupils is None else queryset.filter(**{f"{field}__in": pupils})


def lines_for(pupils: Pupils, today: date) -> list[RegisterLine]:
    """The lines of ``pupils`` as the records stand: 6 queries."""
    year = academic_year_start(today)
    statuses = dict(_of(SENStatusPeriod.objects.current().filter(status__in=ON_REGISTER), pupils)
                    .values_list("pupil_id", "status"))  # fmt: skip
    not_closed = set(
        _of(Cycle.objects.exclude(status=CycleStatus.CLOSED), pupils).values_list("pupil_id", "setting_id")
    )
    unread = StaffLink.objects.filter(pupil_id=OuterRef("pupil_id"), setting_id=OuterRef("setting_id")).filter(
        ~Exists(PlanAcknowledgement.objects.filter(cycle_id=OuterRef(OuterRef("pk")), user_id=OuterRef("user_id")))
    )
    in_progress = (
        _of(Cycle.objects.filter(status__in=IN_PROGRESS), pupils)
        .annotate(outcome=Exists(Outcome.objects.filter(cycle_id=OuterRef("pk"))), unread=Exists(unread))
        .order_by("pk")
        .values_list("pupil_id", "setting_id", "status", "review_date", "outcome", "unread")
    )
    cycles = {(pupil, setting): _Cycle(*rest) for pupil, setting, *rest in in_progress}
    wanted = set(statuses) | {pupil for pupil, _ in not_closed}
    # Where each wanted pupil is on roll: the latest end of their current enrolments at each setting.
    until: dict[tuple[int, int], date | None] = {}
    enrolments = _of(Enrolment.objects.current(today), pupils).order_by()
    for pupil, setting, ends in enrolments.values_list("pupil_id", "setting_id", "end_date"):
        if pupil not in wanted:
            continue
        key = (pupil, setting)
        if key not in until:
            until[key] = ends
        elif until[key] is not None:
            until[key] = None if ends is None else max(ends, until[key])
    needed = {pupil for pupil, _ in until}
    primary = dict(_of(Need.objects.current().filter(rank=1), pupils).values_list("pupil_id", "sen_type").order_by())
    people = {
        pk: (born, override)
        for pk, born, override in _of(Pupil.objects.all(), pupils, "pk")
        .values_list("pk", "date_of_birth", "year_group_override")
        .order_by()
        if pk in needed
    }
    # From the meetings themselves, not their summary (ParentMeetings), which is worked out after the
    # change commits: a sync in between would otherwise keep the count from before.
    from graduated.oversight.summaries import meeting_counts  # summaries rebuilds the lines

    meetings = {row.pupil_id: row.meetings for row in meeting_counts(_of(Meeting.objects.all(), pupils))  # type: ignore[arg-type]
                if row.year_starting == year}  # fmt: skip
    lines = []
    for (pupil, setting), ends in until.items():
        status = statuses.get(pupil, "")
        cycle = cycles.get((pupil, setting))
        if not status and cycle is None:
            continue  # on roll here, not on the register, with no cycle in progress here
        born, override = people[pupil]
        lines.append(
            RegisterLine(
                pupil_id=pupil, setting_id=setting, on_roll_until=ends, status=status,
                primary_need=primary.get(pupil, ""), born=f"{born:%Y-%m}", year_group_override=override,
                planning=(pupil, setting) in not_closed, meetings=meetings.get(pupil, 0), meetings_year=year,
                cycle_status=cycle.status if cycle else "", review_date=cycle.review_date if cycle else None,
                has_outcome=cycle.has_outcome if cycle else False, unread=cycle.unread if cycle else False,
            )
        )  # fmt: skip
    return lines


def refresh(pupil_ids: Iterable[int], today: date) -> int:
    """Work the lines of these pupils out again; how many lines they have now."""
    made = 0
    for batch in batched(sorted(set(pupil_ids)), BATCH):
        with transaction.atomic():
            lines = lines_for(batch, today)
            RegisterLine.objects.filter(pupil_id__in=batch).delete()
            RegisterLine.objects.bulk_create(lines, batch_size=1000)
        made += len(lines)
    return made


def rebuild(today: date, pupils: QuerySet[Any] | None = None, now: datetime | None = None) -> int:
    """Every line (or those of ``pupils``, a subquery of ids), worked out again; the sync starts now."""
    now = now or timezone.now()
    with transaction.atomic():
        lines = lines_for(pupils, today)
        _of(RegisterLine.objects.all(), pupils).delete()
        RegisterLine.objects.bulk_create(lines, batch_size=2000)
        if pupils is None or not LineSync.objects.exists():
            LineSync.objects.all().delete()
            LineSync.objects.create(synced_at=now)
    return len(lines)


def sync(today: date, now: datetime | None = None) -> None:
    """Bring the lines up to date with every change the audit trail names since the last sync.
    With nothing changed: 2 queries (3 when the sync's time is saved)."""
    now = now or timezone.now()
    mark = LineSync.objects.order_by("pk").first()
    if mark is None:  # never worked out (an upgrade without the rebuild): all of them, once
        rebuild(today, now=now)
        return
    changed = (
        # Neither a test of the pupil nor DISTINCT (both done here): with either, SQLite walks the
        # pupil index of every event instead of the last few minutes of the time index.
        AuditEvent.objects.filter(occurred_at__gte=mark.synced_at - SYNC_MARGIN, action__in=CHANGES)
        .order_by()
        .values_list("pupil_id", flat=True)
    )
    if pupil_ids := {pupil for pupil in changed if pupil is not None}:
        refresh(pupil_ids, today)
    if now - mark.synced_at >= MARK_EVERY:
        LineSync.objects.filter(pk=mark.pk).update(synced_at=now)


def lines(settings: QuerySet[Any], today: date) -> QuerySet[RegisterLine, tuple[Any, ...]]:
    """The settings' lines of pupils on roll today, as plain tuples (LINE_COLUMNS), after a sync."""
    sync(today)
    return (
        RegisterLine.objects.filter(setting_id__in=settings)
        .filter(Q(on_roll_until__isnull=True) | Q(on_roll_until__gte=today))
        .order_by()
        .values_list(*LINE_COLUMNS)
    )


LINE_COLUMNS = [
    "setting_id", "pupil_id", "born", "year_group_override", "status", "primary_need", "planning", "meetings",
    "meetings_year", "cycle_status", "review_date", "has_outcome", "unread",
]  # fmt: skip
