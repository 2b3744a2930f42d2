"""Costed provision maps: one pupil's provision over a period, and a setting's grid of pupils ×
interventions with its totals. Both read a fixed number of queries, whatever the number of pupils
or provisions, and are what the pages and the XLSX and PDF exports show (so they never disagree).

How the setting's totals are shared out:

* a provision for more than one broad area of need (a catalogue item can name several) counts in
  each, its cost and staff hours split equally between them (to the penny, any odd penny to the
  first area in census order), so that the areas add up to the whole;
* staff hours are each pupil's share of an adult's time, as the cost is: a group of four that
  meets for ten hours counts 2.5 hours for each pupil and ten for the group.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import Q

from graduated.organisations.models import Setting
from graduated.provision.cost_forms import Period
from graduated.provision.costs import (
    ELEMENT_2_THRESHOLD,
    PENNY,
    CostLine,
    cost_line,
    group_sizes,
    hourly_costs,
    overlap,
    provision_dates,
    pupil_costed_provisions,
)
from graduated.provision.models import CatalogueItem, DeliveryRole, InterventionGroup, SenBudget, Tier
from graduated.provision.terms import NO_TERM_DATES, TermCalendar, term_calendars
from graduated.provision.tiers import tier_names
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Enrolment, Pupil
from graduated.pupils.year_groups import year_group_label
from graduated.support.models import Cycle, CycleStatus, Provision

NO_AREA = "Area of need not given"
NO_TIER = "Not from the catalogue"
TENTH = Decimal("0.1")


@dataclass
class MapLine:
    """One provision on a map: what it is, when it ran, and its cost over the period."""

    provision: Provision
    cost: CostLine
    starts_on: date
    ends_on: date | None  # None: still running

    @property
    def costed(self) -> bool:
        return not self.cost.missing

    @property
    def dosage_text(self) -> str:
        d = self.cost.dosage
        if d is None:
            return "Not given"
        size = "one to one" if d.group_size == 1 else f"group of {d.group_size}"
        return f"{d.sessions_per_week} × {d.minutes_per_session} minutes a week, {size}"

    @property
    def dates_text(self) -> str:
        start = f"{self.starts_on:%-d %B %Y}"
        if self.ends_on is None:
            return f"From {start}, still running"
        weeks = self.cost.length_weeks
        length = f" ({weeks} teaching week{'' if weeks == 1 else 's'})" if weeks else ""
        return f"{start} to {self.ends_on:%-d %B %Y}{length}"

    @property
    def shared_staff_hours(self) -> Decimal:
        """This pupil's share of the adult's hours in the period (see the module's note)."""
        return self.cost.shared_staff_hours


def _line(provision: Provision, cost: CostLine) -> MapLine:
    assert cost.starts_on is not None  # cost_line always says when the provision runs
    return MapLine(provision=provision, cost=cost, starts_on=cost.starts_on, ends_on=cost.ends_on)


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


# -- One pupil ----------------------------------------------------------------------------------------


@dataclass
class PupilMap:
    pupil: Pupil
    period: Period
    lines: list[MapLine]

    @property
    def total(self) -> Decimal:
        return _sum(line.cost.total for line in self.lines)

    @property
    def staff_total(self) -> Decimal:
        return _sum(line.cost.staff_cost for line in self.lines)

    @property
    def resources_total(self) -> Decimal:
        return _sum(line.cost.resources_share for line in self.lines)

    @property
    def over_element_2(self) -> bool:
        return self.total > ELEMENT_2_THRESHOLD

    @property
    def above_threshold(self) -> Decimal:
        return max(self.total - ELEMENT_2_THRESHOLD, Decimal(0))

    @property
    def not_costed(self) -> int:
        return sum(1 for line in self.lines if not line.costed)


def pupil_map(pupil: Pupil, period: Period) -> PupilMap:
    """Every provision of the pupil (in any setting) that ran in the period, costed: 5 or 6 queries."""
    costs = pupil_costed_provisions(pupil, period.bounds)
    return PupilMap(pupil=pupil, period=period, lines=[_line(p, cost) for p, cost in costs.lines])


# -- A setting ----------------------------------------------------------------------------------------


@dataclass
class Tally:
    """One row of a totals table: how many pupils and provisions, how many staff hours, what cost."""

    label: str
    pupil_ids: set[int] = field(default_factory=set)
    provisions: int = 0
    hours: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)

    @property
    def pupils(self) -> int:
        return len(self.pupil_ids)

    @property
    def staff_hours(self) -> Decimal:
        return self.hours.quantize(TENTH, ROUND_HALF_UP)

    def add(self, pupil_id: int, hours: Decimal, cost: Decimal) -> None:
        self.pupil_ids.add(pupil_id)
        self.provisions += 1
        self.hours += hours
        self.cost += cost


@dataclass
class Intervention(Tally):
    """A column of the grid: a catalogue item, or provision described in the same words."""

    key: str = ""
    tier: str = NO_TIER
    areas: str = NO_AREA
    roles: set[str] = field(default_factory=set)


@dataclass
class PupilRow:
    pupil: Pupil
    year_group: int
    linked: bool  # still enrolled here, so their own map can be opened
    lines: list[MapLine] = field(default_factory=list)
    cells: dict[str, Decimal] = field(default_factory=dict)  # intervention key -> cost
    grid: list[Decimal | None] = field(default_factory=list)  # the cells in column order

    @property
    def year_group_label(self) -> str:
        return year_group_label(self.year_group)

    @property
    def total(self) -> Decimal:
        return _sum(self.cells.values())

    @property
    def over_element_2(self) -> bool:
        return self.total > ELEMENT_2_THRESHOLD


@dataclass
class SettingMap:
    setting: Setting
    period: Period
    interventions: list[Intervention]
    rows: list[PupilRow]
    by_area: list[Tally]
    by_year_group: list[Tally]
    by_tier: list[Tally]
    by_role: list[Tally]
    budget: Decimal | None

    @property
    def lines(self) -> list[MapLine]:
        return [line for row in self.rows for line in row.lines]

    @property
    def total(self) -> Decimal:
        return _sum(row.total for row in self.rows)

    @property
    def staff_hours(self) -> Decimal:
        return _sum(tally.hours for tally in self.by_role).quantize(TENTH, ROUND_HALF_UP)

    @property
    def not_costed(self) -> int:
        return sum(1 for line in self.lines if not line.costed)

    @property
    def share_of_budget(self) -> Decimal | None:
        """The total as a percentage of the budget, to one decimal place; None without a budget."""
        if not self.budget:
            return None
        return (self.total * 100 / self.budget).quantize(TENTH, ROUND_HALF_UP)

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.total > self.budget

    @property
    def over_element_2(self) -> list[PupilRow]:
        return [row for row in self.rows if row.over_element_2]


# What costing, the grid and the totals read (nothing else: a row's long texts and JSON are the
# most of the time spent loading it, and a setting's map loads hundreds).
MAP_FIELDS = [
    *("id", "cycle_id", "catalogue_item_id", "group_id", "staff_role", "kind", "description"),
    *("sessions_per_week", "minutes_per_session", "group_size", "starts_on", "ends_on", "carried_from_id"),
]
CYCLE_FIELDS = [
    *("id", "pupil_id", "setting_id", "number", "status", "started_on"),
    *("pupil__id", "pupil__legal_first_name", "pupil__legal_last_name"),
    *("pupil__preferred_first_name", "pupil__preferred_last_name", "pupil__date_of_birth"),
    *("pupil__year_group_override", "review__id", "review__cycle_id", "review__held_on"),
]
ITEM_FIELDS = [
    *("id", "name", "areas", "tier", "delivered_by_role", "group_size", "sessions_per_week"),
    *("minutes_per_session", "typical_weeks", "resources_cost"),
]
GROUP_FIELDS = ["id", "deliverer_role", "starts_on", "ends_on"]


def _outcome_areas(provisions: list[Provision]) -> dict[int, set[str]]:
    """Provision id -> the broad areas of the outcomes it works towards: 1 query."""
    rows = (
        Provision.outcomes.through.objects.filter(provision_id__in=[p.pk for p in provisions])
        .order_by()
        .values_list("provision_id", "outcome__area")
    )
    areas: dict[int, set[str]] = {}
    for provision_id, area in rows:
        areas.setdefault(provision_id, set()).add(area)
    return areas


def _provisions_of(setting: Setting, period: Period, terms: TermCalendar) -> list[Provision]:
    """The setting's provisions that ran in the period, with all their pricing needs: 5 queries.

    A cycle, catalogue item and group is read once however many provisions share it (a setting's
    map has hundreds of provisions of a few dozen items and groups): building a row's objects is
    most of the time a map takes."""
    start, end = period.bounds
    # The filters only rule out what provision_dates would end before the period (its own end, the
    # review of a closed cycle, its group's end): the exact test is the loop's, below.
    still_open = ~Q(cycle__status=CycleStatus.CLOSED) | Q(cycle__review__isnull=True)
    candidates = (
        Provision.objects.filter(cycle__setting=setting, cycle__started_on__lte=end)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
        .filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True) & (still_open | Q(cycle__review__held_on__gte=start)))
        .filter(Q(group__isnull=True) | Q(group__ends_on__gte=start))
        .only(*MAP_FIELDS)
        .order_by(
            "cycle__pupil__legal_last_name", "cycle__pupil__legal_first_name", "cycle__pupil_id", "cycle__number", "id"
        )
    )
    provisions = list(candidates)
    cycles = Cycle.objects.select_related("pupil", "review").only(*CYCLE_FIELDS)
    cycle_of = cycles.in_bulk({p.cycle_id for p in provisions})
    item_of = CatalogueItem.objects.only(*ITEM_FIELDS).in_bulk({p.catalogue_item_id for p in provisions} - {None})
    groups = InterventionGroup.objects.only(*GROUP_FIELDS).prefetch_related("slots")
    group_of = groups.in_bulk({p.group_id for p in provisions} - {None})
    ran = []
    for provision in provisions:
        cycle, item, group = (cycle_of.get(provision.cycle_id), item_of.get(provision.catalogue_item_id),
                              group_of.get(provision.group_id))  # fmt: skip
        if (
            cycle is None
            or (item is None) != (provision.catalogue_item_id is None)
            or ((group is None) != (provision.group_id is None))
        ):
            continue  # gone since it was read
        provision.cycle, provision.catalogue_item, provision.group = cycle, item, group
        starts_on, ends_on = provision_dates(provision, terms)
        if overlap(starts_on, ends_on or end, start, end) is not None:
            ran.append(provision)
    return ran


def _areas(provision: Provision, outcome_areas: dict[int, set[str]]) -> list[str]:
    """The broad areas a provision serves: its catalogue item's, else those of the outcomes it works
    towards (``outcome_areas``, from ``_outcome_areas``)."""
    item = provision.catalogue_item
    codes = set(item.areas) if item is not None else outcome_areas.get(provision.pk, set())
    return [area.value for area in BroadArea if area.value in codes]


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """``amount`` in ``parts`` equal shares to the penny that add up to it exactly (odd pennies to the first)."""
    share = (amount / parts).quantize(PENNY, rounding=ROUND_DOWN)
    return [amount - share * (parts - 1), *[share] * (parts - 1)]


def setting_map(setting: Setting, period: Period) -> SettingMap:
    """The setting's costed provision map for the period, its weeks counted by its LA's term dates:
    12 queries, whatever its size."""
    terms = term_calendars([setting.local_authority_id]).get(setting.local_authority_id, NO_TERM_DATES)
    provisions = _provisions_of(setting, period, terms)
    outcome_areas = _outcome_areas(provisions)
    costs = hourly_costs([setting.pk])
    sizes = group_sizes(p.group_id for p in provisions if p.group_id)
    tiers = tier_names(setting.local_authority_id)
    budget = (
        SenBudget.objects.filter(setting=setting, year_starting=period.year_starting)
        .values_list("amount", flat=True)
        .first()
        if period.year_starting is not None
        else None
    )
    pupil_ids = {p.cycle.pupil_id for p in provisions}
    enrolled = set(
        Enrolment.objects.current().filter(setting=setting, pupil_id__in=pupil_ids).values_list("pupil_id", flat=True)
    )

    rows: dict[int, PupilRow] = {}
    interventions: dict[str, Intervention] = {}
    by_area: dict[str, Tally] = {}
    by_year: dict[int, Tally] = {}
    by_tier: dict[str, Tally] = {}
    by_role: dict[str, Tally] = {}
    for provision in provisions:
        pupil = provision.cycle.pupil
        line = _line(provision, cost_line(provision, period=period.bounds, costs=costs, sizes=sizes, terms=terms))
        cost, hours = line.cost.total, line.shared_staff_hours
        row = rows.get(pupil.pk)
        if row is None:
            year = pupil.year_group(period.starts_on)
            row = rows[pupil.pk] = PupilRow(pupil=pupil, year_group=year, linked=pupil.pk in enrolled)
        row.lines.append(line)
        column = _intervention(interventions, provision, tiers, outcome_areas)
        column.add(pupil.pk, hours, cost)
        column.roles.add(line.cost.role_label)
        row.cells[column.key] = row.cells.get(column.key, Decimal(0)) + cost

        areas = _areas(provision, outcome_areas) or [""]
        for area, area_cost, area_hours in zip(
            areas, split(cost, len(areas)), _split_hours(hours, len(areas)), strict=True
        ):
            label = BroadArea(area).label if area else NO_AREA
            by_area.setdefault(area, Tally(label)).add(pupil.pk, area_hours, area_cost)
        by_year.setdefault(row.year_group, Tally(row.year_group_label)).add(pupil.pk, hours, cost)
        item = provision.catalogue_item
        tier = item.tier if item is not None else ""
        by_tier.setdefault(tier, Tally(tiers.get(tier, NO_TIER))).add(pupil.pk, hours, cost)
        by_role.setdefault(line.cost.role, Tally(line.cost.role_label)).add(pupil.pk, hours, cost)

    columns = list(interventions.values())
    columns.sort(key=lambda column: column.label.casefold())
    for row in rows.values():
        row.grid = [row.cells.get(column.key) for column in columns]
    return SettingMap(
        setting=setting,
        period=period,
        interventions=columns,
        rows=list(rows.values()),
        by_area=_ordered(by_area, [area.value for area in BroadArea] + [""]),
        by_year_group=[by_year[year] for year in sorted(by_year)],
        by_tier=_ordered(by_tier, [tier.value for tier in Tier] + [""]),
        by_role=_ordered(by_role, [role.value for role in DeliveryRole] + [""]),
        budget=budget,
    )


def _split_hours(hours: Decimal, parts: int) -> list[Decimal]:
    return [hours / parts] * parts


def _ordered(tallies: dict[str, Tally], order: list[str]) -> list[Tally]:
    return [tallies[key] for key in order if key in tallies]


def _intervention(
    columns: dict[str, Intervention], provision: Provision, tiers: dict[str, str], outcome_areas: dict[int, set[str]]
) -> Intervention:
    item = provision.catalogue_item
    if item is not None:
        key = f"item-{item.pk}"
        if key not in columns:
            areas = ", ".join(BroadArea(code).label for code in _areas(provision, outcome_areas)) or NO_AREA
            columns[key] = Intervention(item.name, key=key, tier=tiers.get(item.tier, item.tier), areas=areas)
        return columns[key]
    words = " ".join(provision.description.split())
    key = f"text-{words.casefold()}"
    if key not in columns:
        areas = ", ".join(BroadArea(code).label for code in _areas(provision, outcome_areas)) or NO_AREA
        columns[key] = Intervention(words, key=key, areas=areas)
    return columns[key]
