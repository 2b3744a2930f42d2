"""Plan-quality checks for a cycle: advice shown as the SENCO writes, never a block.

The Code asks for SMART outcomes and a clear thread from the needs assessed to the outcomes, the
provision that works towards them and their review (domain.md §3). ``check`` is a pure function of
what the cycle page already loads (outcomes with their reviews, provision with its outcomes and
catalogue item): it runs no query. Each ``Finding`` names what it is about, why it matters and how
to fix it. Nothing here stops a save or a plan being agreed.

The heuristics are deliberately simple:

* **measurable**: an outcome has a measure, a baseline, a target and a date;
* **specific**: its description has at least ``MIN_DESCRIPTION_WORDS`` words, and does not rest
  on a vague verb ("improve", "better", "work on", …, ``VAGUE_PHRASES``) without a measure;
* **achievable**: its date is not after the cycle's review date, nor before the day the plan was
  agreed (before today while the plan is not yet agreed);
* **provision**: says how often (sessions a week), for how long (minutes), who delivers it (a
  person or a role; the catalogue item's values count), and which outcome it works towards;
* **golden thread**: every area with an outcome was assessed, every assessed area has an outcome,
  every outcome has provision, and once reviewed every outcome has its review.

``refresh(cycle)`` stores an open cycle's findings as counts (``QualityFinding``), one row per
check it fails, in the transaction of the change, so that the LA's figures are grouped counts;
``rebuild_all()`` (``graduated manage rebuild_plan_quality``) recomputes every open cycle.
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from graduated.pupils.codes import BroadArea
from graduated.support.models import (
    Cycle,
    CycleStatus,
    Outcome,
    OutcomeReview,
    Provision,
    QualityCheck,
    QualityFinding,
    Review,
)

MIN_DESCRIPTION_WORDS = 5
VAGUE_PHRASES = ("improve", "better", "work on", "work towards", "develop", "increase", "more confident")
_VAGUE = re.compile(r"\b(" + "|".join(re.escape(p) for p in VAGUE_PHRASES) + r")", re.IGNORECASE)
_AREA_LABELS = dict(BroadArea.choices)


@dataclass(frozen=True)
class Finding:
    """One check a plan fails: what it is about, what is wrong, why it matters and how to fix it.

    ``outcome_id``/``provision_id``/``area`` say where the fix is made (the page links there)."""

    check: QualityCheck
    subject: str
    problem: str
    why: str
    fix: str
    outcome_id: int | None = None
    provision_id: int | None = None
    area: str = ""

    @property
    def title(self) -> str:
        return self.check.label


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _outcome_subject(outcome: Outcome) -> str:
    return f"Outcome {outcome.position}"


def _provision_subject(provision: Provision) -> str:
    text = provision.description.strip()
    return f"Provision: {text[:60]}{'…' if len(text) > 60 else ''}"


def _check_outcome(cycle: Cycle, outcome: Outcome, today: date) -> list[Finding]:
    found = []
    subject = _outcome_subject(outcome)
    parts = {"measure": outcome.measure, "baseline": outcome.baseline, "target": outcome.target,
             "date": outcome.by_when}  # fmt: skip
    missing = [name for name, value in parts.items() if _blank(value)]
    if missing:
        found.append(Finding(
            QualityCheck.OUTCOME_MEASURABLE, subject, f"It has no {_join(missing)}.",
            "Without a starting point, a target, a measure and a date, nobody can tell at the review whether "
            "the outcome was achieved.",
            f"Change the outcome and add the {_join(missing, 'and')}: where the pupil is now, where they should be, "
            "how you will know and by when.",
            outcome_id=outcome.pk,
        ))  # fmt: skip
    words = len(outcome.description.split())
    vague = _VAGUE.search(outcome.description)
    if words < MIN_DESCRIPTION_WORDS or (vague and _blank(outcome.measure)):
        problem = (
            f"“{outcome.description.strip()}” is too short to say what will be achieved."
            if words < MIN_DESCRIPTION_WORDS
            else f"It says “{vague.group(1).lower()}” without a measure."  # type: ignore[union-attr]
        )
        found.append(Finding(
            QualityCheck.OUTCOME_SPECIFIC, subject, problem,
            "A specific outcome says exactly what the pupil will be able to do, so the pupil, parents and staff "
            "share one picture of success.",
            "Describe what the pupil will do, in a sentence parents would use: for example “Reads 40 of the "
            "Year 1 common exception words aloud”, and say how it will be measured.",
            outcome_id=outcome.pk,
        ))  # fmt: skip
    if outcome.by_when is not None:
        agreed = cycle.plan_agreed_on
        if cycle.review_date and outcome.by_when > cycle.review_date:
            found.append(Finding(
                QualityCheck.OUTCOME_ACHIEVABLE, subject,
                f"Its date ({outcome.by_when:%-d %B %Y}) is after the review ({cycle.review_date:%-d %B %Y}).",
                "An outcome due after the review cannot be judged at it: the review would rate it too early.",
                "Bring the date forward to the review date or before, or break the outcome into a step that can "
                "be reached by then.",
                outcome_id=outcome.pk,
            ))  # fmt: skip
        elif outcome.by_when < (agreed or today):
            when = "the plan was agreed" if agreed else "today"
            found.append(Finding(
                QualityCheck.OUTCOME_ACHIEVABLE, subject,
                f"Its date ({outcome.by_when:%-d %B %Y}) is before {when}.",
                "An outcome already due when the plan is agreed leaves no time to work towards it.",
                "Set a date between the day the plan is agreed and the review date.",
                outcome_id=outcome.pk,
            ))  # fmt: skip
    return found


def _join(items: Sequence[str], last: str = "or") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _check_provision(provision: Provision, outcome_ids: set[int]) -> list[Finding]:
    found = []
    subject = _provision_subject(provision)
    item = provision.catalogue_item
    if not (provision.sessions_per_week or (item and item.sessions_per_week)):
        found.append(Finding(
            QualityCheck.PROVISION_FREQUENCY, subject, "It does not say how many sessions a week.",
            "Parents and staff need to know how often support happens, and the record of sessions is measured "
            "against it.",
            "Change the provision and enter the sessions a week.", provision_id=provision.pk,
        ))  # fmt: skip
    if not (provision.minutes_per_session or (item and item.minutes_per_session)):
        found.append(Finding(
            QualityCheck.PROVISION_LENGTH, subject, "It does not say how long each session lasts.",
            "How long support lasts is part of what was agreed, and what it costs.",
            "Change the provision and enter the minutes a session.", provision_id=provision.pk,
        ))  # fmt: skip
    if not (provision.delivered_by_id or provision.delivered_by_role.strip() or (item and item.delivered_by_role)):
        found.append(Finding(
            QualityCheck.PROVISION_WHO, subject, "It does not say who delivers it.",
            "Support that nobody is named to deliver is easily missed.",
            "Change the provision and choose the member of staff, or enter the role (for example, class teacher).",
            provision_id=provision.pk,
        ))  # fmt: skip
    if not outcome_ids:
        found.append(Finding(
            QualityCheck.PROVISION_LINKED, subject, "It is not linked to any outcome.",
            "Provision should work towards an outcome: that is how its impact is judged at the review.",
            "Change the provision and tick the outcomes it works towards.", provision_id=provision.pk,
        ))  # fmt: skip
    return found


def outcome_reviews_of(outcomes: Iterable[Outcome]) -> dict[int, OutcomeReview]:
    """Each outcome's review, read from what ``select_related("outcome_review")`` loaded (no query)."""
    reviews = {}
    for outcome in outcomes:
        try:
            reviews[outcome.pk] = outcome.outcome_review
        except ObjectDoesNotExist:
            continue
    return reviews


def check(
    cycle: Cycle,
    outcomes: Sequence[Outcome],
    provisions: Sequence[Provision],
    review: Review | None = None,
    *,
    outcome_reviews: dict[int, OutcomeReview] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Every finding for the cycle's plan, in the order the page shows the plan: outcomes,
    provision, then the golden thread. ``provisions`` must have ``outcomes`` prefetched (and
    ``catalogue_item`` selected); ``outcome_reviews`` (outcome id -> its review) is read from the
    outcomes when not given. No query is run."""
    today = today or timezone.localdate()
    found: list[Finding] = []
    for outcome in outcomes:
        found += _check_outcome(cycle, outcome, today)
    linked: set[int] = set()
    for provision in provisions:
        ids = {o.pk for o in provision.outcomes.all()}
        linked |= ids
        found += _check_provision(provision, ids)
    assessed = {code for code, text in (cycle.analysis_by_area or {}).items() if str(text).strip()}
    outcome_areas = {outcome.area for outcome in outcomes}
    for area in BroadArea:
        label = _AREA_LABELS[area.value]
        if area.value in outcome_areas and area.value not in assessed:
            found.append(Finding(
                QualityCheck.AREA_ASSESSED, label, f"There is an outcome for {label.lower()}, but no analysis of "
                "this area in the assessment.",
                "Outcomes should follow from the needs assessed: the assessment is the evidence for them.",
                f"Change the assessment and write the analysis of {label.lower()}, or move the outcome to an area "
                "that was assessed.",
                area=area.value,
            ))  # fmt: skip
        if area.value in assessed and area.value not in outcome_areas:
            found.append(Finding(
                QualityCheck.AREA_HAS_OUTCOME, label, f"{label} was assessed, but no outcome addresses it.",
                "A need found in the assessment and not planned for is a gap in the golden thread.",
                f"Add an outcome for {label.lower()}, or say in the assessment why it is not a priority now.",
                area=area.value,
            ))  # fmt: skip
    for outcome in outcomes:
        if outcome.pk not in linked:
            found.append(Finding(
                QualityCheck.OUTCOME_HAS_PROVISION, _outcome_subject(outcome), "No provision works towards it.",
                "An outcome without support planned for it relies on chance.",
                "Add provision for it, or change existing provision and tick this outcome.", outcome_id=outcome.pk,
            ))  # fmt: skip
    if review is not None:
        reviews = outcome_reviews if outcome_reviews is not None else outcome_reviews_of(outcomes)
        for outcome in outcomes:
            if outcome.pk not in reviews:
                found.append(Finding(
                    QualityCheck.OUTCOME_REVIEWED, _outcome_subject(outcome), "The review did not rate it.",
                    "Every outcome's progress is judged at the review: it feeds the next cycle's assessment.",
                    "Record the outcome's rating in the next cycle's assessment.", outcome_id=outcome.pk,
                ))  # fmt: skip
    return found


def outcome_findings(cycle: Cycle, outcome: Outcome, today: date | None = None) -> list[Finding]:
    """The checks of one outcome on its own (measurable, specific, achievable), for its page."""
    return _check_outcome(cycle, outcome, today or timezone.localdate())


def summary(findings: Iterable[Finding]) -> Counter[str]:
    """How many times each check fails."""
    return Counter(finding.check.value for finding in findings)


# -- Stored findings, for the LA's figures -----------------------------------------------------------

_OUTCOMES = Prefetch("outcomes", queryset=Outcome.objects.select_related("outcome_review"))
_PROVISIONS = Prefetch(
    "provisions", queryset=Provision.objects.select_related("catalogue_item").prefetch_related("outcomes")
)


def _store(cycles: Sequence[Cycle], findings_of: dict[int, list[Finding]]) -> None:
    QualityFinding.objects.filter(cycle__in=[c.pk for c in cycles]).delete()
    QualityFinding.objects.bulk_create(
        QualityFinding(cycle_id=cycle.pk, setting_id=cycle.setting_id, check_code=code, count=min(n, 32767))
        for cycle in cycles
        for code, n in sorted(summary(findings_of.get(cycle.pk, [])).items())
    )


def _findings(cycle: Cycle, today: date) -> list[Finding]:
    """Open cycles only: the LA counts open plans, and a closed one's findings no longer change."""
    if cycle.status == CycleStatus.CLOSED:
        return []
    outcomes = list(cycle.outcomes.all())
    return check(cycle, outcomes, list(cycle.provisions.all()), None, today=today)


def refresh(cycle: Cycle) -> None:
    """Store ``cycle``'s findings afresh: call it in the transaction that changed the plan."""
    fresh = Cycle.objects.prefetch_related(_OUTCOMES, _PROVISIONS).get(pk=cycle.pk)
    _store([fresh], {fresh.pk: _findings(fresh, timezone.localdate())})


def rebuild_all(*, batch: int = 500) -> int:
    """Recompute the stored findings of every cycle (dates move on: run nightly). Returns the
    number of open cycles checked."""
    today = timezone.localdate()
    QualityFinding.objects.exclude(cycle__status__in=_OPEN).delete()
    ids = list(Cycle.objects.filter(status__in=_OPEN).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            cycles = list(
                Cycle.objects.filter(pk__in=ids[start : start + batch]).prefetch_related(_OUTCOMES, _PROVISIONS)
            )
            _store(cycles, {cycle.pk: _findings(cycle, today) for cycle in cycles})
    return len(ids)


_OPEN = [status for status in CycleStatus.values if status != CycleStatus.CLOSED]
