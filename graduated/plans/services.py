"""Changes to an LA's plan types and tiers of support, and to a cycle's plan type and tier.

Each runs in one transaction and writes one audit event. An LA changes only its own (the views
look them up under the LA); the platform's are changed by the platform admin. A plan type or tier
in use is never deleted: retired, it stays on the cycles that used it and is no longer offered.
Renaming changes only the name: cycles point at the row, so they keep their meaning.
"""

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import check_version, delete_versioned, lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority
from graduated.plans.models import PlanType, SupportTier
from graduated.support.models import Cycle

CHOICE_FIELDS = ["name", "description", "position", "retired"]
PLAN_TYPE_FIELDS = [*CHOICE_FIELDS, "reviews_per_year", "person_centred"]
type Choice = PlanType | SupportTier


class PlanChoiceError(ServiceError):
    """A change to a plan type or tier the rules refuse; ``message`` says why."""


def fields_of(model: type[Choice]) -> list[str]:
    return PLAN_TYPE_FIELDS if model is PlanType else CHOICE_FIELDS


def _what(model: type[Choice]) -> str:
    return "plan type" if model is PlanType else "tier of support"


def _refuse_taken_name(model: type[Choice], la: LocalAuthority, name: str, exclude: int | None = None) -> None:
    """One name once among what the LA's settings are offered: its own and the platform's."""
    taken = model.objects.listed_for(la.pk).annotate(lower=Lower("name")).filter(lower=name.strip().lower())
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise PlanChoiceError(f"There is already a {_what(model)} called “{name.strip()}”. Choose another name.")


@transaction.atomic
def add_choice(
    *, actor: Actor, local_authority: LocalAuthority, model: type[Choice], details: Mapping[str, Any]
) -> Choice:
    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).values_list("pk").get()
    _refuse_taken_name(model, local_authority, details["name"])
    try:
        with transaction.atomic():
            made = model.objects.create(local_authority=local_authority, **details)
    except IntegrityError as error:  # a second add of the same name at the same moment
        raise PlanChoiceError(f"There is already a {_what(model)} called “{details['name']}”.") from error
    record(
        actor, AuditAction.CREATE, obj=made, description=f"{_what(model)} {made.name}", changed_fields=details.keys()
    )
    return made


@transaction.atomic
def change_choice(*, actor: Actor, choice: Choice, details: Mapping[str, Any], expected_version: int) -> Choice:
    """Rename, describe, reorder, retire or bring back one of the LA's own."""
    lock_for_edit(choice)
    if choice.local_authority is None:
        raise PlanChoiceError(f"The platform's {_what(type(choice))}s cannot be changed here.")
    check_version(choice, expected_version)
    _refuse_taken_name(type(choice), choice.local_authority, details["name"], exclude=choice.pk)
    changed = [name for name, value in details.items() if getattr(choice, name) != value]
    for name in changed:
        setattr(choice, name, details[name])
    save_versioned(choice, update_fields=changed, expected_version=expected_version)
    record(actor, AuditAction.CHANGE, obj=choice, description=f"{_what(type(choice))} {choice.name}",
           changed_fields=changed)  # fmt: skip
    return choice


def in_use(choice: Choice) -> int:
    """How many cycles use it."""
    field = "plan_type" if isinstance(choice, PlanType) else "tier"
    return Cycle.objects.filter(**{field: choice}).count()


@transaction.atomic
def remove_choice(*, actor: Actor, choice: Choice, expected_version: int) -> None:
    """Delete one of the LA's own that no cycle uses; one in use can only be retired."""
    lock_for_edit(choice)
    what = _what(type(choice))
    if choice.local_authority is None:
        raise PlanChoiceError(f"The platform's {what}s cannot be removed.")
    check_version(choice, expected_version)
    if used := in_use(choice):
        raise PlanChoiceError(
            f"“{choice.name}” is used by {used} cycle{'s' if used != 1 else ''}, so it stays on the record. "
            "Retire it instead: it will no longer be offered."
        )
    record(actor, AuditAction.DELETE, obj=choice, description=f"{what} {choice.name}")
    delete_versioned(choice, expected_version=expected_version)


# -- A cycle's plan type and tier ----------------------------------------------------------------------


def offered(model: type[Choice], cycle: Cycle) -> list[Choice]:
    """What the SENCO may choose for ``cycle``: the platform's and the LA's of the setting running
    it (the LA whose practice the setting follows), not retired; plus what the cycle has now, so
    that a retired choice is kept rather than lost when the other one is changed."""
    current = cycle.plan_type_id if model is PlanType else cycle.tier_id
    choices = model.objects.listed_for(cycle.setting.local_authority_id)
    return [c for c in choices if not c.retired or c.pk == current]


@transaction.atomic
def set_cycle_plan(
    *, actor: Actor, cycle: Cycle, plan_type: PlanType | None, tier: SupportTier | None, expected_version: int
) -> Cycle:
    lock_for_edit(cycle, expected_version)
    for model, chosen in ((PlanType, plan_type), (SupportTier, tier)):
        if chosen is not None and chosen.pk not in {c.pk for c in offered(model, cycle)}:
            raise PlanChoiceError(f"That {_what(model)} is not offered here any more. Choose another.")
    changes = {"plan_type": plan_type, "tier": tier}
    changed = [name for name, value in changes.items() if getattr(cycle, f"{name}_id") != (value.pk if value else None)]
    for name in changed:
        setattr(cycle, name, changes[name])
    save_versioned(cycle, update_fields=changed, expected_version=expected_version)
    record(actor, AuditAction.CHANGE, obj=cycle, pupil_id=cycle.pupil_id, changed_fields=changed)
    return cycle


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def suggested_review_date(cycle: Cycle, plan_type: PlanType | None = None) -> date | None:
    """The review date the plan type's interval suggests: the months between reviews (12 / reviews a
    year) after the plan was agreed (before then: after today, or the start if later), moved off a
    weekend. None without an interval."""
    plan_type = plan_type or cycle.plan_type
    months = plan_type.months_between_reviews if plan_type else None
    if not months:
        return None
    day = _add_months(cycle.plan_agreed_on or max(cycle.started_on, timezone.localdate()), months)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
