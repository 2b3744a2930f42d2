"""Changes that feed the SEN2 return: a plan's placements and the case's SEN2 details. Each runs in
one transaction, compares versions (two officers editing at once: the later is refused) and writes
one audit event."""

from datetime import date
from typing import Any

from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc.models import EHCPlan, EHCRequest, Placement
from graduated.ehc.services import EHCError, long_date
from graduated.lib.versioning import lock_for_edit, save_versioned

PLACEMENT_FIELDS = [
    "setting", "urn", "ukprn", "sen_setting", "sen_setting_other", "rank", "entry_date", "leaving_date", "sen_unit",
    "resourced_provision",
]  # fmt: skip
REQUEST_FLAGS = [
    "request_mediation", "request_tribunal", "assessment_mediation", "assessment_tribunal", "other_mediation",
    "other_tribunal",
]  # fmt: skip
PLAN_FLAGS = [
    "residential", "work_based_learning", "personal_budget", "budget_organised_arrangements", "budget_direct_payments",
    "transferred_in_from",
]  # fmt: skip


def _overlaps(one_start: date, one_end: date | None, other: Placement) -> bool:
    far = date.max
    return one_start <= (other.leaving_date or far) and other.entry_date <= (one_end or far)


def _check_placement(plan: EHCPlan, values: dict[str, Any], placement: Placement | None) -> None:
    if not plan.is_final:
        raise EHCError("Placements are recorded once the final plan is issued.")
    others = plan.placements.exclude(pk=placement.pk) if placement is not None else plan.placements.all()
    for other in others:
        if other.rank == values["rank"] and _overlaps(values["entry_date"], values["leaving_date"], other):
            until = f" until {long_date(other.leaving_date)}" if other.leaving_date else ""
            raise EHCError(
                f"{other.where} is already the {other.get_rank_display().lower()} from {long_date(other.entry_date)}"
                f"{until}: give it a leaving date first, or choose the other rank."
            )


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) for name in PLACEMENT_FIELDS}
    for name in ("urn", "ukprn", "sen_setting", "sen_setting_other"):
        values[name] = (values[name] or "").strip()
    values["sen_unit"], values["resourced_provision"] = bool(values["sen_unit"]), bool(values["resourced_provision"])
    setting = values["setting"]
    if setting is not None and not values["urn"]:
        values["urn"] = setting.urn or ""
    return values


@transaction.atomic
def add_placement(*, actor: Actor, plan: EHCPlan, data: dict[str, Any]) -> Placement:
    plan = lock_for_edit(plan)
    values = _values(data)
    _check_placement(plan, values, None)
    placement = Placement.objects.create(plan=plan, **values)
    record(actor, AuditAction.CREATE, obj=placement, pupil_id=plan.pupil_id, changed_fields=PLACEMENT_FIELDS)
    return placement


@transaction.atomic
def update_placement(*, actor: Actor, placement: Placement, data: dict[str, Any], expected_version: int) -> Placement:
    placement = lock_for_edit(placement, expected_version)
    values = _values(data)
    _check_placement(placement.plan, values, placement)
    changed = [name for name in PLACEMENT_FIELDS if getattr(placement, name) != values[name]]
    for name, value in values.items():
        setattr(placement, name, value)
    save_versioned(placement, update_fields=PLACEMENT_FIELDS)
    record(actor, AuditAction.CHANGE, obj=placement, pupil_id=placement.plan.pupil_id, changed_fields=changed)
    return placement


@transaction.atomic
def update_sen2_details(
    *,
    actor: Actor,
    request: EHCRequest,
    plan: EHCPlan | None,
    data: dict[str, Any],
    expected_version: int,
    expected_plan_version: int | None,
) -> EHCRequest:
    request = lock_for_edit(request, expected_version)
    changed = [name for name in REQUEST_FLAGS if getattr(request, name) != bool(data.get(name))]
    for name in REQUEST_FLAGS:
        setattr(request, name, bool(data.get(name)))
    save_versioned(request, update_fields=REQUEST_FLAGS)
    if plan is not None:
        plan = lock_for_edit(plan, expected_plan_version)
        for name in PLAN_FLAGS:
            value = (data.get(name) or "").strip() if name == "transferred_in_from" else bool(data.get(name))
            if getattr(plan, name) != value:
                changed.append(name)
            setattr(plan, name, value)
        save_versioned(plan, update_fields=PLAN_FLAGS)
    record(actor, AuditAction.CHANGE, obj=request, pupil_id=request.pupil_id, changed_fields=changed,
           description="SEN2 details of the case")  # fmt: skip
    return request
