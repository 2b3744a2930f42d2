"""Each group's impact figures worked out ahead (``GroupImpact``: the tally of its pupils' results,
``impact.Tally``), so that the LA's impact page reads one row a group, whatever the registers,
delivery records, scores, costs and reviews behind it (docs/design.md, "Performance budgets":
aggregates over millions of rows are summarised ahead and kept correct as records change).

How they stay correct:

* ``mark_stale`` (and ``mark_settings_stale``, ``mark_las_stale``), called by the receivers in
  ``impact_receivers.py`` and by the services whose saves send no signal, marks the groups a change
  touches in the change's own transaction: their row is stale the moment the change commits, never
  after. Each mark adds 1 to the row's ``generation``.
* After the commit the marked groups are worked out again in the background (``impact_tasks``).
  ``refresh`` reads the rows' generations first, then the groups (``load_runs``, 10 queries for up
  to ``CHUNK`` groups), and writes each row only if its generation is still the one it read: a change
  that commits while the figures are being worked out leaves the row stale for its own refresh.
* A page that meets a stale or missing row works that group out itself (``refresh`` again), so a
  figure is never older than the records; it is only slower now and then.
* ``rebuild`` works out every group (``graduated rebuild-impact``), after a bulk load that sent no
  signals (the benchmark generator) or an upgrade that added this table.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import batched
from typing import Any, cast

from django.db import DatabaseError, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from graduated.provision.impact import Tally
from graduated.provision.models import GroupImpact, InterventionGroup
from graduated.support.models import Provision

logger = logging.getLogger(__name__)

CHUNK = 400  # groups worked out together: load_runs reads them in 10 queries
WRITE_BATCH = 100  # rows written in one UPDATE

COUNTS = ("pupils", "no_entry", "no_exit", "due", "attended", "cost_unknown", "reviewed", "achieved", "unreviewed")
FIELDS = (*COUNTS, "scored", "cost_total", "cost_missing")  # a tally, as a row holds it


# Marking ---------------------------------------------------------------------------------------


def mark_stale(group_ids: Iterable[int | None]) -> None:
    """The groups' figures no longer hold: mark them stale now (in the caller's transaction) and
    work them out again once it commits."""
    ids = {pk for pk in group_ids if pk}
    if not ids:
        return
    GroupImpact.objects.filter(group_id__in=ids).update(stale=True, generation=F("generation") + 1)
    refresh_after_commit(ids)


def _mark_groups(groups: QuerySet[InterventionGroup]) -> None:
    mark_stale(groups.values_list("pk", flat=True))


def mark_settings_stale(setting_ids: Iterable[int | None]) -> None:
    """Every group of the settings (their staff costs changed)."""
    ids = {pk for pk in setting_ids if pk}
    if ids:
        _mark_groups(InterventionGroup.objects.filter(setting_id__in=ids))


def mark_las_stale(local_authority_ids: Iterable[int | None]) -> None:
    """Every group of the LAs' settings (their term dates changed the teaching weeks costed)."""
    ids = {pk for pk in local_authority_ids if pk}
    if ids:
        _mark_groups(InterventionGroup.objects.filter(setting__local_authority_id__in=ids))


def mark_item_stale(item_id: int) -> None:
    """The groups that run a catalogue item, and those with a place that names it (its resources
    cost and dosage price the places)."""
    places = Provision.objects.filter(catalogue_item_id=item_id, group__isnull=False).values_list("group_id", flat=True)
    _mark_groups(InterventionGroup.objects.filter(Q(catalogue_item_id=item_id) | Q(pk__in=places)))


class _Pending:
    """The groups marked in one transaction, queued once when it commits."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.queued = False


class _Refresh:
    """An after-commit callback: queues its transaction's groups (once, whichever of the
    transaction's callbacks runs first)."""

    def __init__(self, pending: _Pending) -> None:
        self.pending = pending

    def __call__(self) -> None:
        from graduated.provision.impact_tasks import refresh_impact

        if self.pending.queued or not self.pending.ids:
            return
        self.pending.queued = True
        refresh_impact.enqueue(sorted(self.pending.ids))


def refresh_after_commit(ids: Iterable[int]) -> None:
    """Queue the groups' refresh once the current transaction commits: one task per transaction,
    however many changes it makes (a register marks its group once for each pupil's record). A
    callback is added only for groups not yet pending, so that a savepoint rolled back takes its
    own with it while an earlier one still queues the rest (over-refreshing is harmless)."""
    wanted = set(ids)
    connection = transaction.get_connection()
    pending = None
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in reversed(connection.run_on_commit):
            if isinstance(callback, _Refresh) and not callback.pending.queued:
                pending = callback.pending
                break
    if pending is not None and wanted <= pending.ids:
        return
    pending = pending or _Pending()
    pending.ids |= wanted
    # robust: a failure to queue is logged and never undoes the change (a page works it out instead).
    transaction.on_commit(_Refresh(pending), robust=True)


# Working them out ------------------------------------------------------------------------------


def compute(group_ids: Sequence[int]) -> dict[int, Tally]:
    """The groups' tallies from their records: 10 queries (``load_runs``)."""
    from graduated.provision.impact_selectors import load_runs

    runs = load_runs(InterventionGroup.objects.filter(pk__in=group_ids))
    return {run.group.pk: run.tally for run in runs}


def refresh(group_ids: Iterable[int], seen: Mapping[int, int | None] | None = None) -> dict[int, Tally]:
    """Work the groups out and save their rows; return their tallies. ``seen``: each group's
    generation as the caller read it before reading anything else (None: no row yet), which saves
    reading it again. Groups that are gone are left out. A save that fails (a database busy
    with another writer) is logged: the figures returned are right, and the row stays stale."""
    return refreshed(group_ids, seen)[0]


def refreshed(
    group_ids: Iterable[int], seen: Mapping[int, int | None] | None = None
) -> tuple[dict[int, Tally], datetime]:
    """``refresh``, and the ``computed_at`` of the rows it saved (a row that has it holds exactly
    the tally returned: a row changed meanwhile was left as it was)."""
    ids = sorted(set(group_ids))
    found: dict[int, Tally] = {}
    now = timezone.now()
    for chunk in batched(ids, CHUNK):
        if seen is None:
            known = dict(GroupImpact.objects.filter(group_id__in=chunk).values_list("group_id", "generation"))
            generations: Mapping[int, int | None] = {pk: known.get(pk) for pk in chunk}
        else:
            generations = seen
        tallies = compute(chunk)
        try:
            _save(tallies, generations, now)
        except DatabaseError:
            logger.warning("Impact figures of %d groups not saved; they stay stale", len(tallies), exc_info=True)
        found.update(tallies)
    return found, now


def values_of(t: Tally) -> dict[str, Any]:
    return {
        **{name: getattr(t, name) for name in COUNTS},
        "scored": [list(row) for row in t.scored],
        "cost_total": t.cost_total,
        "cost_missing": sorted(t.cost_missing),
    }


@transaction.atomic
def _save(tallies: Mapping[int, Tally], generations: Mapping[int, int | None], now: datetime) -> None:
    """New rows for groups that had none (a row made meanwhile wins: it was marked stale by a
    change); the others only where the generation is still the one read."""
    GroupImpact.objects.bulk_create(
        [
            GroupImpact(group_id=pk, stale=False, computed_at=now, **values_of(t))
            for pk, t in tallies.items()
            if generations.get(pk) is None
        ],
        ignore_conflicts=True,
    )
    known = [pk for pk in tallies if generations.get(pk) is not None]
    for batch in batched(known, WRITE_BATCH):
        rows = [GroupImpact(group_id=pk, stale=False, computed_at=now, **values_of(tallies[pk])) for pk in batch]
        still = Case(*(When(group_id=pk, then=Value(generations[pk])) for pk in batch))
        GroupImpact.objects.filter(generation=still).bulk_update(rows, ["stale", "computed_at", *FIELDS])


def rebuild(group_ids: Iterable[int] | None = None) -> int:
    """Work out every group (or those given) afresh; returns how many."""
    ids = list(group_ids) if group_ids is not None else list(InterventionGroup.objects.values_list("pk", flat=True))
    return len(refresh(ids))


# Reading them ----------------------------------------------------------------------------------


def tally_from(values: Sequence[Any]) -> Tally:
    """A tally from a row's ``FIELDS``, in that order (as ``values_list`` gives them)."""
    counts = dict(zip(COUNTS, values[: len(COUNTS)], strict=True))
    scored, cost_total, cost_missing = values[len(COUNTS) :]
    return Tally(
        **counts,
        scored=cast(tuple[tuple[float, float, int | None], ...], scored),  # lists from JSON: read, never changed
        cost_total=cost_total if isinstance(cost_total, Decimal) else Decimal(cost_total),
        cost_missing=frozenset(cost_missing),
    )
