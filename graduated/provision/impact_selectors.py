"""Reads for the impact pages. ``load_runs`` reads any number of groups with their pupils in a fixed
number of queries (10), then hands plain numbers to ``impact.py`` for the statistics: the setting's
and the group's pages read them so. The LA's page reads the figures worked out ahead instead
(``impact_la.py``)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from graduated.organisations.models import LocalAuthority, Setting
from graduated.provision import impact_summaries as summaries
from graduated.provision.costs import Roster, cost_line, group_sizes, hourly_costs, provision_dates
from graduated.provision.impact import (
    Impact,
    Measure,
    PupilResult,
    Scores,
    Season,
    Tally,
    Term,
    academic_year_dates,
    attendance,
    combined,
    figures,
    tally,
    term_of,
)
from graduated.provision.models import (
    CatalogueItem,
    GroupImpact,
    GroupScore,
    GroupSession,
    InterventionGroup,
    SessionStatus,
)
from graduated.provision.terms import NO_TERM_DATES, TermCalendar, term_calendars
from graduated.support.models import DeliveryRecord, DeliveryStatus, Provision

NO_MEASURE = "No entry and exit measure is set for this intervention"
MIXED_MEASURES = "Not pooled: these runs measure progress in different ways"


@dataclass(frozen=True)
class PupilRow:
    pupil_id: int
    name: str
    result: PupilResult


@dataclass(frozen=True)
class Run:
    """One group with its pupils' results and its figures."""

    group: InterventionGroup
    pupils: list[PupilRow]
    impact: Impact
    tally: Tally  # what ``impact`` was worked out from, for pooling

    @property
    def term(self) -> Term:
        return term_of(self.group.starts_on)

    @property
    def measure(self) -> Measure | None:
        return measure_of(self.group.catalogue_item)


def measure_of(item: CatalogueItem) -> Measure | None:
    return measure_from(item.measure_name, item.measure_unit, item.measure_kind, item.higher_is_better)


def measure_from(name: str, unit: str, kind: str, higher_is_better: bool) -> Measure | None:
    """An item's measure from its fields (as ``values_list`` reads them); None when it has none."""
    return Measure(name, unit, kind, higher_is_better) if kind else None


def pool_measure(measures: Iterable[Measure | None]) -> tuple[Measure | None, str]:
    """The measure runs pooled share, or None with the reason there are no score figures."""
    found = set(measures)
    measure = found.pop() if len(found) == 1 else None
    note = NO_MEASURE if not found and measure is None else MIXED_MEASURES if measure is None else ""
    return measure, note


def pooled(runs: Sequence[Run]) -> Impact:
    """The figures of several runs' pupils taken together; scores only when every run shares a measure."""
    measure, note = pool_measure(run.measure for run in runs)
    return figures(combined([run.tally for run in runs]), measure, note)


# Which groups -----------------------------------------------------------------------------------


def group_for_impact(group_id: int) -> InterventionGroup | None:
    return InterventionGroup.objects.select_related("catalogue_item", "setting").filter(pk=group_id).first()


def setting_groups(setting: Setting) -> QuerySet[InterventionGroup]:
    return InterventionGroup.objects.filter(setting=setting)


def la_shared_items(la: LocalAuthority) -> list[CatalogueItem]:
    return list(CatalogueItem.objects.filter(local_authority=la).order_by("name", "id"))


def la_groups(la: LocalAuthority, shared: Iterable[CatalogueItem]) -> QuerySet[InterventionGroup]:
    """Runs in the LA's settings of its shared items: the item itself, or a setting's adoption of it."""
    ids = [item.pk for item in shared]
    return InterventionGroup.objects.filter(
        Q(catalogue_item_id__in=ids) | Q(catalogue_item__adopted_from_id__in=ids), setting__local_authority=la
    )


def years_run(groups: QuerySet[InterventionGroup]) -> list[int]:
    """The academic years (by their starting calendar year) in which the groups started: 1 query."""
    days = groups.order_by().values_list("starts_on", flat=True).distinct()  # order_by(): the days alone
    return sorted({term_of(day).year for day in days}, reverse=True)


def in_period(groups: QuerySet[InterventionGroup], year: int | None, season: str) -> QuerySet[InterventionGroup]:
    if year is not None:
        first, last = academic_year_dates(year)
        groups = groups.filter(starts_on__gte=first, starts_on__lte=last)
    if season:
        groups = groups.filter(starts_on__month__in=Season(season).months)
    return groups


# The figures ------------------------------------------------------------------------------------


def summarised_runs(groups: QuerySet[InterventionGroup]) -> list[Run]:
    """The groups with their figures from their tallies worked out ahead (``impact_summaries``),
    no pupils: 1 query, and ``refresh``'s for any group whose tally is stale or missing (worked
    out now and saved, so a figure is never older than the records). The figures are those
    ``load_runs`` gives: a tally is that of ``load_runs``."""
    group_list = list(groups.select_related("catalogue_item", "impact").order_by("starts_on", "name", "id"))
    tallies: dict[int, Tally] = {}
    stale: dict[int, int | None] = {}
    for group in group_list:
        row: GroupImpact | None = getattr(group, "impact", None)
        if row is None or row.stale:
            stale[group.pk] = row.generation if row is not None else None
        else:
            tallies[group.pk] = summaries.tally_from([getattr(row, name) for name in summaries.FIELDS])
    if stale:
        tallies.update(summaries.refresh(stale, seen=stale))
    runs = []
    for group in group_list:
        if group.pk not in tallies:
            continue  # gone since it was read
        counted = tallies[group.pk]
        note = "" if group.catalogue_item.measure_kind else NO_MEASURE
        runs.append(Run(group=group, pupils=[], impact=figures(counted, measure_of(group.catalogue_item), note),
                        tally=counted))  # fmt: skip
    return runs


@dataclass
class _Read:
    """What the queries of ``load_runs`` found, keyed for the per-pupil sums."""

    sessions: dict[int, list[tuple[date, bool]]]  # group -> (day, held) of each register
    delivered: dict[int, set[date]]  # place -> days marked delivered
    scores: dict[tuple[int, int], GroupScore]  # (group, pupil) -> scores
    outcomes: dict[int, dict[int, str]]  # place -> outcome -> rating ("" while unreviewed)
    costs: dict[tuple[int, str], Decimal]
    sizes: dict[int, Roster]
    terms: dict[int, TermCalendar]  # LA -> its term dates, by which the cost counts teaching weeks


def load_runs(groups: QuerySet[InterventionGroup]) -> list[Run]:
    """Every group with its pupils' attendance, scores, outcomes and costs: 10 queries, or 2 when
    there are no groups. A pupil counts in a group when they have a place in it."""
    group_list = list(
        groups.select_related("catalogue_item", "setting").prefetch_related("slots").order_by("starts_on", "name", "id")
    )
    if not group_list:
        return []
    by_id = {group.pk: group for group in group_list}
    ids = list(by_id)
    read = _Read(defaultdict(list), defaultdict(set), {}, defaultdict(dict), {}, {}, {})
    for group_id, on, status in GroupSession.objects.filter(group_id__in=ids).values_list("group_id", "on", "status"):
        read.sessions[group_id].append((on, status == SessionStatus.HELD))
    places = list(
        Provision.objects.filter(group_id__in=ids)
        .select_related("cycle__pupil", "cycle__review", "catalogue_item")
        .order_by("id")
    )
    records = DeliveryRecord.objects.filter(provision__group_id__in=ids, status=DeliveryStatus.DELIVERED)
    for provision_id, on in records.values_list("provision_id", "on"):
        read.delivered[provision_id].add(on)
    read.scores = {(s.group_id, s.pupil_id): s for s in GroupScore.objects.filter(group_id__in=ids)}
    links = Provision.outcomes.through.objects.filter(provision__group_id__in=ids)
    rated = links.values_list("provision_id", "outcome_id", "outcome__outcome_review__rating")
    for place_id, outcome_id, rating in rated:
        read.outcomes[place_id][outcome_id] = rating or ""
    read.costs = hourly_costs(group.setting_id for group in group_list)
    read.sizes = group_sizes(ids)
    read.terms = term_calendars(group.setting.local_authority_id for group in group_list)

    places_of: dict[int, dict[int, list[Provision]]] = defaultdict(lambda: defaultdict(list))
    for place in places:
        assert place.group_id is not None
        place.group = by_id[place.group_id]  # the groups read above, slots and all: no query per place
        places_of[place.group_id][place.cycle.pupil_id].append(place)
    runs = []
    for group in group_list:
        rows = [
            PupilRow(pupil_id, pupil_places[0].cycle.pupil.display_name, _pupil_result(group, pupil_places, read))
            for pupil_id, pupil_places in places_of[group.pk].items()
        ]
        rows.sort(key=lambda row: (row.name.lower(), row.pupil_id))
        note = "" if group.catalogue_item.measure_kind else NO_MEASURE
        counted = tally([row.result for row in rows])
        runs.append(Run(group=group, pupils=rows, impact=figures(counted, measure_of(group.catalogue_item), note),
                        tally=counted))  # fmt: skip
    return runs


def _pupil_result(group: InterventionGroup, places: list[Provision], read: _Read) -> PupilResult:
    """One pupil's figures in one group, over all their places in it (a place carried on into the
    next cycle is a second place)."""
    spans = []
    for place in places:
        start, end = provision_dates(place)
        spans.append((start, end or group.ends_on))
    delivered = set().union(*(read.delivered[place.pk] for place in places))
    terms = read.terms.get(group.setting.local_authority_id, NO_TERM_DATES)
    lines = [
        cost_line(p, period=(group.starts_on, group.ends_on), costs=read.costs, sizes=read.sizes, terms=terms)
        for p in places
    ]
    missing = tuple(sorted({reason for line in lines for reason in line.missing}))
    ratings: dict[int, str] = {}
    for place in places:
        ratings.update(read.outcomes[place.pk])
    return PupilResult(
        scores=_scores(read.scores.get((group.pk, places[0].cycle.pupil_id))),
        attendance=attendance(read.sessions[group.pk], spans, delivered),
        cost=None if missing else sum((line.total for line in lines), Decimal(0)),
        cost_missing=missing,
        ratings=tuple(rating for rating in ratings.values() if rating),
        unreviewed_outcomes=sum(1 for rating in ratings.values() if not rating),
    )


def _scores(score: GroupScore | None) -> Scores:
    if score is None:
        return Scores()
    return Scores(
        entry=float(score.entry_score) if score.entry_score is not None else None,
        exit=float(score.exit_score) if score.exit_score is not None else None,
        entry_on=score.entry_on,
        exit_on=score.exit_on,
    )
