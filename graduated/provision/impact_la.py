"""The LA's impact page, worked out ahead (docs/design.md, "Performance budgets": LA pages within
300 ms at an LA's size, aggregates summarised ahead and kept correct as records change).

At an LA's size the page pools thousands of groups (each shared intervention's runs by term and
setting: a line each, thousands of lines) from millions of records. It is worked out in three
layers, each checked against the one below, so that a figure is never older than the records:

1. each group's tally of its pupils' results (``GroupImpact``, ``impact_summaries.py``), marked
   stale by any change to what it counts and worked out again after the change commits;
2. each shared intervention's term (``ImpactBlock``): its lines (one setting's runs in the term)
   worked out from the tallies and rendered, the bars of its chart drawn, and the tally of all its
   runs in the term. Each block carries the stamp of what it was worked out from (``_stamp``): its
   groups' tallies as saved, their measures, the settings' names and how rows are written;
3. the page: it reads the groups (1 query, no figures), works out each block's stamp from them as
   they are now, reads the blocks (1 query) and uses every block whose stamp agrees. Any other it
   works out from the groups' tallies (1 query more) and saves; a group whose tally is stale it
   works out first (``impact_summaries.refresh``). "All settings together" adds up the tallies of
   the terms chosen, which gives exactly the figures of all the runs' pupils pooled.

After a change, the background refresh of the groups works their blocks out too (``refresh_blocks``),
so the page seldom has any to work out.
"""

import hashlib
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import batched
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.template.loader import get_template
from django.utils import translation

from graduated.organisations.models import LocalAuthority
from graduated.provision import impact_summaries as summaries
from graduated.provision.impact import CAUTION, SEASON_ORDER, Measure, Season, Tally, Term, combined, figures, term_of
from graduated.provision.impact_charts import ChartBlock, chart_block
from graduated.provision.impact_selectors import la_groups, la_shared_items, measure_from, pool_measure
from graduated.provision.impact_tables import Line, Rendered, Section, section
from graduated.provision.models import CatalogueItem, GroupImpact, ImpactBlock, InterventionGroup

logger = logging.getLogger(__name__)

# Change it when a row's markup or words change (``_impact_row.html``, impact.py's texts, the
# chart's bars): every block saved is then worked out again when next shown.
RENDER = "1"
ROW_TEMPLATE = "provision/_impact_row.html"
READ_BATCH = 900  # ids in one IN (...)
# Stale groups a page works out itself (a second or so at most). More are left to the background
# refresh, which a change to an LA's term dates (every group of the LA) sets off: until it is done
# the page says so, rather than answer late or time out while it works them all out.
IN_PAGE = 200

_RUN = (
    "pk", "starts_on", "setting_id", "setting__name", "catalogue_item_id", "catalogue_item__adopted_from_id",
    "catalogue_item__measure_name", "catalogue_item__measure_unit", "catalogue_item__measure_kind",
    "catalogue_item__higher_is_better", "impact__stale", "impact__generation", "saved_at",
)  # fmt: skip
_BLOCK = ("shared_item_id", "year", "season", "stamp", "lines", "rows", "labels", "bars", "description", "low", "high",
          "measures", "tally")  # fmt: skip


def _saved_at(path: str) -> Cast:
    """A tally's computed_at as the database writes it: compared, never read as a time."""
    return Cast(path, output_field=CharField())


class StillWorkingOut(Exception):
    """Too many groups' figures are being worked out again for the page to wait for them all."""

    def __init__(self, remaining: int) -> None:
        super().__init__(f"{remaining} groups still to work out")
        self.remaining = remaining


@dataclass(frozen=True, slots=True)  # thousands a page
class LaRun:
    """One group as the LA's page pools it (no figures: its tally is read only when needed)."""

    group_id: int
    term: Term  # the term it started in
    setting_id: int
    setting_name: str
    shared_id: int  # the shared item it runs, itself or as a setting's adoption
    measure: Measure | None
    saved_at: str | None  # its tally's computed_at (``_saved_at``); None: stale or missing when read
    # Names its tally as saved (computed_at is set whenever one is) and its measure, for the stamp
    # of its block; None with saved_at.
    tag: str | None


Key = tuple[int, int, int]  # ImpactBlock's (shared item, year, season)


class _Term:
    """One shared intervention's runs in one term: its lines (one setting's runs each, in the order
    of the settings' names), as a block of the page."""

    def __init__(self, item_id: int, term: Term) -> None:
        self.key: Key = (item_id, term.year, term.season_index)
        self.term = term
        self.runs: list[LaRun] = []  # in load_runs' order: by start, name, id
        self.pools: dict[tuple[str, int], list[LaRun]] = {}

    def add(self, run: LaRun) -> None:
        self.runs.append(run)
        key = (run.setting_name.lower(), run.setting_id)
        pool = self.pools.get(key)
        if pool is None:
            self.pools[key] = pool = []
        pool.append(run)

    @property
    def lines(self) -> list[list[LaRun]]:
        return [self.pools[key] for key in sorted(self.pools)]

    @property
    def stamp(self) -> str | None:
        """What the block is worked out from, in 32 characters; None when some of it was stale."""
        parts = [self.term.label]
        for pool in self.lines:
            parts.append(pool[0].setting_name)
            for run in pool:
                if run.tag is None:
                    return None
                parts.append(run.tag)
        return hashlib.blake2b("\x1f".join((RENDER, *parts)).encode(), digest_size=16).hexdigest()


def _terms(item: CatalogueItem, runs: list[LaRun]) -> list[_Term]:
    """The shared intervention's terms, in time order."""
    terms: dict[tuple[int, int], _Term] = {}
    for run in runs:
        key = (run.term.year, run.term.season_index)
        term = terms.get(key)
        if term is None:
            terms[key] = term = _Term(item.pk, run.term)
        term.add(run)
    return [terms[key] for key in sorted(terms)]


# Reading ---------------------------------------------------------------------------------------


def _runs(groups: QuerySet[InterventionGroup], shared_ids: set[int]) -> tuple[list[LaRun], dict[int, Tally]]:
    """The groups, in load_runs' order (1 query); a group whose tally is stale or missing is worked
    out now (its tally returned, and saved)."""
    rows = list(
        groups.annotate(saved_at=_saved_at("impact__computed_at"))
        .order_by("starts_on", "name", "id")
        .values_list(*_RUN)
    )
    # Generations are read here, before refresh reads the records: a change committed in between
    # leaves the row stale rather than overwritten.
    stale = {row[0]: row[11] for row in rows if row[10] is not False}
    if len(stale) > IN_PAGE:
        # Some of them now (saved: repeated views finish the job even with no worker running).
        summaries.refresh(sorted(stale)[:IN_PAGE], seen=stale)
        raise StillWorkingOut(len(stale) - IN_PAGE)
    fresh: dict[int, Tally] = {}
    saved: dict[int, str] = {}
    if stale:
        fresh, written_at = summaries.refreshed(stale, seen=stale)
        saved = _written(fresh, written_at)
    terms: dict[date, Term] = {}
    measures: dict[tuple[Any, ...], tuple[Measure | None, str]] = {}
    runs = []
    for pk, starts_on, setting_id, setting_name, item_id, adopted_from_id, *fields, _stale, _gen, stored_at in rows:
        if pk in stale and pk not in fresh:
            continue  # gone since it was read
        at: str | None = saved.get(pk) if pk in stale else stored_at
        term = terms.get(starts_on) or terms.setdefault(starts_on, term_of(starts_on))
        key = tuple(fields)
        measure, measure_tag = measures.get(key) or measures.setdefault(key, (measure_from(*fields), repr(key)))
        tag = f"{pk}@{at}{measure_tag}" if at is not None else None
        shared_id = item_id if item_id in shared_ids else adopted_from_id or 0
        runs.append(LaRun(pk, term, setting_id, setting_name, shared_id, measure, at, tag))
    return runs, fresh


def _written(tallies: Mapping[int, Tally], at: datetime) -> dict[int, str]:
    """Which of the tallies just worked out were saved as they are (their rows have ``at``), with
    their saved_at: only their blocks may be saved with them. 1 query a 900."""
    found: dict[int, str] = {}
    for batch in batched(sorted(tallies), READ_BATCH):
        rows = GroupImpact.objects.filter(group_id__in=batch, stale=False, computed_at=at)
        found.update(rows.annotate(saved_at=_saved_at("computed_at")).values_list("group_id", "saved_at"))
    return found


def _tallies(runs: Iterable[LaRun]) -> tuple[dict[int, Tally], set[int]]:
    """The runs' tallies as saved (1 query a 900), and the groups worked out again since the runs
    were read (their blocks are right but not saved: the next page saves them)."""
    at = {run.group_id: run.saved_at for run in runs}
    found: dict[int, Tally] = {}
    moved: set[int] = set()
    for batch in batched(sorted(at), READ_BATCH):
        rows = GroupImpact.objects.filter(group_id__in=batch).annotate(saved_at=_saved_at("computed_at"))
        for group_id, saved_at, *values in rows.values_list("group_id", "saved_at", *summaries.FIELDS):
            found[group_id] = summaries.tally_from(values)
            if saved_at != at[group_id]:
                moved.add(group_id)
    if gone := set(at) - set(found):  # its row went since the groups were read (the group with it?)
        found.update(summaries.refresh(gone))
        moved |= gone
    return found, moved


def _saved_blocks(la_id: int, period: tuple[int | None, str], item_ids: Sequence[int] | None) -> dict[Key, tuple]:
    """The LA's blocks saved for the terms chosen (of ``item_ids`` only, if given): 1 query."""
    year, season = period
    blocks = ImpactBlock.objects.filter(local_authority_id=la_id)
    if item_ids is not None:
        blocks = blocks.filter(shared_item_id__in=item_ids)
    if year is not None:
        blocks = blocks.filter(year=year)
    if season:
        blocks = blocks.filter(season=SEASON_ORDER.index(Season(season)))
    return {row[:3]: row for row in blocks.values_list(*_BLOCK)}


# Working blocks out ----------------------------------------------------------------------------


def _row(line: Line) -> str:
    """The line's row with its ratio gain cell marked: rendered with the cell and without, in the
    site's language whoever is looking (the row has no translated words today)."""
    template = get_template(ROW_TEMPLATE)
    with translation.override(settings.LANGUAGE_CODE):
        without, with_ratio = (
            template.render({"line": line, "section": {"show_ratio_gain": show}, "caution": CAUTION})
            for show in (False, True)
        )
    # The cell is inserted into the row, so the row without it is a common head and tail of both.
    n = len(os.path.commonprefix([without, with_ratio]))  # noqa: RUF071 - strings, compared as such
    head, tail = without[:n], without[n:]
    ratio = with_ratio[n : len(with_ratio) - len(tail)]
    assert head + ratio + tail == with_ratio, "the ratio gain cell must be the only difference"
    return f"{head}<!--ratio-->{ratio}<!--/ratio-->{tail}"


def _measure_json(measure: Measure | None) -> list[Any] | None:
    return [measure.name, measure.unit, measure.kind, measure.higher_is_better] if measure is not None else None


@dataclass(frozen=True)
class _Block:
    rendered: Rendered
    tally: Tally


def _work_out(term: _Term, tallies: Mapping[int, Tally]) -> _Block:
    """A block from its runs' tallies: each line's figures, row and bar, and the term's tally."""
    rows, bars, measures = [], [], set()
    for pool in term.lines:
        measure, note = pool_measure(run.measure for run in pool)
        # A group deleted while the page was read has no tally: it is left out (and nothing saved).
        impact = figures(combined([tallies[run.group_id] for run in pool if run.group_id in tallies]), measure, note)
        rows.append(_row(Line(term.term.label, pool[0].setting_name, impact)))
        bars.append((f"{term.term.label}: {pool[0].setting_name}", impact.mean_change, impact.scored))
        measures.add(impact.measure)
    rendered = Rendered("".join(rows), frozenset(measures), chart_block(bars))
    return _Block(rendered, combined([tallies[run.group_id] for run in term.runs if run.group_id in tallies]))


def _from_saved(row: tuple) -> _Block:
    _item, _year, _season, _stamp, lines, rows, labels, bars, description, low, high, measures, tally = row
    chart = ChartBlock(lines, labels, bars, description, low, high)
    measures_ = frozenset(Measure(*m) if m else None for m in measures)
    return _Block(Rendered(rows, measures_, chart), summaries.tally_from([tally[name] for name in summaries.FIELDS]))


def _to_save(la_id: int, key: Key, stamp: str, block: _Block) -> ImpactBlock:
    item_id, year, season = key
    chart, tally = block.rendered.chart, summaries.values_of(block.tally)
    return ImpactBlock(
        local_authority_id=la_id, shared_item_id=item_id, year=year, season=season, stamp=stamp, lines=chart.count,
        rows=block.rendered.rows, labels=chart.labels, bars=chart.bars, description=chart.description,
        low=chart.low, high=chart.high, measures=[_measure_json(m) for m in block.rendered.measures],
        tally={**tally, "cost_total": str(tally["cost_total"])},
    )  # fmt: skip


def _save(blocks: list[ImpactBlock]) -> None:
    """Save the blocks worked out (best effort: a database busy with another writer leaves them to
    be worked out again)."""
    try:
        ImpactBlock.objects.bulk_create(
            blocks, batch_size=100, update_conflicts=True, unique_fields=["shared_item", "year", "season"],
            update_fields=[name for name in _BLOCK[3:]] + ["local_authority"],
        )  # fmt: skip
    except DatabaseError:
        logger.warning("%d impact blocks not saved; they will be worked out again", len(blocks), exc_info=True)


# The page --------------------------------------------------------------------------------------


def la_sections(
    la_id: int,
    shared: Sequence[CatalogueItem],
    groups: QuerySet[InterventionGroup],
    period: tuple[int | None, str],
    *,
    only_these: bool = False,
) -> list[Section]:
    """The sections of the LA's page for the groups chosen (``period``: the year and season they
    were chosen by, which picks the blocks to read). When every block is saved and agrees with the
    groups, as the background refresh leaves them: 2 queries, whatever the history behind them.
    ``only_these``: ``shared`` is some of the LA's items, not all (the others' blocks are not read)."""
    runs, tallies = _runs(groups, {item.pk for item in shared})
    by_item: dict[int, list[LaRun]] = defaultdict(list)
    for run in runs:
        by_item[run.shared_id].append(run)
    plans = [(item, _terms(item, by_item[item.pk])) for item in shared if by_item[item.pk]]
    saved = _saved_blocks(la_id, period, [item.pk for item, _ in plans] if only_these else None) if plans else {}

    # Which blocks agree with their groups, and which must be worked out.
    stamps = {term.key: term.stamp for _, terms in plans for term in terms}
    wanted = [
        term for _, terms in plans for term in terms if stamps[term.key] is None or term.key not in saved
        or saved[term.key][3] != stamps[term.key]
    ]  # fmt: skip
    moved: set[int] = set()
    if missing := [run for term in wanted for run in term.runs if run.group_id not in tallies]:
        read, moved = _tallies(missing)
        tallies.update(read)
    worked_out = {term.key: _work_out(term, tallies) for term in wanted}
    to_save = [
        _to_save(la_id, term.key, stamp, worked_out[term.key])
        for term in wanted
        if (stamp := stamps[term.key]) is not None and not moved.intersection(run.group_id for run in term.runs)
    ]

    sections = []
    for item, terms in plans:
        blocks = [worked_out[term.key] if term.key in worked_out else _from_saved(saved[term.key]) for term in terms]
        total = []
        if sum(len(term.pools) for term in terms) > 1:
            # The terms' tallies in term order are the runs' in load_runs' order (a run's term
            # follows from its start), so this is exactly all the runs' pupils pooled.
            measure, note = pool_measure(run.measure for run in by_item[item.pk])
            impact = figures(combined([block.tally for block in blocks]), measure, note)
            total = [Line("All terms shown", "All settings together", impact)]
        sections.append(section(str(item.pk), item.name, total, ahead=[block.rendered for block in blocks]))
    if to_save:
        _save(to_save)
    return sections


def refresh_blocks(group_ids: Iterable[int]) -> int:
    """Work out again, and save, the LA blocks the groups are in (after their tallies were worked
    out); returns how many shared interventions were worked out."""
    items: dict[int, set[int]] = defaultdict(set)
    for batch in batched(list(group_ids), READ_BATCH):
        rows = InterventionGroup.objects.filter(pk__in=batch).values_list(
            "setting__local_authority_id", "catalogue_item_id", "catalogue_item__local_authority_id",
            "catalogue_item__adopted_from_id",
        )  # fmt: skip
        for la_id, item_id, item_la_id, adopted_from_id in rows:
            shared_id = item_id if item_la_id is not None else adopted_from_id
            if shared_id is not None:
                items[la_id].add(shared_id)
    return sum(len(rebuild_blocks(la_id, item_ids)) for la_id, item_ids in items.items())


def rebuild_blocks(la_id: int, item_ids: Iterable[int] | None = None) -> list[Section]:
    """Work out the LA's blocks for all terms (those of ``item_ids`` only, if given) and save them."""
    la = LocalAuthority.objects.get(pk=la_id)
    shared = la_shared_items(la)
    if item_ids is not None:
        wanted = set(item_ids)
        shared = [item for item in shared if item.pk in wanted]
    return la_sections(la_id, shared, la_groups(la, shared), (None, ""), only_these=item_ids is not None)
