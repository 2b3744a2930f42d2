"""Changes to what provision costs a setting: the hourly cost of each staff role and the notional
SEN budget of each academic year.

Each row carries a version. The page sends back the version it read for every row (0 for a row
that did not exist), and a save that meets a newer row is refused whole, so that two people
editing the costs at once never overwrite each other unseen. One audit event per row changed.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import StaleEditError, check_version, delete_versioned, save_versioned
from graduated.organisations.models import Setting
from graduated.provision import impact_summaries
from graduated.provision.costs import in_a_sentence, money
from graduated.provision.models import DeliveryRole, SenBudget, StaffCost


def role_key(role: str) -> str:
    return f"role_{role}"


def budget_key(year_starting: int) -> str:
    return f"budget_{year_starting}"


def academic_year_label(year_starting: int) -> str:
    return f"{year_starting}/{(year_starting + 1) % 100:02d}"


@transaction.atomic
def save_cost_settings(
    *,
    actor: Actor,
    setting: Setting,
    hourly: Mapping[str, Decimal | None],
    budgets: Mapping[int, Decimal | None],
    versions: Mapping[str, int],
) -> int:
    """Set (a Decimal) or clear (None) each role's hourly cost and each year's budget, refusing the
    whole save if any row changed since ``versions`` (keys: ``role_key``/``budget_key``) were read.
    Returns how many rows changed."""
    changed = 0
    stored_costs = {row.role: row for row in StaffCost.objects.filter(setting=setting, role__in=list(hourly))}
    for role, amount in hourly.items():
        label = f"hourly cost of {in_a_sentence(DeliveryRole(role).label)}s"
        changed += _save_row(
            actor=actor, model=StaffCost, stored=stored_costs.get(role), amount=amount,
            expected_version=versions.get(role_key(role), 0), fields={"setting": setting, "role": role},
            value_field="hourly_cost", what=f"{setting}: {label}",
        )  # fmt: skip
    if changed:  # the costs of the setting's groups (a versioned save sends no signal)
        impact_summaries.mark_settings_stale([setting.pk])
    stored_budgets = {
        row.year_starting: row for row in SenBudget.objects.filter(setting=setting, year_starting__in=list(budgets))
    }
    for year, amount in budgets.items():
        changed += _save_row(
            actor=actor, model=SenBudget, stored=stored_budgets.get(year), amount=amount,
            expected_version=versions.get(budget_key(year), 0), fields={"setting": setting, "year_starting": year},
            value_field="amount", what=f"{setting}: notional SEN budget for {academic_year_label(year)}",
        )  # fmt: skip
    return changed


def _save_row(
    *,
    actor: Actor,
    model: type[StaffCost] | type[SenBudget],
    stored: StaffCost | SenBudget | None,
    amount: Decimal | None,
    expected_version: int,
    fields: dict[str, object],
    value_field: str,
    what: str,
) -> int:
    if stored is None:
        if expected_version:  # it existed when the page was read: someone has cleared it since
            raise StaleEditError(model.stale_message)
        if amount is None:
            return 0
        try:
            with transaction.atomic():  # a savepoint: someone may have set it a moment ago
                created = model.objects.create(**fields, **{value_field: amount})
        except IntegrityError as error:
            raise StaleEditError(model.stale_message) from error
        record(actor, AuditAction.CREATE, obj=created, description=f"{what} set to {money(amount)}")
        return 1
    check_version(stored, expected_version)
    current = getattr(stored, value_field)
    if amount == current:
        return 0
    if amount is None:
        delete_versioned(stored)
        record(
            actor, AuditAction.DELETE, object_type=stored._meta.label_lower, object_id=str(stored.pk),
            description=f"{what} cleared (was {money(current)})",
        )  # fmt: skip
        return 1
    setattr(stored, value_field, amount)
    save_versioned(stored, update_fields=[value_field])
    record(
        actor, AuditAction.CHANGE, obj=stored, changed_fields=[value_field],
        description=f"{what} changed from {money(current)} to {money(amount)}",
    )  # fmt: skip
    return 1
