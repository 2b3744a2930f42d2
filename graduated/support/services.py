"""Changes to a pupil's APDR cycles: start, assess, plan, agree. Each runs in one transaction and
writes one audit event; dated milestones also go on the pupil's chronology.

Every change to a cycle or its plan names the ``expected_version`` the person's form was built
from: the cycle row is locked, the version compared and raised (lib/versioning.py), so that of two
people saving the same cycle the later one is refused (``StaleEditError``) rather than silently
overwriting.
Delivery, acknowledgements and reviews are in ``delivery.py`` and ``reviews.py``.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import lock_for_edit, save_versioned
from graduated.organisations.models import Setting
from graduated.plans.models import SEN_SUPPORT_PLAN, PlanType
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.support import quality
from graduated.support.models import (
    CARRIED_JUDGEMENTS,
    CARRIED_RATINGS,
    MAX_OUTCOMES,
    Cycle,
    CycleStatus,
    EvidencePoint,
    Outcome,
    Provision,
)

OUTCOME_FIELDS = ["description", "measure", "baseline", "target", "by_when", "area"]
PROVISION_FIELDS = [
    "catalogue_item", "group", "staff_role", "kind", "description", "delivered_by", "delivered_by_role", "location",
    "sessions_per_week", "minutes_per_session", "group_size", "starts_on", "ends_on", "expected_impact",
]  # fmt: skip
ASSESSMENT_FIELDS = ["analysis_by_area", "parents_views", "pupil_views", "advice_received"]
EVIDENCE_FIELDS = ["taken_on", "kind", "name", "score", "unit", "expected_for_age", "note"]


def _bump(cycle: Cycle, **changes: Any) -> None:
    """Save ``changes`` to the cycle, locked by ``lock_for_edit``, with its next version."""
    for name, value in changes.items():
        setattr(cycle, name, value)
    save_versioned(cycle, update_fields=changes)


def _require_open(cycle: Cycle) -> None:
    if not cycle.is_open:
        raise ValidationError("This cycle has been reviewed and closed: it can no longer be changed.")


@transaction.atomic
def start_cycle(*, actor: Actor, pupil: Pupil, setting: Setting, started_on: date) -> Cycle:
    """Start the pupil's next cycle, pre-filled from the review of the one before.

    Outcomes rated partly or not achieved carry forward (linked by ``carried_from``), and provision
    judged to continue or be adapted is copied, so the SENCO revises rather than retypes.
    """
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # serialise cycle numbering
    cycles = Cycle.objects.filter(pupil=pupil)
    if cycles.exclude(status=CycleStatus.CLOSED).exists():
        raise ValidationError("This pupil already has a cycle in progress. Review it before starting another.")
    previous = cycles.select_related("review").order_by("-number").first()
    if previous is not None and started_on < previous.started_on:
        started = f"{previous.started_on:%-d %B %Y}"
        raise ValidationError({"started_on": f"The start date must be on or after the previous cycle's ({started})."})
    number = (cycles.aggregate(last=Max("number"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                pupil=pupil, setting=setting, number=number, previous=previous, started_on=started_on,
                started_by=actor.user, **_plan_kind(previous),
            )  # fmt: skip
    except IntegrityError as error:  # another person started one a moment ago
        raise ValidationError("This pupil already has a cycle in progress.") from error
    carried = _carry_forward(previous, cycle) if previous is not None else 0
    if carried:
        cycle.status = CycleStatus.PLAN
        cycle.save(update_fields=["status"])
    summary = f"Cycle {number} of SEN support started"
    if carried:
        summary += f", continuing {carried} outcome{'s' if carried != 1 else ''} from cycle {previous.number}"  # type: ignore[union-attr]
    add_to_chronology(pupil, actor, ChronologyKind.CYCLE_STARTED, started_on, summary)
    quality.refresh(cycle)
    record(actor, AuditAction.CREATE, obj=cycle, pupil_id=pupil.pk, changed_fields=["number", "started_on"])
    return cycle


def _plan_kind(previous: Cycle | None) -> dict[str, Any]:
    """A new cycle continues the previous one's plan type and tier; a first one is a SEN support plan."""
    if previous is not None and previous.plan_type_id is not None:
        return {"plan_type_id": previous.plan_type_id, "tier_id": previous.tier_id}
    default = PlanType.objects.filter(key=SEN_SUPPORT_PLAN).values_list("pk", flat=True).first()
    return {"plan_type_id": default, "tier_id": previous.tier_id if previous else None}


def _carry_forward(previous: Cycle, cycle: Cycle) -> int:
    outcomes = list(
        previous.outcomes.filter(outcome_review__rating__in=CARRIED_RATINGS).select_related("outcome_review")
    )
    Outcome.objects.bulk_create(
        Outcome(
            cycle=cycle, position=position, carried_from=old,
            **{name: getattr(old, name) for name in OUTCOME_FIELDS if name != "baseline"},
            # Where the pupil is now is the new starting point, when the review measured it.
            baseline=old.outcome_review.measure_now or old.baseline,
        )
        for position, old in enumerate(outcomes, start=1)
    )  # fmt: skip
    provisions = previous.provisions.filter(provision_review__judgement__in=CARRIED_JUDGEMENTS)
    copied = {"delivered_by", "catalogue_item", "group", "starts_on", "ends_on"}  # ids copied below, no reads
    new_provisions = Provision.objects.bulk_create(
        Provision(
            cycle=cycle, carried_from=old,
            **{name: getattr(old, name) for name in PROVISION_FIELDS if name not in copied},
            delivered_by_id=old.delivered_by_id, catalogue_item_id=old.catalogue_item_id, group_id=old.group_id,
            starts_on=cycle.started_on,
        )
        for old in provisions
    )  # fmt: skip
    # A carried provision keeps working towards the carried outcomes its old self worked towards.
    new_outcome_for = {outcome.carried_from_id: outcome.pk for outcome in Outcome.objects.filter(cycle=cycle)}
    new_provision_for = {p.carried_from_id: p.pk for p in new_provisions}
    link = Provision.outcomes.through
    link.objects.bulk_create(
        link(provision_id=new_provision_for[was.provision_id], outcome_id=new_outcome_for[was.outcome_id])
        for was in link.objects.filter(provision_id__in=new_provision_for)
        if was.outcome_id in new_outcome_for
    )
    return len(outcomes)


@transaction.atomic
def update_assessment(*, actor: Actor, cycle: Cycle, changes: Mapping[str, Any], expected_version: int) -> Cycle:
    cycle = lock_for_edit(cycle, expected_version)
    _require_open(cycle)
    _bump(cycle, **changes)
    quality.refresh(cycle)
    record(actor, AuditAction.CHANGE, obj=cycle, pupil_id=cycle.pupil_id, changed_fields=changes.keys())
    return cycle


@transaction.atomic
def add_evidence(*, actor: Actor, cycle: Cycle, data: Mapping[str, Any], expected_version: int) -> EvidencePoint:
    cycle = lock_for_edit(cycle, expected_version)
    _require_open(cycle)
    point = EvidencePoint.objects.create(cycle=cycle, **data)
    _bump(cycle)
    record(actor, AuditAction.CREATE, obj=point, pupil_id=cycle.pupil_id, changed_fields=data.keys())
    return point


@transaction.atomic
def remove_evidence(*, actor: Actor, point: EvidencePoint) -> None:
    cycle = lock_for_edit(point.cycle, None)
    _require_open(cycle)
    record(actor, AuditAction.DELETE, obj=point, pupil_id=cycle.pupil_id)
    point.delete()
    _bump(cycle)


@transaction.atomic
def save_outcome(
    *, actor: Actor, cycle: Cycle, data: Mapping[str, Any], expected_version: int, outcome: Outcome | None = None
) -> Outcome:
    """Add an outcome (at most ``MAX_OUTCOMES`` a cycle), or change ``outcome``."""
    cycle = lock_for_edit(cycle, expected_version)
    _require_open(cycle)
    if outcome is None:
        positions = list(cycle.outcomes.values_list("position", flat=True))
        if len(positions) >= MAX_OUTCOMES:
            raise ValidationError(
                f"A cycle can have at most {MAX_OUTCOMES} outcomes. Remove or combine one before adding another: "
                "three or four well-chosen outcomes usually work best."
            )
        free = min(set(range(1, MAX_OUTCOMES + 1)) - set(positions))
        outcome = Outcome.objects.create(cycle=cycle, position=free, **data)
        action = AuditAction.CREATE
    else:
        for name, value in data.items():
            setattr(outcome, name, value)
        outcome.save(update_fields=list(data))
        action = AuditAction.CHANGE
    if cycle.status == CycleStatus.ASSESS:
        _bump(cycle, status=CycleStatus.PLAN)
    else:
        _bump(cycle)
    if action == AuditAction.CREATE and cycle.plan_agreed:
        # A new aim in a plan the parents already agreed is news for them (graduated/family_notices).
        add_to_chronology(
            cycle.pupil, actor, ChronologyKind.OUTCOME_ADDED, timezone.localdate(),
            f"Outcome added to the agreed plan of cycle {cycle.number}: {outcome.description}",
        )  # fmt: skip
    quality.refresh(cycle)
    record(actor, action, obj=outcome, pupil_id=cycle.pupil_id, changed_fields=data.keys())
    return outcome


@transaction.atomic
def remove_outcome(*, actor: Actor, outcome: Outcome, expected_version: int | None = None) -> None:
    cycle = lock_for_edit(outcome.cycle, expected_version)
    _require_open(cycle)
    if cycle.plan_agreed and cycle.outcomes.count() == 1:
        raise ValidationError("An agreed plan needs at least one outcome. Add another before removing this one.")
    record(actor, AuditAction.DELETE, obj=outcome, pupil_id=cycle.pupil_id)
    outcome.delete()
    _bump(cycle)
    quality.refresh(cycle)


@transaction.atomic
def save_provision(
    *, actor: Actor, cycle: Cycle, data: Mapping[str, Any], expected_version: int, provision: Provision | None = None
) -> Provision:
    cycle = lock_for_edit(cycle, expected_version)
    _require_open(cycle)
    fields = dict(data)
    outcomes = fields.pop("outcomes", None)  # the outcomes it works towards, when the form offered them
    if outcomes is not None and any(outcome.cycle_id != cycle.pk for outcome in outcomes):
        raise ValidationError("Provision can work towards this cycle's outcomes only.")
    if provision is None:
        provision = Provision.objects.create(cycle=cycle, **fields)
        action = AuditAction.CREATE
    else:
        for name, value in fields.items():
            setattr(provision, name, value)
        provision.save(update_fields=list(fields))
        action = AuditAction.CHANGE
    if outcomes is not None:
        provision.outcomes.set(outcomes)
    _bump(cycle)
    quality.refresh(cycle)
    record(actor, action, obj=provision, pupil_id=cycle.pupil_id, changed_fields=data.keys())
    return provision


@transaction.atomic
def remove_provision(*, actor: Actor, provision: Provision, expected_version: int | None = None) -> None:
    cycle = lock_for_edit(provision.cycle, expected_version)
    _require_open(cycle)
    if provision.deliveries.exists():
        raise ValidationError(
            "Sessions of this provision have been recorded, so it stays on the record. Set an end date instead."
        )
    record(actor, AuditAction.DELETE, obj=provision, pupil_id=cycle.pupil_id)
    provision.delete()
    _bump(cycle)
    quality.refresh(cycle)


@transaction.atomic
def agree_plan(
    *,
    actor: Actor,
    cycle: Cycle,
    plan_agreed_on: date,
    review_date: date,
    parents_notified_on: date,
    parents_notified_how: str,
    expected_version: int,
) -> Cycle:
    """Agree the plan with the parents: the cycle moves to Do, and the parents' notification
    (a statutory duty when SEN provision is made) goes on the chronology."""
    cycle = lock_for_edit(cycle, expected_version)
    if cycle.status not in (CycleStatus.ASSESS, CycleStatus.PLAN):
        raise ValidationError("This plan has already been agreed.")
    if not cycle.outcomes.exists():
        raise ValidationError("Add at least one outcome before agreeing the plan.")
    if plan_agreed_on < cycle.started_on:
        raise ValidationError({"plan_agreed_on": "The plan must be agreed on or after the day the cycle started."})
    if review_date < plan_agreed_on:  # the same day is allowed: a plan may be reviewed as soon as it is agreed
        raise ValidationError({"review_date": "The review date cannot be before the date the plan was agreed."})
    changes = {
        "plan_agreed_on": plan_agreed_on, "review_date": review_date, "parents_notified_on": parents_notified_on,
        "parents_notified_how": parents_notified_how, "status": CycleStatus.DO,
    }  # fmt: skip
    _bump(cycle, **changes)
    quality.refresh(cycle)  # the review date now bounds each outcome's date
    add_to_chronology(
        cycle.pupil, actor, ChronologyKind.PLAN_AGREED, plan_agreed_on,
        f"Cycle {cycle.number} plan agreed; review on {review_date:%-d %B %Y}",
    )  # fmt: skip
    add_to_chronology(
        cycle.pupil, actor, ChronologyKind.PARENTS_NOTIFIED, parents_notified_on,
        f"Parents told of the cycle {cycle.number} plan ({cycle.get_parents_notified_how_display().lower()})",
    )  # fmt: skip
    record(actor, AuditAction.CHANGE, obj=cycle, pupil_id=cycle.pupil_id, changed_fields=changes.keys())
    return cycle
