"""Reading cycles for pages. Each function runs a fixed number of queries, whatever the history."""

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from graduated.access import PupilAccess, require_written_here
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Pupil
from graduated.support.charts import ratings_chart
from graduated.support.models import (
    Cycle,
    CycleStatus,
    DeliveryStatus,
    EvidencePoint,
    Outcome,
    OutcomeRating,
    Provision,
    delivery_rate,
)


def cycle_for(access: PupilAccess, cycle_id: int, *, to_change: bool = True) -> Cycle:
    """The pupil's cycle: an id belonging to another pupil is a 404, like an unknown one.

    A cycle another setting wrote (before the pupil's record was transferred here) is read-only:
    asked for ``to_change`` it is refused, so no page that edits a cycle can forget the rule."""
    found = Cycle.objects.filter(pupil=access.pupil, pk=cycle_id)
    found = found.select_related("review", "started_by", "setting", "plan_type", "tier")
    cycle = found.first()
    if cycle is None:
        raise Http404("No such cycle.")
    if to_change:
        require_written_here(access, f"Cycle {cycle.number}", written_by=cycle.setting)
    cycle.pupil = access.pupil
    return cycle


def provisions_with_delivery(cycles: QuerySet[Cycle] | list[Cycle]) -> QuerySet[Provision]:
    return (
        Provision.objects.filter(cycle__in=cycles)
        .select_related("delivered_by", "catalogue_item")
        .annotate(
            sessions_recorded=Count("deliveries"),
            sessions_delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            last_recorded_on=Max("deliveries__on"),
        )
        .order_by("id")
    )


def add_rates(provisions: list[Provision]) -> list[Provision]:
    for provision in provisions:
        provision.delivery_rate = delivery_rate(provision.sessions_delivered, provision.sessions_recorded)  # type: ignore[attr-defined]
    return provisions


def cycle_page(cycle: Cycle) -> dict[str, Any]:
    # The outcomes each provision works towards: the plan-quality checks read them (support/quality.py).
    provisions = provisions_with_delivery([cycle]).select_related("provision_review").prefetch_related("outcomes")
    return {
        "evidence": list(EvidencePoint.objects.filter(cycle=cycle)),
        "outcomes": list(cycle.outcomes.select_related("outcome_review", "carried_from")),
        "provisions": add_rates(list(provisions)),
        "acknowledgements": list(cycle.acknowledgements.select_related("user")),
    }


def recent_deliveries(provision: Provision, limit: int = 10) -> list[Any]:
    return list(provision.deliveries.select_related("recorded_by")[:limit])


@dataclass
class ProgressCell:
    """What one cycle's review said of an outcome: its rating and the measure taken then."""

    rating: str
    measure: str


SHORT_DESCRIPTION = 90  # characters of an outcome in the progress table


@dataclass
class ProgressRow:
    """One outcome followed through the cycles it was carried into: the measure over time."""

    description: str
    area: str
    baseline: str
    target: str
    reviews: dict[int, ProgressCell] = field(default_factory=dict)  # cycle number -> what its review said
    measure_now: str = ""

    @property
    def short_description(self) -> str:
        """What ``|truncatechars:90`` shows, without its walk over each character of a short text."""
        text = unicodedata.normalize("NFC", self.description)
        return text if len(text) <= SHORT_DESCRIPTION else Truncator(text).chars(SHORT_DESCRIPTION)


def outcomes_with_reviews(pupil: Pupil) -> list[Outcome]:
    """Every outcome of every cycle, oldest first, with its review and its cycle's number
    (``cycle_number``: the cycles themselves are not built, a pupil may have dozens): 1 query."""
    return list(
        Outcome.objects.filter(cycle__pupil=pupil)
        .select_related("outcome_review")
        .annotate(cycle_number=F("cycle__number"))
        .order_by("cycle__number", "position", "id")
    )


# What get_area_display() and get_rating_display() answer, without rebuilding the choices each call
# (Django's does, and the progress picture asks for every outcome of every cycle).
_AREA_LABELS: dict[str, str] = dict(BroadArea.choices)
_RATING_LABELS: dict[str, str] = dict(OutcomeRating.choices)


def progress_picture(outcomes: list[Outcome], numbers: list[int]) -> dict[str, Any]:
    """Outcome threads (an outcome and the outcomes carried on from it) with the baseline, each
    cycle's rating and measure, the latest measure and the target; plus the ratings chart."""
    rows: dict[int, ProgressRow] = {}  # keyed by the id of the outcome a thread started with
    ratings: dict[int, dict[str, int]] = {}  # cycle number -> rating -> outcomes
    thread_of: dict[int, int] = {}
    for outcome in outcomes:
        root = thread_of.get(outcome.carried_from_id or 0, outcome.pk)
        thread_of[outcome.pk] = root
        row = rows.setdefault(
            root,
            ProgressRow(
                description=outcome.description, area=_AREA_LABELS.get(outcome.area, outcome.area),
                baseline=outcome.baseline,
                target=outcome.target,
            ),
        )  # fmt: skip
        row.target = outcome.target
        review = getattr(outcome, "outcome_review", None)
        if review is not None:
            number = outcome.cycle_number  # type: ignore[attr-defined]
            row.reviews[number] = ProgressCell(_RATING_LABELS.get(review.rating, review.rating), review.measure_now)
            counts = ratings.setdefault(number, {})
            counts[review.rating] = counts.get(review.rating, 0) + 1
            row.measure_now = review.measure_now or row.measure_now
    table = []
    for row in rows.values():
        cells = [row.reviews.get(number) for number in numbers]
        table.append({"row": row, "cells": cells, "cells_html": _cells_html(cells)})
    return {"progress": table, "cycle_numbers": numbers, **ratings_picture(ratings)}


_NOT_REVIEWED = (
    '<td class="govuk-table__cell"><span class="govuk-visually-hidden">Not reviewed in this cycle</span>'
    '<span aria-hidden="true">–</span></td>'
)


def _cells_html(cells: list[ProgressCell | None]) -> SafeString:
    """A progress row's cells, one per cycle (support/_progress_table.html). Drawn here: a row has
    a cell for every cycle, and as template nodes they were most of the pupil page's drawing time."""
    parts = []
    for cell in cells:
        if cell is None:
            parts.append(_NOT_REVIEWED)
        elif cell.measure:
            parts.append(
                f'<td class="govuk-table__cell">{escape(cell.rating)}<br>'
                f'<span class="govuk-body-s">{escape(cell.measure)}</span></td>'
            )
        else:
            parts.append(f'<td class="govuk-table__cell">{escape(cell.rating)}</td>')
    return mark_safe("".join(parts))  # every text above is escaped


def cycles_overview(pupil: Pupil) -> dict[str, Any]:
    cycles = list(
        Cycle.objects.filter(pupil=pupil)
        .select_related("review")
        .annotate(outcome_count=Count("outcomes", distinct=True), provision_count=Count("provisions", distinct=True))
        .order_by("number")
    )
    return {
        "cycles": cycles,
        **progress_picture(outcomes_with_reviews(pupil), [cycle.number for cycle in cycles]),
        "open_cycle": next((cycle for cycle in cycles if cycle.status != CycleStatus.CLOSED), None),
    }


def ratings_picture(ratings: dict[int, dict[str, int]]) -> dict[str, Any]:
    rows = [(n, [ratings[n].get(r.value, 0) for r in OutcomeRating]) for n in sorted(ratings)]
    return {
        "ratings_chart": ratings_chart(ratings),
        "rating_columns": list(OutcomeRating),
        "rating_rows": rows,
        "rating_rows_html": _rating_rows_html(rows),
    }


def _rating_rows_html(rows: list[tuple[int, list[int]]]) -> SafeString:
    """The rows of the table beside the ratings chart (support/_ratings_chart.html): numbers only."""
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    return mark_safe(  # numbers only
        "".join(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Cycle {int(number)}</th>'
            + "".join(cell.format(int(count)) for count in counts)
            + "</tr>"
            for number, counts in rows
        )
    )


def panel_data(pupil: Pupil) -> dict[str, Any]:
    """The latest cycle with its outcomes and provision, how many cycles were reviewed, and the
    picture of progress across them: 3 queries (the latest cycle with the number closed, every
    outcome with its review, the latest cycle's provision)."""
    closed = (
        Cycle.objects.filter(pupil=OuterRef("pupil"), status=CycleStatus.CLOSED)
        .order_by()
        .values("pupil")
        .annotate(count=Count("pk"))
        .values("count")
    )
    latest = (
        Cycle.objects.filter(pupil=pupil)
        .annotate(closed_count=Coalesce(Subquery(closed), 0))
        .order_by("-number")
        .first()
    )
    if latest is None:
        return {"cycle": None, "outcomes": [], "provisions": [], "closed_count": 0}
    latest.pupil = pupil
    outcomes = outcomes_with_reviews(pupil)
    # The latest cycle's, in their order (position, then id, as Outcome's Meta orders them).
    latest_outcomes = [outcome for outcome in outcomes if outcome.cycle_id == latest.pk]
    for outcome in latest_outcomes:
        outcome.cycle = latest
    return {
        "cycle": latest,
        "outcomes": latest_outcomes,
        "provisions": list(latest.provisions.select_related("delivered_by")),
        "closed_count": latest.closed_count,
        # Cycles are numbered 1, 2, 3... per pupil, so the latest number gives every column.
        **progress_picture(outcomes, list(range(1, latest.number + 1))),
    }
