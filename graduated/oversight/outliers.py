"""Outliers: settings whose figures stand out, each flagged with a sentence saying why.

The rules are data: a table of ``Rule`` rows, each with its threshold and the least number of pupils
(or plans, lines, decisions) it needs before it says anything, so that a setting with three pupils
on SEN support is never flagged for one of them. A rule measures a part of a whole for one setting
(``measure``) and flags the setting when the part's share reaches the threshold; a rule "against the
LA" compares the setting's share with the whole LA's at the end of the last term (its term
snapshots), flagging it at ``threshold`` times that share or more (or, ``below``, at that fraction
or less). Change a threshold here and the dashboard, the drill-down and the export all follow.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from graduated.ehc.models import Stage
from graduated.oversight.figures import Flag, SettingFigures, share

WITHDRAWN = "withdrawn"  # graduated/ehc's stage for a request withdrawn before the case ended
Measure = Callable[[SettingFigures], tuple[int, int]]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    measure: Measure  # (part, whole) for one setting
    threshold: Decimal  # a percentage; for a rule against the LA, a multiple of the LA's share
    minimum: int  # the smallest whole the rule looks at
    reason: str  # the sentence; {share} {part} {whole} {threshold} {la_share} {times} {term} are filled in
    against_la: bool = False
    below: bool = False


def _nsa(f: SettingFigures) -> tuple[int, int]:
    return f.health.nsa, f.counts.sen_support


def _without_plan(f: SettingFigures) -> tuple[int, int]:
    return f.health.without_plan, f.counts.sen_support


def _overdue(f: SettingFigures) -> tuple[int, int]:
    return f.health.reviews_overdue, f.health.doing


def _register(f: SettingFigures) -> tuple[int, int]:
    return f.counts.on_register, f.counts.pupils


def _not_costed(f: SettingFigures) -> tuple[int, int]:
    return (f.costs.not_costed, f.costs.provisions) if f.costs.known else (0, 0)


def _not_assessed(f: SettingFigures) -> tuple[int, int]:
    """Of the requests decided (any stage but awaiting the decision, or withdrawn), those not assessed."""
    requests = f.requests
    decided = requests.received - requests.count(Stage.RECEIVED) - requests.count(WITHDRAWN)
    return requests.count(Stage.NOT_ASSESSING), decided


RULES: tuple[Rule, ...] = (
    Rule(
        "nsa", "NSA used widely", _nsa, Decimal(20), 5,
        "{share}% of the pupils on SEN support ({part} of {whole}) have NSA as their primary need: SEN support "
        "with no specialist assessment of their type of need. The rule flags {threshold}% or more.",
    ),
    Rule(
        "without_plan", "Many on SEN support with no current plan", _without_plan, Decimal(25), 5,
        "{share}% of the pupils on SEN support ({part} of {whole}) have no Assess-Plan-Do-Review cycle in progress "
        "here. The rule flags {threshold}% or more.",
    ),
    Rule(
        "reviews_overdue", "Reviews overdue", _overdue, Decimal(25), 4,
        "{share}% of the agreed plans under way ({part} of {whole}) are past their review date without a review. "
        "The rule flags {threshold}% or more.",
    ),
    Rule(
        "register_high", "High share on the SEN register", _register, Decimal("1.5"), 30,
        "{share}% of pupils are on the SEN register ({part} of {whole}), {times} times the local authority's "
        "{la_share}% at the end of {term}. The rule flags {threshold} times or more.",
        against_la=True,
    ),
    Rule(
        "register_low", "Low share on the SEN register", _register, Decimal("0.5"), 30,
        "{share}% of pupils are on the SEN register ({part} of {whole}), {times} times the local authority's "
        "{la_share}% at the end of {term}. The rule flags {threshold} times or less.",
        against_la=True, below=True,
    ),
    Rule(
        "not_costed", "Provision that cannot be costed", _not_costed, Decimal(20), 10,
        "{share}% of the provision planned this year ({part} of {whole} lines) cannot be costed: no sessions, "
        "minutes, staff role or hourly cost recorded. The rule flags {threshold}% or more.",
    ),
    Rule(
        "not_assessed", "Many requests refused", _not_assessed, Decimal(50), 4,
        "The local authority decided not to assess {share}% of the requests for an EHC needs assessment decided "
        "this year ({part} of {whole}). The rule flags {threshold}% or more.",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Baseline:
    """The whole LA's share on the SEN register at the end of a term, for the rules against the LA."""

    share: Decimal | None
    term: str


def _times(value: Decimal, base: Decimal) -> Decimal:
    return (value / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def flags_for(figures: SettingFigures, baseline: Baseline | None, rules: tuple[Rule, ...] | None = None) -> list[Flag]:
    """The rules (RULES unless given) the setting's figures meet, in the table's order."""
    flags = []
    for rule in RULES if rules is None else rules:
        part, whole = rule.measure(figures)
        if whole < rule.minimum:
            continue
        value = share(part, whole)
        assert value is not None
        words = {"share": value, "part": part, "whole": whole, "threshold": rule.threshold}
        if rule.against_la:
            if baseline is None or not baseline.share:
                continue
            times = _times(value, baseline.share)
            met = times <= rule.threshold if rule.below else times >= rule.threshold
            words |= {"times": times, "la_share": baseline.share, "term": baseline.term}
        else:
            met = value >= rule.threshold
        if met:
            flags.append(Flag(rule.code, rule.title, rule.reason.format(**words)))
    return flags
