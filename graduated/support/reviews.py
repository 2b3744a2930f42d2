"""The Do and Review stages: logging sessions, reading the plan, and the review that closes a cycle."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import lock_for_edit, save_versioned
from graduated.pupils.models import ChronologyKind
from graduated.pupils.services import add_to_chronology
from graduated.support import quality
from graduated.support.models import (
    Cycle,
    CycleStatus,
    DeliveryRecord,
    DeliveryStatus,
    OutcomeReview,
    PlanAcknowledgement,
    Provision,
    ProvisionReview,
    Review,
)


@transaction.atomic
def log_delivery(
    *, actor: Actor, provision: Provision, on: date, status: str, missed_reason: str = "", note: str = ""
) -> tuple[DeliveryRecord, bool]:
    """Record one day's session. A second record for the same day corrects the first rather than
    adding another, so a double submit never counts a session twice. Returns (record, changed)."""
    cycle = Cycle.objects.get(pk=provision.cycle_id)  # fresh: the plan may have been reviewed since the form
    if cycle.status != CycleStatus.DO:
        raise ValidationError("Sessions can be recorded once the plan is agreed and until the cycle is reviewed.")
    if on < cycle.started_on:
        raise ValidationError({"on": f"The date must be on or after the cycle started ({cycle.started_on:%-d %B %Y})."})
    if provision.starts_on and on < provision.starts_on:
        raise ValidationError({"on": f"This provision starts on {provision.starts_on:%-d %B %Y}."})
    if provision.ends_on and on > provision.ends_on:
        raise ValidationError({"on": f"This provision ended on {provision.ends_on:%-d %B %Y}."})
    values = {
        "status": status, "missed_reason": missed_reason if status == DeliveryStatus.MISSED else "", "note": note,
    }  # fmt: skip
    existing = DeliveryRecord.objects.select_for_update().filter(provision=provision, on=on).first()
    if existing is not None:
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if not changed:
            return existing, False
        for name in changed:
            setattr(existing, name, values[name])
        existing.recorded_by = actor.user
        existing.recorded_at = timezone.now()
        existing.save()
        record(actor, AuditAction.CHANGE, obj=existing, pupil_id=cycle.pupil_id, changed_fields=changed)
        return existing, True
    try:
        with transaction.atomic():
            delivery = DeliveryRecord.objects.create(provision=provision, on=on, recorded_by=actor.user, **values)
    except IntegrityError:  # the same session posted twice at once: the first one stands
        return DeliveryRecord.objects.get(provision=provision, on=on), False
    record(actor, AuditAction.CREATE, obj=delivery, pupil_id=cycle.pupil_id, changed_fields=["on", *values])
    return delivery, True


@transaction.atomic
def acknowledge_plan(*, actor: Actor, cycle: Cycle) -> tuple[PlanAcknowledgement, bool]:
    if actor.user is None:
        raise ValueError("Only a person can say they have read a plan.")
    if not cycle.plan_agreed:
        raise ValidationError("This plan has not been agreed yet.")
    acknowledgement, created = PlanAcknowledgement.objects.get_or_create(cycle=cycle, user=actor.user)
    if created:
        record(actor, AuditAction.CREATE, obj=acknowledgement, pupil_id=cycle.pupil_id, changed_fields=["user"])
    return acknowledgement, created


@transaction.atomic
def record_review(
    *,
    actor: Actor,
    cycle: Cycle,
    review: Mapping[str, Any],
    outcome_ratings: Mapping[int, Mapping[str, Any]],
    provision_judgements: Mapping[int, Mapping[str, Any]],
    expected_version: int,
) -> Review:
    """Review the cycle and close it. ``review`` holds held_on, the views, decision and notes;
    ``outcome_ratings`` maps each outcome's id to rating, evidence and measure_now, and
    ``provision_judgements`` each provision's id to judgement and note: every one must be there."""
    cycle = lock_for_edit(cycle, expected_version)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError("This cycle has already been reviewed.")
    if cycle.status != CycleStatus.DO or cycle.review_date is None:
        raise ValidationError("Agree the plan before reviewing it.")
    held_on: date = review["held_on"]
    if cycle.plan_agreed_on is not None and held_on < cycle.plan_agreed_on:
        raise ValidationError(
            {"held_on": f"The review cannot be before the plan was agreed ({cycle.plan_agreed_on:%-d %B %Y})."}
        )
    if held_on < cycle.review_date and not review.get("early_reason", "").strip():
        agreed_date = f"{cycle.review_date:%-d %B %Y}"
        raise ValidationError(
            {"early_reason": f"Say why the review is held before the agreed review date ({agreed_date})."}
        )
    if held_on >= cycle.review_date:
        review = {**review, "early_reason": ""}  # held on time: nothing to explain
    outcome_ids = set(cycle.outcomes.values_list("pk", flat=True))
    provision_ids = set(cycle.provisions.values_list("pk", flat=True))
    if set(outcome_ratings) != outcome_ids or set(provision_judgements) != provision_ids:
        raise ValidationError("Rate every outcome and judge every provision: the plan changed while you were typing.")
    saved = Review.objects.create(cycle=cycle, recorded_by=actor.user, **review)
    OutcomeReview.objects.bulk_create(
        OutcomeReview(review=saved, outcome_id=pk, **values) for pk, values in sorted(outcome_ratings.items())
    )
    ProvisionReview.objects.bulk_create(
        ProvisionReview(review=saved, provision_id=pk, **values) for pk, values in sorted(provision_judgements.items())
    )
    cycle.status = CycleStatus.CLOSED
    save_versioned(cycle, update_fields=["status"])
    quality.refresh(cycle)  # closed: its stored findings go, as the LA counts open plans only
    add_to_chronology(
        cycle.pupil, actor, ChronologyKind.REVIEW_RECORDED, held_on,
        f"Cycle {cycle.number} reviewed: {saved.get_decision_display().lower()}",
    )  # fmt: skip
    record(actor, AuditAction.CREATE, obj=saved, pupil_id=cycle.pupil_id, changed_fields=review.keys())
    return saved
