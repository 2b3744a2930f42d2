"""The readiness check: each local rule of the LA's pack in force, met or not, with its reason.

It never blocks anything. Statute lets a parent, a young person or a setting request an EHC needs
assessment whatever the local rules say (domain.md §7): a local rule is guidance, so this module
only reports.

What each kind of rule counts, on the day ``on`` (nothing dated after it counts):
- completed APDR cycles: the pupil's cycles with status closed, reviewed on or before the day;
- a person-centred plan agreed: a My Support Plan version agreed on or before the day;
- a person-centred planning meeting held: a meeting of that kind on or before the day;
- meetings with parents: meetings with a parent or carer present in the academic year containing
  the day, up to it (``meetings.selectors.parent_meetings_this_year`` counts the same meetings);
  only for a pupil on SEN support that day, otherwise "not applicable";
- a specialist involved: a referral to an outside service whose specialist saw the pupil, or
  whose report came back, on or before the day;
- terms of evidence: the distinct terms (autumn, spring, summer, as ``provision.impact.term_of``)
  of the pupil's evidence points and of the sessions of their provision recorded as delivered;
- reviewed plans: completed APDR cycles, plus My Support Plan versions beyond the first (each
  later version is a review of the plan).

Queries: two for the pack, then at most one for each kind of fact the pack's rules need —
never more, whatever the number of rules, cycles, meetings or records.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property

from django.db.models import Q

from graduated.meetings.models import Meeting, MeetingKind, academic_year
from graduated.organisations.models import LocalAuthority
from graduated.provision.impact import Term, term_of
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Pupil, SENStatusPeriod
from graduated.rulepacks.models import LocalRule, RuleKind, RulePack, Step
from graduated.rulepacks.selectors import in_force
from graduated.statutory.models import PlanVersion
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, DeliveryStatus, EvidencePoint


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {"met": "Met", "not_met": "Not met", "not_applicable": "Not applicable"}[self.value]


@dataclass(frozen=True)
class RuleResult:
    rule: LocalRule
    pack: RulePack
    outcome: Outcome
    reason: str  # in words, with the figures

    @property
    def summary(self) -> str:
        return self.rule.summary(self.pack)

    @property
    def explanation(self) -> str:
        return self.rule.explanation

    @property
    def source(self) -> str:
        return self.rule.source_name

    @property
    def source_reference(self) -> str:
        return self.rule.source_reference

    @property
    def source_is_link(self) -> bool:
        return self.rule.source_reference.startswith(("https://", "http://"))

    @property
    def met(self) -> bool:
        return self.outcome == Outcome.MET


def day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def days(values: list[date]) -> str:
    """ "3 March and 9 June 2026": the year once when every date shares it."""
    if not values:
        return ""
    same_year = len({v.year for v in values}) == 1
    words = [f"{v.day} {v:%B}" if same_year else day(v) for v in values]
    if same_year:
        words[-1] = day(values[-1])
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _of(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Facts:
    """What the pupil's record shows on a day, each read once (one query), only when a rule asks for it."""

    def __init__(self, pupil: Pupil, on: date) -> None:
        self.pupil, self.on = pupil, on

    @cached_property
    def review_dates(self) -> list[date]:
        """The dates of the reviews that completed the pupil's APDR cycles, oldest first."""
        cycles = Cycle.objects.filter(pupil=self.pupil, status=CycleStatus.CLOSED, review__held_on__lte=self.on)
        return list(cycles.order_by("review__held_on", "number").values_list("review__held_on", flat=True))

    @cached_property
    def plan_versions(self) -> list[tuple[int, date]]:
        """(number, date agreed) of each My Support Plan version, oldest first."""
        versions = PlanVersion.objects.filter(plan__pupil=self.pupil, agreed_on__lte=self.on)
        return list(versions.order_by("number").values_list("number", "agreed_on"))

    @cached_property
    def parent_meeting_dates(self) -> list[date]:
        start, _ = academic_year(self.on)
        meetings = Meeting.objects.with_parents().filter(pupil=self.pupil, held_on__range=(start, self.on))
        return list(meetings.order_by("held_on").values_list("held_on", flat=True))

    @cached_property
    def pcp_meeting_dates(self) -> list[date]:
        meetings = Meeting.objects.filter(pupil=self.pupil, kind=MeetingKind.PERSON_CENTRED, held_on__lte=self.on)
        return list(meetings.order_by("held_on").values_list("held_on", flat=True))

    @cached_property
    def on_sen_support(self) -> bool:
        periods = SENStatusPeriod.objects.filter(pupil=self.pupil, start_date__lte=self.on)
        current = periods.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.on))
        return current.filter(status=SENProvision.SEN_SUPPORT).exists()

    @cached_property
    def specialists(self) -> list[tuple[str, date, str]]:
        """(service, date, what happened) for each referral that brought a specialist in, oldest first."""
        from graduated.specialists.models import Referral  # another app's: read only when a rule asks

        referrals = Referral.objects.filter(pupil=self.pupil).filter(
            Q(seen_on__lte=self.on) | Q(report_received_on__lte=self.on)
        )
        found: list[tuple[str, date, str]] = []
        for name, seen, report in referrals.values_list("service__name", "seen_on", "report_received_on"):
            if seen is not None and seen <= self.on:
                found.append((name, seen, "saw the pupil"))
            elif report is not None:  # the filter means the report came back by the day
                found.append((name, report, "sent a report"))
        return sorted(found, key=lambda row: row[1])

    @cached_property
    def terms(self) -> list[Term]:
        evidence = EvidencePoint.objects.filter(cycle__pupil=self.pupil, taken_on__lte=self.on)
        delivered = DeliveryRecord.objects.filter(
            provision__cycle__pupil=self.pupil, status=DeliveryStatus.DELIVERED, on__lte=self.on
        )
        # One query; the union drops days that appear in both.
        dates = (
            evidence.order_by()
            .values_list("taken_on", flat=True)
            .union(delivered.order_by().values_list("on", flat=True))
            .order_by()  # the union would take EvidencePoint's ordering, which names no column of it
        )
        return sorted({term_of(d) for d in dates})


def _cycles(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    reviewed, wanted = facts.review_dates, rule.parameter or 0
    if not reviewed:
        return Outcome.NOT_MET, f"No APDR cycle has been completed yet (0 of {wanted})."
    outcome = Outcome.MET if len(reviewed) >= wanted else Outcome.NOT_MET
    cycles = "APDR cycle" if wanted == 1 else "APDR cycles"
    return outcome, f"{len(reviewed)} of {wanted} {cycles} completed (reviewed {days(reviewed)})."


def _support_plan(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    versions = facts.plan_versions
    name = pack.person_centred_plan_name
    if not versions:
        return Outcome.NOT_MET, f"No {name} has been agreed."
    first = versions[0][1]
    latest_number, latest = versions[-1]
    if len(versions) == 1:
        return Outcome.MET, f"{name} agreed on {day(first)}."
    return Outcome.MET, f"{name} agreed on {day(first)}; version {latest_number} agreed on {day(latest)}."


def _parent_meetings(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    if not facts.on_sen_support:
        return Outcome.NOT_APPLICABLE, "Applies to pupils on SEN support; this pupil is not on SEN support now."
    held, wanted = facts.parent_meeting_dates, rule.parameter or 0
    start, _ = academic_year(facts.on)
    outcome = Outcome.MET if len(held) >= wanted else Outcome.NOT_MET
    when = f": {days(held)}" if held else ""
    return outcome, f"{len(held)} of {wanted} meetings with parents or carers since {day(start)}{when}."


def _pcp_meeting(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    held = facts.pcp_meeting_dates
    if not held:
        return Outcome.NOT_MET, "No person-centred planning meeting has been held."
    return Outcome.MET, f"{_of(len(held), 'person-centred planning meeting')} held: {days(held)}."


def _specialist(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    found = facts.specialists
    if not found:
        return Outcome.NOT_MET, "No specialist has seen the pupil or sent a report yet."
    parts = [f"{name} {what} on {day(when)}" for name, when, what in found]
    return Outcome.MET, "; ".join(parts) + "."


def _terms(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    terms, wanted = facts.terms, rule.parameter or 0
    if not terms:
        return Outcome.NOT_MET, f"No evidence or delivered sessions recorded yet (0 of {wanted} terms)."
    outcome = Outcome.MET if len(terms) >= wanted else Outcome.NOT_MET
    labels = ", ".join(term.label for term in terms)
    return outcome, f"Evidence in {len(terms)} of {wanted} {'term' if wanted == 1 else 'terms'} ({labels})."


def _reviewed_plans(rule: LocalRule, pack: RulePack, facts: _Facts) -> tuple[Outcome, str]:
    cycles = len(facts.review_dates)
    plan_reviews = max(len(facts.plan_versions) - 1, 0)
    total, wanted = cycles + plan_reviews, rule.parameter or 0
    outcome = Outcome.MET if total >= wanted else Outcome.NOT_MET
    plan_review = f"{pack.person_centred_plan_name} review"
    made_of = f"{_of(cycles, 'completed APDR cycle')} and {_of(plan_reviews, plan_review)}"
    return outcome, f"{total} of {wanted} reviewed plans: {made_of}."


CHECKS: dict[str, Callable[[LocalRule, RulePack, _Facts], tuple[Outcome, str]]] = {
    RuleKind.MIN_COMPLETED_CYCLES: _cycles,
    RuleKind.SUPPORT_PLAN_BEFORE_REQUEST: _support_plan,
    RuleKind.PARENT_MEETINGS_PER_YEAR: _parent_meetings,
    RuleKind.SPECIALIST_BEFORE_PCP: _specialist,
    RuleKind.EVIDENCE_TERMS: _terms,
    RuleKind.REVIEWED_PLANS_BEFORE_REQUEST: _reviewed_plans,
    RuleKind.PCP_MEETING_HELD: _pcp_meeting,
}


def pack_for(pupil: Pupil, on: date, local_authority: LocalAuthority | int | None = None) -> RulePack | None:
    """The pack whose rules apply: the pupil's home LA's (it decides a request), unless given."""
    la = local_authority if local_authority is not None else pupil.home_local_authority_id
    return in_force(la, on) if la is not None else None


def evaluate(pupil: Pupil, pack: RulePack | None, *, step: str, on: date) -> list[RuleResult]:
    """Each rule of ``pack`` that is checked before ``step``, in the pack's order."""
    if pack is None:
        return []
    facts = _Facts(pupil, on)
    results = []
    for rule in pack.rules.all():
        if rule.step == step:
            outcome, reason = CHECKS[rule.kind](rule, pack, facts)
            results.append(RuleResult(rule=rule, pack=pack, outcome=outcome, reason=reason))
    return results


def readiness(
    pupil: Pupil, *, step: str = Step.REQUEST, on: date, local_authority: LocalAuthority | int | None = None
) -> list[RuleResult]:
    """Each local rule checked before ``step``, met or not on ``on``, with its reason. Only reports."""
    return evaluate(pupil, pack_for(pupil, on, local_authority), step=step, on=on)
