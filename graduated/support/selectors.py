"""Reading cycles for pages. Each function runs a fixed number of queries, whatever the history."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from graduated.access import PupilAccess, require_written_here
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
    found = Cycle.objects.filter(pupil=access.pupil, pk=cycle_id).select_related("review", "started_by", "setting")
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
    provisions = provisions_with_delivery([cycle]).select_related("provision_review")
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


@dataclass
class ProgressRow:
    """One outcome followed through the cycles it was carried into: the measure over time."""

    description: str
    area: str
    baseline: str
    target: str
    reviews: dict[int, ProgressCell] = field(default_factory=dict)  # cycle number -> what its review said
    measure_now: str = ""


def outcomes_with_reviews(pupil: Pupil) -> list[Outcome]:
    """Every outcome of every cycle, oldest first, with its review: 1 query."""
    return list(
        Outcome.objects.filter(cycle__pupil=pupil)
        .select_related("outcome_review", "cycle")
        .order_by("cycle__number", "position")
    )


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
                description=outcome.description, area=outcome.get_area_display(), baseline=outcome.baseline,
                target=outcome.target,
            ),
        )  # fmt: skip
        row.target = outcome.target
        review = getattr(outcome, "outcome_review", None)
        if review is not None:
            row.reviews[outcome.cycle.number] = ProgressCell(review.get_rating_display(), review.measure_now)
            counts = ratings.setdefault(outcome.cycle.number, {})
            counts[review.rating] = counts.get(review.rating, 0) + 1
            row.measure_now = review.measure_now or row.measure_now
    table = [{"row": row, "cells": [row.reviews.get(number) for number in numbers]} for row in rows.values()]
    return {"progress": table, "cycle_numbers": numbers, **ratings_picture(ratings)}


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
    return {
        "ratings_chart": ratings_chart(ratings),
        "rating_columns": list(OutcomeRating),
        "rating_rows": [(n, [ratings[n].get(r.value, 0) for r in OutcomeRating]) for n in sorted(ratings)],
    }


def panel_data(pupil: Pupil) -> dict[str, Any]:
    """The latest cycle with its outcomes and provision, how many cycles were reviewed, and the
    picture of progress across them: 5 queries."""
    cycles = Cycle.objects.filter(pupil=pupil)
    latest = cycles.order_by("-number").first()
    if latest is None:
        return {"cycle": None, "outcomes": [], "provisions": [], "closed_count": 0}
    latest.pupil = pupil
    return {
        "cycle": latest,
        "outcomes": list(latest.outcomes.all()),
        "provisions": list(latest.provisions.select_related("delivered_by")),
        "closed_count": cycles.filter(status=CycleStatus.CLOSED).count(),
        # Cycles are numbered 1, 2, 3... per pupil, so the latest number gives every column.
        **progress_picture(outcomes_with_reviews(pupil), list(range(1, latest.number + 1))),
    }
