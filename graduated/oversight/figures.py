"""The dashboard's figures as plain values: what a setting (or all the settings chosen) adds up to.

No database here: ``selectors.py`` reads the rows and fills these in. Every percentage is to one
decimal place, rounded half up, and None where there is nothing to divide by (shown as a dash).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from graduated.organisations.models import Setting
from graduated.provision.costs import money
from graduated.pupils.codes import SENType
from graduated.pupils.year_groups import year_group_label

TENTH = Decimal("0.1")
NO_SETTING = "No setting recorded, or a setting in another local authority"


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal place; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%"


@dataclass
class Counts:
    """Pupils on roll and on the SEN register (census codes K and E)."""

    pupils: int = 0
    sen_support: int = 0
    ehc_plans: int = 0

    @property
    def on_register(self) -> int:
        return self.sen_support + self.ehc_plans

    @property
    def sen_support_rate(self) -> Decimal | None:
        return share(self.sen_support, self.pupils)

    @property
    def ehc_plan_rate(self) -> Decimal | None:
        return share(self.ehc_plans, self.pupils)

    @property
    def register_rate(self) -> Decimal | None:
        return share(self.on_register, self.pupils)


@dataclass
class Health:
    """The Assess-Plan-Do-Review picture, by the SENCO caseload's rules (graduated/worklists)."""

    open_cycles: int = 0
    doing: int = 0  # plans agreed and under way (the Do stage)
    incomplete: int = 0  # open cycles with no outcome yet or no review date
    reviews_overdue: int = 0  # in Do, the review date has passed
    unacknowledged: int = 0  # agreed plans a linked member of staff has not said they read
    short_of_meetings: int = 0  # on SEN support, fewer than three parent meetings this academic year
    without_plan: int = 0  # on SEN support with no cycle in progress at the setting
    nsa: int = 0  # on SEN support with NSA as their primary need

    def add(self, other: "Health") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Delivery:
    delivered: int = 0
    missed: int = 0

    @property
    def recorded(self) -> int:
        return self.delivered + self.missed

    @property
    def rate(self) -> Decimal | None:
        """Sessions delivered ÷ sessions recorded (delivered or missed), as support's delivery rate."""
        return share(self.delivered, self.recorded)

    def add(self, delivered: int, missed: int) -> None:
        self.delivered += delivered
        self.missed += missed


@dataclass
class Costs:
    """A setting's (or the settings') costed provision for the academic year; ``known`` False: not
    worked out yet (no summary: ``graduated manage rebuild_oversight`` makes them)."""

    known: bool = False
    total: Decimal = Decimal(0)
    pupils: int = 0
    provisions: int = 0
    not_costed: int = 0
    over_element_2: int = 0
    settings_missing: int = 0  # of several settings, how many have no summary yet

    @property
    def total_text(self) -> str:
        return money(self.total) if self.known else "Not worked out yet"

    @property
    def per_pupil(self) -> Decimal | None:
        if not self.known or not self.pupils:
            return None
        return (self.total / self.pupils).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def per_pupil_text(self) -> str:
        value = self.per_pupil
        return "–" if value is None else money(value)


@dataclass
class Requests:
    """Requests for an EHC needs assessment received this academic year, by where each stands now."""

    by_stage: Counter[str] = field(default_factory=Counter)

    @property
    def received(self) -> int:
        return sum(self.by_stage.values())

    def count(self, stage: str) -> int:
        return self.by_stage.get(stage, 0)


@dataclass(frozen=True)
class Flag:
    """An outlier: which rule, and the sentence that says why."""

    code: str
    title: str
    reason: str


@dataclass
class SettingFigures:
    setting: Setting
    area: str
    counts: Counts = field(default_factory=Counts)
    health: Health = field(default_factory=Health)
    delivery: Delivery = field(default_factory=Delivery)
    costs: Costs = field(default_factory=Costs)
    requests: Requests = field(default_factory=Requests)
    flags: list[Flag] = field(default_factory=list)


@dataclass(frozen=True)
class NeedLine:
    sen_type: str
    label: str
    sen_support: int
    ehc_plans: int

    @property
    def pupils(self) -> int:
        return self.sen_support + self.ehc_plans


def need_lines(counts: Counter[tuple[str, str]]) -> list[NeedLine]:
    """``counts``: (SEN type, K or E) -> pupils; "" for no primary need recorded. Every census type, in order."""
    lines = [NeedLine(code, label, counts[(code, "K")], counts[(code, "E")]) for code, label in SENType.choices]
    none_k, none_e = counts[("", "K")], counts[("", "E")]
    if none_k or none_e:
        lines.append(NeedLine("", "No primary need recorded", none_k, none_e))
    return lines


@dataclass(frozen=True)
class YearLine:
    year: int
    sen_support: int
    ehc_plans: int

    @property
    def label(self) -> str:
        return year_group_label(self.year)

    @property
    def pupils(self) -> int:
        return self.sen_support + self.ehc_plans


def year_lines(counts: Counter[tuple[int, str]]) -> list[YearLine]:
    years = sorted({year for year, _ in counts})
    return [YearLine(year, counts[(year, "K")], counts[(year, "E")]) for year in years]


@dataclass(frozen=True)
class PhaseLine:
    label: str
    settings: int
    counts: Counts


@dataclass
class ItemUse:
    """One of the LA's shared interventions this academic year: who adopted it, who had it, what it cost."""

    name: str
    tier: str
    adopted_by: int = 0  # settings with a copy in their catalogue
    settings_using: int = 0  # settings whose costed provision runs it
    pupils: int = 0  # added up over settings
    provisions: int = 0
    cost: Decimal = Decimal(0)
    delivery: Delivery = field(default_factory=Delivery)

    @property
    def cost_text(self) -> str:
        return money(self.cost)


@dataclass(frozen=True)
class TermColumn:
    """The settings' figures at the end of a term (or now), added up over the settings."""

    label: str
    taken_on: str
    counts: Counts | None  # None: no snapshot of that term yet
    reviews_overdue: int | None
    delivery: Delivery
    requests_received: int
