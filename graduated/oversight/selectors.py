"""Reads for the LA dashboard and a setting's page. Aggregates only: no pupil is named here.

``overview`` gathers every figure for the LA's settings (all of them, the ones a filter picks, or
one) in 13 queries and one to read the settings, whatever the number of settings, pupils or records:
each is grouped by setting in the database, or reads a summary table (summaries.py) where the
records run to millions (delivery records, meetings, costed provision).

Who counts, by the rules the rest of the product uses:

* **On roll**: a current enrolment (not ended, future starters included: ``Enrolment.current``);
  a pupil enrolled in two of the settings counts in each, and once in the totals.
* **SEN support, EHC plans**: the pupil's current SEN status period is K or E.
* **Primary need**: the current need ranked 1. **Year group**: from the date of birth in this
  academic year, or the override the SENCO set.
* **APDR health**: the SENCO caseload's rules (graduated/worklists/caseload.py): open cycles of
  pupils on roll at the cycle's setting; incomplete = no outcome yet or no review date; overdue = in
  Do and the review date has passed; not acknowledged = in Do with a linked member of staff who has
  not said they read it. **Short of parent meetings**: on SEN support with fewer than three
  meetings with a parent or carer there this academic year (graduated/meetings/selectors.py).
* **Requests**: requests to this LA received this academic year, under the setting that made them,
  else the setting the pupil was on roll at when it was received.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from graduated.ehc.models import EHCRequest
from graduated.meetings.selectors import EXPECTED_PARENT_MEETINGS
from graduated.organisations.models import LocalAuthority, Phase, Setting
from graduated.oversight import register_lines, terms
from graduated.oversight.figures import (
    Costs,
    Counts,
    Delivery,
    Health,
    ItemUse,
    NeedLine,
    PhaseLine,
    Requests,
    SettingFigures,
    TermColumn,
    YearLine,
    need_lines,
    share,
    year_lines,
)
from graduated.oversight.models import CostSummary, DeliveryTally, ItemCost, SettingArea, TermSnapshot
from graduated.oversight.outliers import Baseline, flags_for
from graduated.oversight.terms import Term
from graduated.provision.models import CatalogueItem
from graduated.provision.tiers import tier_names
from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.models import Enrolment
from graduated.support.models import CycleStatus

# The settings a query counts, as a subquery of their ids (never a list: hundreds of ids make every
# query slower to build and to run).
Scope = QuerySet[Setting, Any]
K, E = SENProvision.SEN_SUPPORT.value, SENProvision.EHC_PLAN.value


@dataclass(frozen=True)
class Filters:
    phase: str = ""
    area: str = ""

    @property
    def active(self) -> bool:
        return bool(self.phase or self.area)

    @property
    def words(self) -> str:
        parts = []
        if self.phase:
            parts.append(f"phase: {Phase(self.phase).label}")
        if self.area:
            parts.append(f"area: {self.area}")
        return "; ".join(parts) or "all settings"

    def query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in (("phase", self.phase), ("area", self.area)) if v})


def la_areas(la: LocalAuthority) -> list[str]:
    """The areas recorded for the LA's settings, A to Z. 1 query."""
    areas = SettingArea.objects.filter(setting__local_authority=la).exclude(area="").values_list("area", flat=True)
    return sorted(set(areas), key=str.casefold)


def settings_for(la: LocalAuthority, filters: Filters) -> QuerySet[Setting]:
    """The LA's settings the filters pick, A to Z, each with its area (1 query when read)."""
    settings = Setting.objects.filter(local_authority=la).select_related("oversight_area").order_by("name", "pk")
    if filters.phase:
        settings = settings.filter(phase=filters.phase)
    if filters.area:
        settings = settings.filter(oversight_area__area=filters.area)
    return settings


def setting_with_area(setting_id: int) -> Setting | None:
    """A setting with its LA and area (the drill-down checks the officer's LA against it). 1 query."""
    return Setting.objects.select_related("local_authority", "oversight_area").filter(pk=setting_id).first()


def area_of(setting: Setting) -> str:
    try:
        return setting.oversight_area.area
    except SettingArea.DoesNotExist:
        return ""


@dataclass
class Overview:
    la: LocalAuthority
    today: date
    year: int  # the academic year shown: the calendar year it began
    settings: list[SettingFigures]
    totals: Counts
    health: Health
    delivery: Delivery
    costs: Costs
    requests: Requests
    unattributed: Requests  # requests under no chosen setting (shown only for the whole LA)
    needs: list[NeedLine]
    years: list[YearLine]
    phases: list[PhaseLine]
    items: list[ItemUse]
    terms: list[TermColumn]
    baseline: Baseline | None
    whole_la: bool = True
    ended: list[Term] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return terms.academic_year_label(self.year)

    @property
    def flagged(self) -> list[SettingFigures]:
        return [row for row in self.settings if row.flags]

    @property
    def flags(self) -> int:
        return sum(len(row.flags) for row in self.settings)


# -- The queries ---------------------------------------------------------------------------------------


def _rolls(scope: Scope, today: date, *, total: bool) -> tuple[dict[int, int], int | None]:
    """Pupils on roll per setting (1 query) and, with ``total``, in all of them counted once (1 more)."""
    enrolments = Enrolment.objects.current(today).filter(setting_id__in=scope).order_by()
    per_setting = dict(
        enrolments.values("setting_id").annotate(n=Count("pupil_id", distinct=True)).values_list("setting_id", "n")
    )
    if not total:
        return per_setting, None
    return per_setting, enrolments.aggregate(n=Count("pupil_id", distinct=True))["n"]


def _deliveries(scope: Scope, years: Iterable[int]) -> dict[tuple[int, int, int], Delivery]:
    """(setting, year, term) -> sessions, from the tallies. 1 query."""
    rows = (
        DeliveryTally.objects.filter(setting_id__in=scope, year_starting__in=sorted(set(years)))
        .order_by()
        .values("setting_id", "year_starting", "season")
        .annotate(delivered=Sum("delivered"), missed=Sum("missed"))
    )
    return {
        (row["setting_id"], row["year_starting"], row["season"]): Delivery(row["delivered"], row["missed"])
        for row in rows
    }


def _costs(scope: Scope, year: int) -> dict[int, CostSummary]:
    return {
        summary.setting_id: summary for summary in CostSummary.objects.filter(setting_id__in=scope, year_starting=year)
    }


def _items(la: LocalAuthority, scope: Scope, year: int) -> list[ItemUse]:
    """The LA's shared interventions: adoptions, costed use and sessions this year. 4 queries."""
    tiers = tier_names(la.pk)
    items = (
        CatalogueItem.objects.filter(local_authority=la)
        .annotate(adopted=Count("adoptions__setting", filter=Q(adoptions__setting_id__in=scope), distinct=True))
        .order_by("name", "pk")
        .values_list("pk", "name", "tier", "adopted")
    )
    uses = {pk: ItemUse(name=name, tier=tiers.get(tier, tier), adopted_by=adopted) for pk, name, tier, adopted in items}
    costed = (
        ItemCost.objects.filter(setting_id__in=scope, year_starting=year)
        .order_by()
        .values("shared_item_id")
        .annotate(
            settings=Count("setting_id", distinct=True),
            pupils=Sum("pupils"),
            provisions=Sum("provisions"),
            cost=Sum("cost"),
        )
    )
    for row in costed:
        use = uses.get(row["shared_item_id"])
        if use is not None:
            use.settings_using, use.pupils, use.provisions = row["settings"], row["pupils"], row["provisions"]
            use.cost = row["cost"] or Decimal(0)
    sessions = (
        DeliveryTally.objects.filter(setting_id__in=scope, year_starting=year, shared_item__isnull=False)
        .order_by()
        .values("shared_item_id")
        .annotate(delivered=Sum("delivered"), missed=Sum("missed"))
    )
    for tally in sessions:
        use = uses.get(tally["shared_item_id"])
        if use is not None:
            use.delivery.add(tally["delivered"], tally["missed"])
    return list(uses.values())


def _attributed_setting(la: LocalAuthority) -> Coalesce:
    """The setting a request counts under: the one that made it, else where the pupil was on roll
    (in the LA) on the day it was received."""
    received = OuterRef("received_on")
    on_roll_then = (
        Enrolment.objects.filter(
            pupil_id=OuterRef("pupil_id"), setting__local_authority_id=la.pk, start_date__lte=received
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=received))
        .order_by("-start_date", "pk")
        .values("setting_id")[:1]
    )
    return Coalesce(F("requesting_setting_id"), Subquery(on_roll_then), output_field=IntegerField())


def _requests(la: LocalAuthority, since: date) -> list[tuple[int | None, str, date]]:
    """(setting, stage, received) for the LA's requests received since ``since``. 1 query."""
    rows = (
        EHCRequest.objects.filter(local_authority=la, received_on__gte=since)
        .annotate(at=_attributed_setting(la))
        .order_by()
        .values_list("at", "stage", "received_on")
    )
    return list(rows)


def _snapshots(scope: Scope, wanted: list[Term]) -> dict[Term, tuple[Counts, int]]:
    """The term snapshots of the settings, added up per term. 1 query."""
    which = Q(pk__in=[])
    for term in wanted:
        which |= Q(year_starting=term.year, season=term.season_index)
    rows = (
        TermSnapshot.objects.filter(which, setting_id__in=scope)
        .order_by()
        .values("year_starting", "season")
        .annotate(pupils=Sum("pupils"), k=Sum("sen_support"), e=Sum("ehc_plans"), overdue=Sum("reviews_overdue"))
    )
    return {
        Term(row["year_starting"], row["season"]): (Counts(row["pupils"], row["k"], row["e"]), row["overdue"])
        for row in rows
    }


def baseline(la: LocalAuthority, today: date) -> Baseline | None:
    """The whole LA's share on the register at the end of the last term, from its snapshots. 1 query."""
    last = terms.ended_terms(today, 1)[0]
    sums = TermSnapshot.objects.filter(
        setting__local_authority=la, year_starting=last.year, season=last.season_index
    ).aggregate(pupils=Sum("pupils"), register=Sum(F("sen_support") + F("ehc_plans")))
    if not sums["pupils"]:
        return None
    return Baseline(share(sums["register"] or 0, sums["pupils"]), f"the {last.label.lower()} term")


# -- Putting them together -----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _year_group(born: str, override: int | None, this_year: int) -> int:
    """pupils/year_groups.py's year group in the academic year ``this_year``, from "YYYY-MM" of birth."""
    if override is not None:
        return override
    year, month = int(born[:4]), int(born[5:7])
    cohort = year if month >= 9 else year - 1
    return this_year - cohort - 5


def overview(
    la: LocalAuthority, settings: QuerySet[Setting] | list[Setting], today: date, *, whole_la: bool = True
) -> Overview:
    """Every figure for ``settings`` (the LA's, all or some: a QuerySet of them, or one setting in a
    list). ``whole_la``: the requests under no setting of the LA are shown too (every setting is)."""
    year = terms.academic_year_start(today)
    if isinstance(settings, QuerySet):
        scope: Scope = settings.order_by().values("pk")
        settings = list(settings)
    else:
        scope = Setting.objects.filter(pk__in=[s.pk for s in settings]).values("pk")
    ended = terms.ended_terms(today)
    rows = {s.pk: SettingFigures(setting=s, area=area_of(s)) for s in settings}

    rolls, roll_total = _rolls(scope, today, total=len(settings) != 1)
    for setting_id, pupils in rolls.items():
        rows[setting_id].counts.pupils = pupils
    statuses: dict[int, tuple[str, str, int]] = {}  # pupil -> (status, primary need, year group), once each
    for (setting_id, pupil_id, born, override, status, primary, planning, meetings, meetings_year, cycle_status,
         review_date, has_outcome, unread) in register_lines.lines(scope, today):  # fmt: skip
        row = rows[setting_id]
        if cycle_status:  # a cycle in progress at this setting, of a pupil on roll here
            health, doing = row.health, cycle_status == CycleStatus.DO
            health.open_cycles += 1
            health.doing += doing
            health.incomplete += review_date is None or not has_outcome
            health.reviews_overdue += doing and review_date is not None and review_date < today
            health.unacknowledged += doing and unread
        if not status:
            continue
        if status == K:
            row.counts.sen_support += 1
            row.health.without_plan += not planning
            this_year = meetings if meetings_year == year else 0  # counted in another academic year
            row.health.short_of_meetings += this_year < EXPECTED_PARENT_MEETINGS
            row.health.nsa += primary == SENType.NSA
        else:
            row.counts.ehc_plans += 1
        statuses[pupil_id] = (status, primary or "", _year_group(born, override, year))

    by_need: Counter[tuple[str, str]] = Counter((need, status) for status, need, _ in statuses.values())
    by_year: Counter[tuple[int, str]] = Counter((year_group, status) for status, _, year_group in statuses.values())
    totals = Counts(
        pupils=roll_total if roll_total is not None else sum(r.counts.pupils for r in rows.values()),
        sen_support=sum(1 for status, _, _ in statuses.values() if status == K),
        ehc_plans=sum(1 for status, _, _ in statuses.values() if status == E),
    )

    wanted_years = {year, *(term.year for term in ended)}
    deliveries = _deliveries(scope, wanted_years)
    by_term: dict[Term, Delivery] = defaultdict(Delivery)
    for (setting_id, delivery_year, season), delivery in deliveries.items():
        by_term[Term(delivery_year, season)].add(delivery.delivered, delivery.missed)
        if delivery_year == year:
            rows[setting_id].delivery.add(delivery.delivered, delivery.missed)

    costs = Costs(known=True)
    summaries = _costs(scope, year)
    for setting_id, row in rows.items():
        summary = summaries.get(setting_id)
        if summary is None:
            costs.settings_missing += 1
            continue
        row.costs = Costs(True, summary.total, summary.pupils, summary.provisions, summary.not_costed,
                          summary.over_element_2)  # fmt: skip
        costs.total += summary.total
        costs.pupils += summary.pupils
        costs.provisions += summary.provisions
        costs.not_costed += summary.not_costed
        costs.over_element_2 += summary.over_element_2
    costs.known = bool(rows) and costs.settings_missing < len(rows)

    since = min(terms.bounds(ended[0])[0], date(year, 9, 1))
    requests, unattributed = Requests(), Requests()
    received_by_term: Counter[Term] = Counter()
    for attributed, stage, received_on in _requests(la, since):
        under = rows.get(attributed) if attributed is not None else None
        if under is None and not whole_la:
            continue
        received_by_term[terms.term_of(received_on)] += 1
        if received_on < date(year, 9, 1):
            continue
        (under.requests if under is not None else unattributed).by_stage[stage] += 1
        requests.by_stage[stage] += 1

    health = Health()
    delivery = Delivery()
    for row in rows.values():
        health.add(row.health)
        delivery.add(row.delivery.delivered, row.delivery.missed)

    snapshots = _snapshots(scope, ended)
    columns = []
    for term in ended:
        counts, overdue = snapshots.get(term, (None, None))
        columns.append(
            TermColumn(
                f"End of {term.label.lower()} term",
                f"{terms.bounds(term)[1]:%-d %B %Y}",
                counts,
                overdue,
                by_term.get(term, Delivery()),
                received_by_term[term],
            )
        )
    now_term = terms.term_of(today)
    summed = Counts(
        sum(r.counts.pupils for r in rows.values()), sum(r.counts.sen_support for r in rows.values()),
        sum(r.counts.ehc_plans for r in rows.values()),
    )  # fmt: skip
    columns.append(
        TermColumn(
            f"Now ({now_term.label.lower()} term so far)",
            f"{today:%-d %B %Y}",
            summed,
            health.reviews_overdue,
            by_term.get(now_term, Delivery()),
            received_by_term[now_term],
        )
    )

    phases = []
    for phase, label in Phase.choices:
        in_phase = [r for r in rows.values() if r.setting.phase == phase]
        if in_phase:
            phases.append(
                PhaseLine(label, len(in_phase), Counts(
                    sum(r.counts.pupils for r in in_phase), sum(r.counts.sen_support for r in in_phase),
                    sum(r.counts.ehc_plans for r in in_phase),
                ))
            )  # fmt: skip

    base = baseline(la, today)
    for row in rows.values():
        row.flags = flags_for(row, base)

    return Overview(
        la=la, today=today, year=year, settings=list(rows.values()), totals=totals, health=health, delivery=delivery,
        costs=costs, requests=requests, unattributed=unattributed, needs=need_lines(by_need), years=year_lines(by_year),
        phases=phases, items=_items(la, scope, year), terms=columns, baseline=base, whole_la=whole_la, ended=ended,
    )  # fmt: skip


# -- A setting's cases, for an officer who works them ---------------------------------------------------


def setting_cases(la: LocalAuthority, setting: Setting, since: date) -> list[EHCRequest]:
    """The LA's requests this academic year under ``setting`` (as ``overview`` counts them), with
    their pupils: names, for an officer with the LA's case work. 1 query."""
    return list(
        EHCRequest.objects.filter(local_authority=la, received_on__gte=since)
        .annotate(at=_attributed_setting(la))
        .filter(at=setting.pk)
        .select_related("pupil")
        .order_by("-received_on", "-pk")
    )
