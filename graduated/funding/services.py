"""Changes to funding records: write a top-up draft, submit it with its costed provision map,
record the LA's decision, record an early years award. Each runs in one transaction and writes one
audit event.

Nothing here goes on the pupil's chronology: the chronology has no kind for funding yet (adding
one is a change to ``pupils.ChronologyKind`` and its migration).

An application's row is locked and its version compared before every change, so that of two
people saving the same draft the later one is refused (``StaleEditError``, lib/versioning.py)
rather than silently overwriting the first.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.funding.models import ApplicationStatus, FundingAward, TopUpApplication
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import check_version, lock_for_edit, save_versioned
from graduated.organisations.models import Setting
from graduated.provision.costs import money, pupil_costed_provisions
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology

DRAFT_FIELDS = ["period_from", "period_to", "amount_requested", "case_for_funding"]
AWARD_FIELDS = ["kind", "amount", "period_from", "period_to", "awarded_on", "note"]


class FundingError(ServiceError):
    """A change to funding the rules refuse; ``message`` says why."""


def _check_period(details: Mapping[str, Any]) -> None:
    if details["period_to"] < details["period_from"]:
        raise FundingError("The end of the period must be the same as or after its start.")


@transaction.atomic
def create_draft(*, actor: Actor, pupil: Pupil, setting: Setting, details: Mapping[str, Any]) -> TopUpApplication:
    _check_period(details)
    application = TopUpApplication.objects.create(
        pupil=pupil, setting=setting, created_by=actor.user, **{name: details[name] for name in DRAFT_FIELDS}
    )
    record(actor, AuditAction.CREATE, obj=application, pupil_id=pupil.pk, changed_fields=DRAFT_FIELDS)
    return application


@transaction.atomic
def update_draft(
    *, actor: Actor, application: TopUpApplication, details: Mapping[str, Any], expected_version: int
) -> TopUpApplication:
    application = lock_for_edit(application, expected_version)
    if not application.is_draft:
        raise FundingError("This application has been submitted to the local authority: it can no longer be changed.")
    _check_period(details)
    changed = [name for name in DRAFT_FIELDS if getattr(application, name) != details[name]]
    for name in DRAFT_FIELDS:
        setattr(application, name, details[name])
    save_versioned(application, update_fields=DRAFT_FIELDS)
    record(actor, AuditAction.CHANGE, obj=application, pupil_id=application.pupil_id, changed_fields=changed)
    return application


def map_snapshot(pupil: Pupil, period: tuple[date, date]) -> tuple[list[dict[str, str]], Decimal]:
    """The pupil's costed provision map for the period, as the lines stored on a submitted application."""
    costs = pupil_costed_provisions(pupil, period)
    lines = [
        {"description": line.description, "arithmetic": line.arithmetic, "total": str(line.total)}
        for _, line in costs.lines
    ]
    return lines, costs.total


@transaction.atomic
def submit_application(
    *, actor: Actor, application: TopUpApplication, expected_version: int, submitted_on: date
) -> bool:
    """Send a draft to the LA with its costed provision map attached. Submitting what has already
    been submitted (a second click, a form resent) changes nothing: returns False."""
    application = lock_for_edit(application)
    if not application.is_draft:
        return False
    check_version(application, expected_version)
    lines, total = map_snapshot(application.pupil, application.period)
    application.map_snapshot, application.map_total = lines, total
    application.status, application.submitted_on = ApplicationStatus.SUBMITTED, submitted_on
    save_versioned(application, update_fields=["map_snapshot", "map_total", "status", "submitted_on"])
    record(
        actor, AuditAction.CHANGE, obj=application, pupil_id=application.pupil_id,
        changed_fields=["status", "submitted_on", "map_snapshot", "map_total"],
        description=f"Top-up application submitted for {money(application.amount_requested)}, map total {money(total)}",
    )  # fmt: skip
    add_to_chronology(
        application.pupil, actor, ChronologyKind.TOP_UP_SUBMITTED, submitted_on,
        f"Element 3 top-up of {money(application.amount_requested)} requested from the local authority",
    )  # fmt: skip
    return True


@transaction.atomic
def record_decision(
    *,
    actor: Actor,
    application: TopUpApplication,
    approved: bool,
    decided_on: date,
    amount_approved: Decimal | None,
    note: str,
    expected_version: int,
) -> TopUpApplication:
    """The LA's answer: approved with an amount, or declined (with its reason). Only once, and
    only for a submitted application."""
    application = lock_for_edit(application, expected_version)
    if application.status != ApplicationStatus.SUBMITTED:
        if application.is_draft:
            raise FundingError("Submit the application before recording the local authority's decision.")
        raise FundingError(f"The decision has already been recorded: {application.get_status_display().lower()}.")
    assert application.submitted_on is not None  # a constraint of submitted applications
    if decided_on < application.submitted_on:
        raise FundingError(
            f"The decision date must be on or after the date it was submitted ({application.submitted_on:%-d %B %Y})."
        )
    if approved and amount_approved is None:
        raise FundingError("Enter the amount the local authority approved.")
    if not approved and not note.strip():
        raise FundingError("Enter the reason the local authority gave for declining.")
    application.status = ApplicationStatus.APPROVED if approved else ApplicationStatus.DECLINED
    application.decided_on = decided_on
    application.amount_approved = amount_approved if approved else None
    application.decision_note = note.strip()
    fields = ["status", "decided_on", "amount_approved", "decision_note"]
    save_versioned(application, update_fields=fields)
    record(actor, AuditAction.CHANGE, obj=application, pupil_id=application.pupil_id, changed_fields=fields)
    outcome = f"approved: {money(amount_approved)}" if amount_approved is not None else "declined"
    add_to_chronology(
        application.pupil, actor, ChronologyKind.TOP_UP_DECIDED, decided_on, f"Element 3 top-up request {outcome}"
    )
    return application


@transaction.atomic
def record_award(*, actor: Actor, pupil: Pupil, setting: Setting, details: Mapping[str, Any]) -> FundingAward:
    _check_period(details)
    award = FundingAward.objects.create(
        pupil=pupil, setting=setting, recorded_by=actor.user, **{name: details[name] for name in AWARD_FIELDS}
    )
    record(
        actor, AuditAction.CREATE, obj=award, pupil_id=pupil.pk, changed_fields=AWARD_FIELDS,
        description=f"{award.get_kind_display()} of {money(award.amount)} recorded",
    )  # fmt: skip
    add_to_chronology(
        pupil, actor, ChronologyKind.FUNDING_AWARDED, award.awarded_on,
        f"{award.get_kind_display()} of {money(award.amount)} awarded",
    )  # fmt: skip
    return award
